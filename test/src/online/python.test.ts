/**
 * The real Python pipeline (opt-in: `npm run test:online`): real nixpkgs, uv from the real uv2nix,
 * pyproject-nix, build-system-pkgs and PyPI, on the example. Skipped without network or Nix.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, tempProject } from '../support/cli.js';

async function reachable(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(10_000) })).ok;
  } catch {
    return false;
  }
}

const nixWorks = spawnSync('nix', ['--version']).status === 0;
const online = nixWorks && (await reachable('https://pypi.org/simple/')) && (await reachable('https://github.com'));

/** The real CLI with the user's own Nix configuration (substituters, sandbox) and network. */
function anysnake2(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

test('pandas as of 2024-08-09 and exactly scanpy 1.9.6, with real uv, uv2nix and PyPI', { skip: !online && 'needs Nix and network (GitHub, PyPI)', timeout: 3 * 60 * 60 * 1000 }, () => {
  const cwd = tempProject(
    [
      '[anysnake2]',
      'dtach = false',
      '[nixpkgs]',
      'url = "github:NixOS/nixpkgs/nixos-24.11"',
      'packages = ["bash"]',
      '[python]',
      'version = "3.12"',
      'ecosystem_date = "2024-08-09"',
      '[python.packages]',
      'pandas = ">=2"',
      'scanpy = "pypi:1.9.6"',
      'numpy = "pypi"',
    ].join('\n'),
  );
  const r = anysnake2(['run', '--', 'python', '-c', 'import pandas, scanpy; print(pandas.__version__, scanpy.__version__)'], cwd);
  assert.equal(r.code, 0, r.stderr);
  // pandas 2.2.2 was the newest pandas at the end of 2024-08-09 (2.2.3 came on 2024-09-20).
  assert.equal(r.stdout.trim().split('\n').pop(), '2.2.2 1.9.6');
  assert.match(readFileSync(join(cwd, 'anysnake2.toml'), 'utf8'), /^numpy = \{ version = "pypi:\d+\.\d+\.\d+" \}$/m);
  const again = anysnake2(['run', '--', 'true'], cwd);
  assert.equal(again.code, 0, again.stderr);
  assert.doesNotMatch(again.stderr, /Locking|building/);
});
