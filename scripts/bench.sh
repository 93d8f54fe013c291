#!/usr/bin/env bash
# Startup benchmark: median of `anysnake2 --version` and `anysnake2 config basic` against
# `node -e 0`, in one hyperfine run each, with NODE_EXTRA_CA_CERTS unset and set.
# Targets: <= 150 ms median for the CLI, and <= 120 ms warm-path overhead over bwrap, NODE_EXTRA_CA_CERTS unset.
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

# The warm path: `anysnake2 run -- true` on a built project against the same bubblewrap command
# run directly (the command anysnake2 runs, taken from --verbose). Target: <= 120 ms over raw.
work="$(mktemp -d)"
bash "$repo/test/fixtures/prepare-universe.sh" "$work/universe"
# The tool pins every project gets (uv2nix, …) are looked up on the local stand-in for GitHub.
bash "$repo/test/fixtures/prepare-githost.sh" "$work/githost" >/dev/null
export GIT_CONFIG_GLOBAL="$work/githost/gitconfig" GIT_CONFIG_NOSYSTEM=1
mkdir "$work/project" && cd "$work/project"
printf '[anysnake2]\ndtach = false\n[nixpkgs]\nurl = "%s/mini-nixpkgs"\npackages = ["hello"]\n[flake-util]\nurl = "%s/flake-utils"\n[outside_nixpkgs]\nurl = "%s/mini-nixpkgs"\n[container]\nruntime = "bwrap"\n' \
  "$work/universe" "$work/universe" "$work/universe" > anysnake2.toml
export NIX_CONFIG=$'substituters =\nsubstitute = false\nflake-registry =\nsandbox = false\nbuild-users-group ='
raw="$(node "$bin" run --verbose -- true 2>&1 | sed -n 's/^debug: bwrap: //p')"
node "$bin" run -- true
for mode in unset set; do
  json="$(mktemp)"
  if [ "$mode" = unset ]; then prefix=(env -u NODE_EXTRA_CA_CERTS); else prefix=(env "NODE_EXTRA_CA_CERTS=$ca"); fi
  "${prefix[@]}" hyperfine -N --warmup 5 --runs "${BENCH_RUNS:-40}" --export-json "$json" \
    -n 'bwrap directly' "$raw" \
    -n 'anysnake2 run -- true' "node $bin run -- true" >/dev/null
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).results;
    const base = r[0].median;
    console.log(`warm path, NODE_EXTRA_CA_CERTS ${process.argv[2]}:`);
    for (const x of r) console.log(`  ${x.command.padEnd(24)} median ${(x.median * 1000).toFixed(1).padStart(6)} ms   ${(x.median / base).toFixed(2)}x bwrap   (+${((x.median - base) * 1000).toFixed(1)} ms)`);
  ' "$json" "$mode"
done
