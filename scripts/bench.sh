#!/usr/bin/env bash
# Start-up benchmark (issue 15). One hyperfine run per NODE_EXTRA_CA_CERTS mode (unset, set: it
# adds ~40 ms to every node start on some machines) with every row of the issue's table, each as a
# ratio against `node -e 0` measured in the same run, and the warm run against bubblewrap alone.
# Targets (over `node -e 0`, NODE_EXTRA_CA_CERTS unset): --version <= +15 ms; warm `run -- true`
# <= bwrap + 10 ms; config edited (full path, nothing rebuilt) <= +150 ms; `build flake`
# unchanged <= +150 ms; `check` <= +120 ms; `config basic` <= +60 ms; Tab completion of command
# names <= 20 ms in all, without node; `tofu` with 20 floating urls
# about as long as with one (scripts/bench-tofu.sh, git requests delayed by 200 ms).
# BENCH_RUNS (default 30) sets the runs per row. Benchmarks are not tests: nothing here fails on time.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
command -v hyperfine >/dev/null || { echo "hyperfine is needed: apt-get install hyperfine" >&2; exit 69; }
bin="$repo/core/bin/run.js"
bench_dir="$(mktemp -d)"
trap 'chmod -R u+w "$bench_dir" 2>/dev/null; rm -rf "$bench_dir"' EXIT
ca="${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}"
runs="${BENCH_RUNS:-30}"

# A small built offline project (the fixture universe, bwrap runtime) with nothing to rebuild.
work="$bench_dir/warm"
bash "$repo/test/fixtures/prepare-universe.sh" "$work/universe" >/dev/null
# The tool pins every project gets (uv2nix, …) are looked up on the local stand-in for GitHub.
bash "$repo/test/fixtures/prepare-githost.sh" "$work/githost" >/dev/null
export GIT_CONFIG_GLOBAL="$work/githost/gitconfig" GIT_CONFIG_NOSYSTEM=1
export NIX_CONFIG=$'substituters =\nsubstitute = false\nflake-registry =\nsandbox = false\nbuild-users-group ='
mkdir "$work/project" && cd "$work/project"
printf '[anysnake2]\ndtach = false\n[nixpkgs]\nurl = "%s/mini-nixpkgs"\npackages = ["hello"]\n[flake-util]\nurl = "%s/flake-utils"\n[outside_nixpkgs]\nurl = "%s/mini-nixpkgs"\n[container]\nruntime = "bwrap"\n' \
  "$work/universe" "$work/universe" "$work/universe" > anysnake2.toml
raw="$(node "$bin" run --verbose -- true 2>&1 | sed -n 's/^debug: bwrap: //p')"
[ -n "$raw" ] || { echo "could not read the bwrap command from run --verbose" >&2; exit 70; }
node "$bin" run -- true
# The baseline is bwrap doing the same work: the environment anysnake2 hands it on descriptor 3
# (`--args 3`, recorded in the warm entry) given as --setenv words on its command line instead.
mapfile -d '' env_words < <(node -e 'const c = require(process.argv[1]).entries[0].launch.inputs?.[0]?.content ?? ""; process.stdout.write(c.replace(/\0$/, ""))' "$work/project/.anysnake2_flake/run_scripts/run/warm.json")
printf -v env_quoted '%q ' "${env_words[@]}"
raw="${raw#*bwrap-env.args }"; raw="${raw/ --args 3 / $env_quoted}"
# Tab completion of the command names: the generated bash script, sourced, completing `anysnake2 <Tab>`
# (with [cmd.*] names from the project) — a bash, no node (target <= 20 ms).
node "$bin" completion bash > "$bench_dir/completion.bash"
tab="bash --norc --noprofile -c '. $bench_dir/completion.bash; COMP_WORDS=(anysnake2 \"\"); COMP_CWORD=1; _anysnake2_complete; [ \${#COMPREPLY[@]} -gt 5 ]'"

