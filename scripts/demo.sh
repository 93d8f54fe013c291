#!/usr/bin/env bash
# Set up (scripts/setup.sh), then run anysnake2 on the bundled offline example in demo/:
# validate anysnake2.toml, write .anysnake2_flake/, and lock it with real Nix against the local
# fixture flakes that stand in for nixpkgs and flake-utils (no network needed).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
bash "$repo/scripts/setup.sh"
work="$(mktemp -d)"
cp "$repo/demo/anysnake2.toml" "$work/"
cd "$work"
echo "== anysnake2 build flake (in $work)"
node "$repo/core/bin/run.js" build flake
echo "== nix flake lock, offline, with the fixture universe"
NIX_CONFIG=$'substituters =\nflake-registry =\nsandbox = false' nix --extra-experimental-features 'nix-command flakes' \
  flake lock "path:$work/.anysnake2_flake" \
  --override-input nixpkgs "path:$repo/test/fixtures/mini-nixpkgs" \
  --override-input flake-utils "path:$repo/test/fixtures/flake-utils"
echo "== .anysnake2_flake/flake.nix"
cat .anysnake2_flake/flake.nix
