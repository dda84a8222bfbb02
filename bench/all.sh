#!/usr/bin/env bash
# Runs every benchmark in sequence, one at a time (they compare against a peer in the same run, and
# share 2 cores). Output of each goes to bench/.results/<name>.txt and to the terminal.
#   npm run build && bash bench/all.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# Not under bench/.work: the codemods benchmark regenerates that folder from scratch.
out=bench/.results
mkdir -p "$out"
{
  echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), node $(node --version)"
  echo "date: $(date -u +%Y-%m-%dT%H:%MZ)  load: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out/machine.txt"
run() {
  local name=$1
  shift
  mkdir -p "$out"
  echo "== $name: $*" | tee "$out/$name.txt"
  "$@" 2>&1 | tee -a "$out/$name.txt"
}
run sdk-fetch npx tsx bench/sdk-fetch.ts
run sdk-startup npx tsx bench/sdk-startup.ts 60
run mock-throughput npx tsx bench/mock-throughput.ts
run codemods-plan npx tsx bench/codemods-plan.ts --runs 5
run docs-search npx tsx bench/docs-search.ts
run mcp-startup npx tsx bench/mcp-startup.ts --runs 40
run mcp-search npx tsx bench/mcp-search.ts --rounds 20
run cli-help npx tsx bench/cli-help.ts 40
run hook-cold-start npx tsx bench/hook-cold-start.ts 40
run proxy-roundtrip npx tsx bench/proxy-roundtrip.ts --rounds 20
run python-sdk sdk-python/.venv/bin/python bench/python-sdk.py
