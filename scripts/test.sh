#!/usr/bin/env bash
# Run the test suite in a local venv:
#   bash scripts/test.sh [extra pytest options, e.g. -q -k smoke]
# Creates .venv on first use, reinstalls requirements-dev.txt only when it (or
# requirements.txt) changed, and installs Debian's chromium and fonts-noto-cjk
# for the browser tests when they are missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source scripts/venv.sh

# Playwright cannot download its own browsers here, so the browser tests
# launch Debian's /usr/bin/chromium; Noto CJK makes Chinese text render.
ensure_browser() {
  local cjk_font=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
  if [[ -x /usr/bin/chromium && -f $cjk_font ]]; then
    echo "==> chromium and Noto CJK fonts are installed"
    return
  fi
  if ! command -v apt-get >/dev/null; then
    echo "==> WARNING: /usr/bin/chromium or Noto CJK fonts missing and no apt-get;" \
      "browser tests will be skipped (and fail when CI=true)" >&2
    return
  fi
  local sudo=""
  [[ $(id -u) -eq 0 ]] || sudo=sudo
  echo "==> Installing Debian packages chromium and fonts-noto-cjk for browser tests"
  $sudo apt-get update
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium fonts-noto-cjk
}

ensure_venv requirements-dev.txt requirements.txt
ensure_browser
# Linters run where the tests run (STYLE.md rule 16): a lint or format fault fails the run.
echo "==> Running: ruff check and ruff format --check"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "==> Running: .venv/bin/python -m pytest $*"
exec .venv/bin/python -m pytest "$@"
