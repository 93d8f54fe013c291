/**
 * Host secrets stay out of the world-readable Nix store: `[container.env]` values expanded from the
 * host are written only to owner-only files beside the flake, and Nix copies only the tracked flake
 * files (the flake is `git+file:` of its own repository), never run scripts or warm entries.
 * Real Nix, real bubblewrap, the fixture universe.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { containerProject, runCli } from '../support/cli.js';

const bwrapEnv = { ANYSNAKE2_INSIDE: '', SINGULARITY_NAME: '', APPTAINER_NAME: '' };
const storeEntries = () => new Set(readdirSync('/nix/store'));

/** The store paths (of `paths`) holding `needle` anywhere in their files. */
function storePathsContaining(paths: readonly string[], needle: string): string[] {
  if (paths.length === 0) return [];
  // grep -r does not follow symlinks below the named paths: rootfs forests point into the store.
  const r = spawnSync('grep', ['-rlF', '--', needle, ...paths.map((p) => join('/nix/store', p))], { encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.ok(r.status === 0 || r.status === 1, `grep failed: ${r.stderr}`);
  return r.stdout.split('\n').filter(Boolean);
}

test('a [container.env] secret from the host reaches the container, but no store path and no readable file', () => {
  const secret = `as2-secret-${randomBytes(12).toString('hex')}`;
  const cwd = containerProject('[container.env]\nTOKEN = "${AS2_TEST_TOKEN}"\n', ['hello']);
  const env = { ...bwrapEnv, AS2_TEST_TOKEN: secret };
  const before = storeEntries();

  const first = runCli(['run', '--', 'printf %s "$TOKEN"'], { cwd, env });
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stdout, secret, 'the container got the value');
  // A changed package list relocks and rebuilds: the step that copied the whole folder before.
  const config = join(cwd, 'anysnake2.toml');
  writeFileSync(config, readFileSync(config, 'utf8').replace('"hello"', '"fixture-only", "hello"'));
  const second = runCli(['run', '--', 'printf %s "$TOKEN"'], { cwd, env });
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stderr, /locking the flake inputs/);
  assert.equal(second.stdout, secret);

  const created = [...storeEntries()].filter((p) => !before.has(p));
  assert.ok(created.some((p) => p.endsWith('-source')), 'the relock copied the flake into the store');
  assert.deepEqual(storePathsContaining(created, secret), [], 'the secret is in the world-readable store');

  const flakeDir = join(cwd, '.anysnake2_flake');
  const warm = join(flakeDir, 'run_scripts', 'run', 'warm.json');
  assert.ok(readFileSync(warm, 'utf8').includes(secret), 'the warm entry holds the launch argv (and so the value)');
  assert.equal(statSync(warm).mode & 0o777, 0o600, 'warm.json is owner-only');
  assert.equal(statSync(join(flakeDir, 'run_scripts')).mode & 0o777, 0o700, 'run_scripts/ is owner-only');
});

test('the flake Nix reads is the tracked flake files only, committed (no dirty-tree warning)', () => {
  const cwd = containerProject('', ['hello']);
  const r = runCli(['build', 'rootfs'], { cwd, env: bwrapEnv });
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /dirty/);
  const flakeDir = join(cwd, '.anysnake2_flake');
  const git = (...args: string[]) => spawnSync('git', args, { cwd: flakeDir, encoding: 'utf8' }).stdout;
  assert.deepEqual(git('ls-files').split('\n').filter(Boolean).sort(), ['.gitignore', 'flake.lock', 'flake.nix', 'functions.nix']);
  assert.equal(git('status', '--porcelain', '--untracked-files=no'), '', 'everything Nix reads is committed');
  // An older anysnake2 left flake.lock untracked: the next run tracks it (Nix would not see it otherwise).
  spawnSync('git', ['rm', '-q', '--cached', 'flake.lock'], { cwd: flakeDir });
  spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@localhost', 'commit', '-qm', 'old layout'], { cwd: flakeDir });
  const again = runCli(['build', 'rootfs'], { cwd, env: { ...bwrapEnv, ANYSNAKE2_NO_WARM_PATH: '1' } });
  assert.equal(again.code, 0, again.stderr);
  assert.doesNotMatch(again.stderr, /locking the flake inputs|dirty/);
  assert.match(git('ls-files'), /^flake\.lock$/m);
});
