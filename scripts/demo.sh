#!/usr/bin/env bash
# Set up (scripts/setup.sh), then run anysnake2 on the bundled offline example: build the rootfs
# with real Nix from the fixture universe (no network) and run [cmd.default] in a container
# (bubblewrap here; apptainer/singularity where installed). Prints a line only the container has.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
bash "$repo/scripts/setup.sh"
work="$(mktemp -d)"
# Nothing stays behind: the index stops and the temporary folder goes (some copies are read-only).
cleanup() {
  [ -z "${INDEX_PID:-}" ] || kill "$INDEX_PID" 2>/dev/null || true
  chmod -R u+w "$work" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
bash "$repo/test/fixtures/prepare-universe.sh" "$work/universe"
# The fixture package index (PyPI's interfaces on 127.0.0.1) that uv locks against.
python3 "$repo/test/fixtures/pypi/make-index.py" "$work/index" >/dev/null
coproc INDEX { exec python3 "$repo/test/fixtures/pypi/serve.py" "$work/index" --port 0; }
read -r listening url <&"${INDEX[0]}"
export UV_DEFAULT_INDEX="$url/simple" ANYSNAKE2_PYPI_URL="$url"
mkdir "$work/project"
sed "s|@FIXTURES@|$work/universe|g" "$repo/examples/offline-demo/anysnake2.toml" > "$work/project/anysnake2.toml"
cd "$work/project"
export NIX_CONFIG=$'substituters =\nsubstitute = false\nflake-registry =\nsandbox = false\nbuild-users-group ='
export USER="${USER:-$(id -un)}"
echo "== anysnake2 (runs [cmd.default] of examples/offline-demo/anysnake2.toml, in a temporary copy)"
node "$repo/core/bin/run.js"
echo "== anysnake2 run -- hello --version"
node "$repo/core/bin/run.js" run -- hello --version
