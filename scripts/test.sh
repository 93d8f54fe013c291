#!/usr/bin/env bash
# Set up (scripts/setup.sh) and run the whole offline test suite; ends with "N passed, N failed".
# With ANYSNAKE2_NODE_LINES (e.g. "24 22"; .ci/run sets "24") the same compiled tests run again on
# each of those Node.js lines after the system Node, without repeating any setup; the closing line
# sums every run.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
nodes=(--node "$(command -v node)")
for line in ${ANYSNAKE2_NODE_LINES:-}; do
  [ -x ".tools/node-$line/bin/node" ] && nodes+=(--node "$PWD/.tools/node-$line/bin/node")
done
# Lint (biome.jsonc: format and lint rules, ~2 s) first; its failure fails the run, after the tests.
lint=0
npm run --silent lint || lint=$?
tests=0
node scripts/run-tests.mjs "${nodes[@]}" "$@" || tests=$?
[ "$lint" = 0 ] || echo "npm run lint failed (see its report above the tests)" >&2
exit $((tests != 0 ? tests : lint))
