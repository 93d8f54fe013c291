/**
 * The real Python pipeline (opt-in: `npm run test:online`): real nixpkgs, uv from the real uv2nix,
 * pyproject-nix, build-system-pkgs and PyPI, on the example. Skipped without network or Nix.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempProject } from '../support/cli.js';
import { anysnake2, onlineSkipReason } from '../support/online.js';

const skip = await onlineSkipReason();

test('pandas as of 2024-08-09 and exactly scanpy 1.9.6, with real uv, uv2nix and PyPI', { skip, timeout: 3 * 60 * 60 * 1000 }, () => {
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
