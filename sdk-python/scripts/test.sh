#!/usr/bin/env bash
# Runs the Python SDK's tests in sdk-python/.venv (created from the lock file when absent).
# Needs the built CLI (npm run build) for the enforce mock the tests start.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
python="$("$here/scripts/venv.sh")"
cd "$here"
set +e
"$python" -m pytest -q "$@"
code=$?
set -e
if [ "$code" -eq 5 ]; then
  echo "sdk-python: pytest collected no tests; the Python suite must not be empty." >&2
fi
exit "$code"
