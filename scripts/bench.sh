#!/usr/bin/env bash
# Startup benchmark: median of `anysnake2 --version` and `anysnake2 config basic` against
# `node -e 0`, in one hyperfine run each, with NODE_EXTRA_CA_CERTS unset and set.
# Targets: <= 150 ms median for the CLI, and <= 120 ms warm-path overhead over bwrap, NODE_EXTRA_CA_CERTS unset.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
command -v hyperfine >/dev/null || { echo "hyperfine is needed: apt-get install hyperfine" >&2; exit 69; }
bin="$repo/core/bin/run.js"
bench_dir="$(mktemp -d)"
trap 'chmod -R u+w "$bench_dir" 2>/dev/null; rm -rf "$bench_dir"' EXIT
cd "$bench_dir"
ca="${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}"
for mode in unset set; do
  json="$(mktemp -p "$bench_dir")"
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

# Start-up per Node.js line: the system node and each line scripts/setup.sh installed under
# .tools/ (ANYSNAKE2_NODE_LINES="24 22" bash scripts/setup.sh). On Node >= 22.1 core/bin/run.js
# turns on the compile cache; the "no compile cache" row shows what it saves (its own cache folder,
# warmed up by hyperfine's warm-up runs).
node "$bin" config minimal > anysnake2.toml
nodes=("$(command -v node)")
for n in "$repo"/.tools/node-*/bin/node; do [ -x "$n" ] && nodes+=("$n"); done
for node in "${nodes[@]}"; do
  json="$(mktemp -p "$bench_dir")"
  export NODE_COMPILE_CACHE="$bench_dir/compile-cache"
  env -u NODE_EXTRA_CA_CERTS hyperfine -N --warmup 5 --runs "${BENCH_RUNS:-40}" --export-json "$json" \
    -n 'node -e 0' "$node -e 0" \
    -n 'anysnake2 config basic' "$node $bin config basic" \
    -n 'anysnake2 check' "$node $bin check" \
    -n 'config basic, no compile cache' "env NODE_DISABLE_COMPILE_CACHE=1 $node $bin config basic" >/dev/null
  unset NODE_COMPILE_CACHE
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).results;
    const base = r[0].median;
    console.log(`Node.js ${process.argv[2]} (${process.argv[3]}):`);
    for (const x of r) console.log(`  ${x.command.padEnd(32)} median ${(x.median * 1000).toFixed(1).padStart(6)} ms   (+${((x.median - base) * 1000).toFixed(1)} ms over node -e 0)`);
  ' "$json" "$("$node" --version)" "$node"
done

# The warm path: `anysnake2 run -- true` on a built project against the same bubblewrap command
# run directly (the command anysnake2 runs, taken from --verbose). Target: <= 120 ms over raw.
work="$bench_dir/warm"
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
  json="$(mktemp -p "$bench_dir")"
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

# Slurm (plugins/slurm): submit-to-start against a bare sbatch, and a 1,000-task array, on the
# one-node test cluster with the project above (skipped, saying why, without root or slurm-wlm).
node "$repo/scripts/bench-slurm.mjs" "$work/project" "$bin"
