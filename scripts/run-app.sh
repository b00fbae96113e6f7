#!/usr/bin/env bash
# Start the dashboard in a local venv:
#   bash scripts/run-app.sh [extra `streamlit run` options, e.g. --server.port 8600]
# Creates .venv on first use and reinstalls requirements.txt only when it changed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Same function as in scripts/test.sh (each script stays runnable on its own).
# ensure_venv REQ [FILES...]: pip-install REQ into .venv unless the sha256 of
# REQ and FILES (the files REQ includes with -r) matches the stamp in .venv.
ensure_venv() {
  local req=$1 stamp=".venv/.stamp-${1%.txt}" want
  if ! .venv/bin/python -c '' 2>/dev/null; then
    echo "==> Creating .venv with $(python3 --version)"
    python3 -m venv --clear .venv
  fi
  want=$(cat "$@" | sha256sum | cut -d' ' -f1)
  if [[ -f $stamp && $(cat "$stamp") == "$want" ]]; then
    echo "==> .venv is up to date with $req"
    return
  fi
  echo "==> Installing $req into .venv (first run or $req changed)"
  .venv/bin/python -m pip install --quiet --progress-bar off -r "$req"
  echo "$want" >"$stamp"
}

ensure_venv requirements.txt
# scripts/serve.py is `streamlit run app.py` with app.py's navigation in
# charge from the first request (see the comment there).
echo "==> Starting Streamlit: .venv/bin/python scripts/serve.py $*"
exec .venv/bin/python scripts/serve.py "$@"
