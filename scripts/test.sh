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
# Static checks first (seconds): lint (biome.jsonc: format and lint rules) and typecheck (what
# tsc -b does not build: scripts, fixture plugins, the `plugins new` templates). A failure fails the
# run, after the tests.
checks=0
npm run --silent lint || checks=$?
npm run --silent typecheck || checks=$?
tests=0
node scripts/run-tests.mjs "${nodes[@]}" "$@" || tests=$?
[ "$checks" = 0 ] || echo "npm run lint or npm run typecheck failed (see their reports above the tests)" >&2
exit $((tests != 0 ? tests : checks))
