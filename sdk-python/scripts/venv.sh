#!/usr/bin/env bash
# Creates (or refreshes) sdk-python/.venv from requirements-dev.lock and installs the SDK into it
# in editable mode. Never touches the system interpreter. Prints the venv's python path.
# Re-runs only when the lock file or pyproject.toml changed since the last install.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
venv="$here/.venv"
python="${PYTHON:-python3}"
stamp="$venv/.governor-lock.sha256"
want="$(cat "$here/requirements-dev.lock" "$here/pyproject.toml" | sha256sum | cut -d' ' -f1)"
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else "Python >= 3.10 is needed for sdk-python")'
  rm -rf "$venv"
  "$python" -m venv "$venv" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input -r "$here/requirements-dev.lock" >&2
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-input --no-deps --no-build-isolation -e "$here" >&2
  echo "$want" > "$stamp"
fi
echo "$venv/bin/python"
