#!/usr/bin/env bash
# Snapshot what the codemods engine reports for a list of project directories, so a refactor can be
# checked byte for byte: `plan --json` in every mode, `check --json`, and
# `detect()` as JSON.
#
#   npm run build && bash bench/plan-snapshot.sh <out-dir> <project-dir>...
#   diff -r <before-out-dir> <after-out-dir>      # must print nothing
#
# Each project directory is copied to a scratch directory first (so `check`/`plan` never touch it and
# paths in the output do not depend on where the project lives).
set -euo pipefail
out=$1
shift
repo=$(cd "$(dirname "$0")/.." && pwd)
bin="$repo/dist/cli/bin.js"
# A fixed scratch path: absolute paths in the output then match between runs.
scratch=${TMPDIR:-/tmp}/governor-plan-snapshot
rm -rf "$scratch"
mkdir -p "$scratch"
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$out"
for dir in "$@"; do
  name=$(echo "${dir%/}" | sed 's#^/##; s#[/ ]#_#g')
  work="$scratch/project"
  rm -rf "$work"
  cp -r "$dir" "$work"
  (
    cd "$work"
    for mode in preload enable wrap scopes hybrid; do
      node "$bin" plan . --mode "$mode" --json >"$out/$name.plan-$mode.json" 2>&1 || echo "exit $?" >>"$out/$name.plan-$mode.json"
    done
    node --input-type=module -e "const { detect } = await import('$repo/dist/codemods/index.js'); console.log(JSON.stringify(await detect('.'), null, 2));" >"$out/$name.detect.json" 2>&1 || echo "exit $?" >>"$out/$name.detect.json"
    node "$bin" check . --json >"$out/$name.check.json" 2>&1 || echo "exit $?" >>"$out/$name.check.json"
  )
done
echo "snapshot of $# projects in $out"
