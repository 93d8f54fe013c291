#!/usr/bin/env bash
# Installs what anysnake2 and its tests need on Debian 12 (idempotent): Nix, git, Node deps, build.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
# nix, git; bwrap and dtach run containers; busybox-static and bash-static feed the offline fixture
# universe; skopeo, umoci, podman and runc check the OCI images (podman needs runc here).
for tool in nix:nix-bin git:git bwrap:bubblewrap dtach:dtach busybox:busybox-static bash-static:bash-static script:bsdutils skopeo:skopeo umoci:umoci podman:podman runc:runc; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || need+=("${tool##*:}")
done
# The fixture universe's Python is Debian's own (test/fixtures/prepare-universe.sh packs it).
[ -x /usr/bin/python3.11 ] && [ -d /usr/lib/python3.11/lib-dynload ] || need+=(python3.11)
if ((${#need[@]})); then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" ca-certificates >/dev/null
fi

node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error("anysnake2 needs Node >= 20.19, found "+process.version); process.exit(1) }'
npm ci --no-audit --no-fund --loglevel=error
npm run build --silent