for mode in unset set; do
  json="$(mktemp -p "$bench_dir")"
  if [ "$mode" = unset ]; then prefix=(env -u NODE_EXTRA_CA_CERTS); else prefix=(env "NODE_EXTRA_CA_CERTS=$ca"); fi
  # "config edited": a new comment before every run, so the warm path misses and the full path
  # runs (config read, plugins, validation, pinning check, flake hash) without rebuilding.
  # hyperfine takes one --prepare per command, in the commands' order.
  "${prefix[@]}" hyperfine -N --warmup 3 --runs "$runs" --export-json "$json" \
    -n 'node -e 0' "node -e 0" --prepare true \
    -n 'bwrap directly' "$raw" --prepare true \
    -n 'anysnake2 --version' "node $bin --version" --prepare true \
    -n 'run -- true, warm' "node $bin run -- true" --prepare true \
    -n 'run -- true, config edited' "node $bin run -- true" --prepare "sh -c 'echo \"# \$\$\" >> anysnake2.toml'" \
    -n 'build flake, unchanged' "node $bin build flake" --prepare true \
    -n 'check' "node $bin check" --prepare true \
    -n 'config basic' "node $bin config basic" --prepare true \
    -n 'Tab completion (names)' "$tab" --prepare true >/dev/null
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).results;
    const by = Object.fromEntries(r.map((x) => [x.command, x]));
    const cpu = (x) => x.user + x.system;
    const node = by["node -e 0"], bwrap = by["bwrap directly"];
    const ms = (s) => `${s >= 0 ? "+" : ""}${(s * 1000).toFixed(1)}`.padStart(7);
    console.log(`NODE_EXTRA_CA_CERTS ${process.argv[2]} (means of ${r[0].times.length} runs; cpu = user + system, steadier than wall time on a busy machine):`);
    console.log(`  ${"".padEnd(28)} ${"wall ms".padStart(8)} ${"ratio".padStart(6)} ${"over node".padStart(10)}  ${"cpu over node".padStart(13)}`);
    for (const x of r) {
      let line = `  ${x.command.padEnd(28)} ${(x.mean * 1000).toFixed(1).padStart(8)} ${(x.mean / node.mean).toFixed(2).padStart(6)} ${ms(x.mean - node.mean).padStart(10)}  ${ms(cpu(x) - cpu(node)).padStart(13)}`;
      // The warm target is about our own work: what is left after Node starting and bwrap running.
      if (x.command.includes("warm")) line += `   own work (over node + bwrap): wall ${ms(x.mean - node.mean - bwrap.mean).trim()} ms, cpu ${ms(cpu(x) - cpu(node) - cpu(bwrap)).trim()} ms`;
      if (x.command.startsWith("Tab")) line += `   (a bash, no node: ${(x.mean * 1000).toFixed(1)} ms in all)`;
      console.log(line);
    }
  ' "$json" "$mode"
done

# flake.nix for 1,000 nixpkgs packages, and with 500 Python packages (a generated uv.lock), rendered in-process (target < 50 ms).
node "$repo/scripts/bench-emit.mjs" "$runs"

# tofu with 20 floating urls against the git host with 200 ms per request, next to one url.
bash "$repo/scripts/bench-tofu.sh" "$bin" "$work/githost" "$bench_dir/tofu" "$(( runs < 10 ? runs : 10 ))"

# Start-up per Node.js line: the system node and each line scripts/setup.sh installed under
# .tools/ (ANYSNAKE2_NODE_LINES="24 22" bash scripts/setup.sh). On Node >= 22.1 core/bin/run.js
# turns on Node's compile cache, on older lines its own (core/src/code-cache.ts); the "no compile
# cache" row shows what it saves (Node's in its own cache folder, warmed up by hyperfine's warm-up runs).
nodes=("$(command -v node)")
for n in "$repo"/.tools/node-*/bin/node; do [ -x "$n" ] && nodes+=("$n"); done
# (Only with a line besides the system node; the Slurm figures below run either way.)
if [ "${#nodes[@]}" -gt 1 ]; then
  for node in "${nodes[@]}"; do
    json="$(mktemp -p "$bench_dir")"
    export NODE_COMPILE_CACHE="$bench_dir/compile-cache"
    env -u NODE_EXTRA_CA_CERTS hyperfine -N --warmup 5 --runs "$runs" --export-json "$json" \
      -n 'node -e 0' "$node -e 0" \
      -n 'anysnake2 check' "$node $bin check" \
      -n 'anysnake2 doctor --help (oclif)' "$node $bin doctor --help" \
      -n 'check, no compile cache' "env NODE_DISABLE_COMPILE_CACHE=1 $node $bin check" >/dev/null
    unset NODE_COMPILE_CACHE
    node -e '
      const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).results;
      const base = r[0].mean;
      console.log(`Node.js ${process.argv[2]} (${process.argv[3]}):`);
      for (const x of r) console.log(`  ${x.command.padEnd(32)} mean ${(x.mean * 1000).toFixed(1).padStart(6)} ms   (+${((x.mean - base) * 1000).toFixed(1)} ms over node -e 0)`);
    ' "$json" "$("$node" --version)" "$node"
  done
fi

# Slurm (plugins/slurm): submit-to-start against a bare sbatch, and a 1,000-task array, on the
# one-node test cluster with the project above (skipped, saying why, without root or slurm-wlm).
node "$repo/scripts/bench-slurm.mjs" "$work/project" "$bin"
