/** `--json` on the build commands: one JSON document on stdout that scripts can consume; messages stay on stderr. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { containerProject, runCli } from '../support/cli.js';

test('build flake --json and build rootfs --json print what they made', () => {
  const cwd = containerProject();
  const flake = runCli(['build', 'flake', '--json'], { cwd });
  assert.equal(flake.code, 0, flake.stderr);
  const written = JSON.parse(flake.stdout) as { flakeDir: string; files: string[]; changed: string[] };
  assert.equal(realpathSync(written.flakeDir), realpathSync(join(cwd, '.anysnake2_flake')));
  assert.ok(written.files.includes('flake.nix') && written.changed.includes('flake.nix'));

  const rootfs = runCli(['build', 'rootfs', '--json'], { cwd });
  assert.equal(rootfs.code, 0, rootfs.stderr);
  const built = JSON.parse(rootfs.stdout) as { rootfs: string; storePath: string };
  assert.match(built.storePath, /^\/nix\/store\/[0-9a-z]{32}-/);
  assert.ok(existsSync(join(built.rootfs, 'bin', 'hello')));
});
