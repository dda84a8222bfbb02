#!/usr/bin/env bash
# Builds the Python SDK with the standard build front end (python -m build, from the dev virtualenv
# so the backend comes from the lock file, offline): the wheel and sdist into sdk-python/dist/, the
# wheel copied to dist/python/ (it ships inside the npm tarball), and its API reference into docs-corpus/api/.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
root="$(cd "$here/.." && pwd)"
python="$("$here/scripts/venv.sh")"
rm -rf "$root/dist/python" "$here/dist"
"$python" -m build --no-isolation --outdir "$here/dist" "$here" >&2
mkdir -p "$root/dist/python"
cp "$here"/dist/governor-*-py3-none-any.whl "$root/dist/python/"
"$python" "$here/scripts/gen_reference.py" "$root/docs-corpus/api"
ls "$root/dist/python" >&2
