#!/usr/bin/env bash
# Set up (scripts/setup.sh) and run the whole offline test suite; ends with "N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
node scripts/run-tests.mjs
