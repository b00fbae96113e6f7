# Sourced by scripts/run-app.sh and scripts/test.sh (from the repository root): the venv both need.
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
