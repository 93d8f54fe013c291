#!/usr/bin/env bash
# Startup benchmark: median of `anysnake2 --version` and `anysnake2 config basic` against
# `node -e 0`, in one hyperfine run each, with NODE_EXTRA_CA_CERTS unset and set.
# Target (issue 2): <= 150 ms median for the CLI with NODE_EXTRA_CA_CERTS unset.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
command -v hyperfine >/dev/null || { echo "hyperfine is needed: apt-get install hyperfine" >&2; exit 69; }
bin="$repo/core/bin/run.js"
cd "$(mktemp -d)"
ca="${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}"
for mode in unset set; do
  json="$(mktemp)"
  if [ "$mode" = unset ]; then prefix=(env -u NODE_EXTRA_CA_CERTS); else prefix=(env "NODE_EXTRA_CA_CERTS=$ca"); fi
  "${prefix[@]}" hyperfine -N --warmup 5 --runs "${BENCH_RUNS:-40}" --export-json "$json" \
    -n 'node -e 0' "node -e 0" \
    -n 'anysnake2 --version' "node $bin --version" \
    -n 'anysnake2 config basic' "node $bin config basic" >/dev/null
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).results;
    const base = r[0].median;
    console.log(`NODE_EXTRA_CA_CERTS ${process.argv[2]}:`);
    for (const x of r) console.log(`  ${x.command.padEnd(24)} median ${(x.median * 1000).toFixed(1).padStart(6)} ms   ${(x.median / base).toFixed(2)}x node -e 0   (+${((x.median - base) * 1000).toFixed(1)} ms)`);
  ' "$json" "$mode"
done
