#!/usr/bin/env bash
# Start the dashboard in a local venv:
#   bash scripts/run-app.sh [extra `streamlit run` options, e.g. --server.port 8600]
# Creates .venv on first use and reinstalls requirements.txt only when it changed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

source scripts/venv.sh

ensure_venv requirements.txt
# scripts/serve.py is `streamlit run app.py` with app.py's navigation in
# charge from the first request (see the comment there).
echo "==> Starting Streamlit: .venv/bin/python scripts/serve.py $*"
exec .venv/bin/python scripts/serve.py "$@"
