#!/usr/bin/env bash
# tofu with 20 floating urls against the local stand-in for GitHub with 200 ms added to every git
# request (a git wrapper first on PATH), next to the same with one url, in one hyperfine run:
# lookups run in parallel, so 20 should take about as long as one (issue 15).
# Usage: bench-tofu.sh BIN GITHOST WORKDIR RUNS
set -euo pipefail
bin="$1" githost="$2" work="$3" runs="$4"
mkdir -p "$work/delayed-bin" "$work/one" "$work/twenty"
real_git="$(command -v git)"
printf '#!/bin/sh\nsleep 0.2\nexec %s "$@"\n' "'$real_git'" > "$work/delayed-bin/git"
chmod +x "$work/delayed-bin/git"
for i in $(seq 1 20); do
  [ -d "$githost/github/bench/r$i.git" ] || git clone -q --bare "$githost/github/numtide/flake-utils.git" "$githost/github/bench/r$i.git"
done
flakes() { for i in $(seq 1 "$1"); do printf '[flakes.f%s]\nurl = "git+https://github.com/bench/r%s"\npackages = []\n' "$i" "$i"; done; }
flakes 1 > "$work/one/anysnake2.toml"
flakes 20 > "$work/twenty/anysnake2.toml"
json="$(mktemp -p "$work")"
PATH="$work/delayed-bin:$PATH" hyperfine -N --warmup 1 --runs "$runs" --export-json "$json" \
  -n 'tofu, 1 floating url' "sh -c 'cd $work/one && node $bin tofu --dry-run --no-version-switch'" \
  -n 'tofu, 20 floating urls' "sh -c 'cd $work/twenty && node $bin tofu --dry-run --no-version-switch'" >/dev/null
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).results;
  console.log(`tofu against a git host with 200 ms per request (means of ${r[0].times.length} runs):`);
  for (const x of r) console.log(`  ${x.command.padEnd(28)} ${(x.mean * 1000).toFixed(1).padStart(8)} ms   ratio ${(x.mean / r[0].mean).toFixed(2)}`);
' "$json"
