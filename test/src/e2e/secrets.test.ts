/**
 * Host secrets stay out of the world-readable Nix store: `[container.env]` values expanded from the
 * host are written only to owner-only files beside the flake, and Nix copies only the tracked flake
 * files (the flake is `git+file:` of its own repository), never run scripts or warm entries.
 * While a container runs, no process's command line (what `ps` shows every user) carries a
 * [container.env] value or a proxy credential. Real Nix, real bubblewrap, the fixture universe.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, containerProject, runCli, testEnv } from '../support/cli.js';
import { processesWith } from '../support/processes.js';

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
  assert.ok(
    created.some((p) => p.endsWith('-source')),
    'the relock copied the flake into the store',
  );
  assert.deepEqual(storePathsContaining(created, secret), [], 'the secret is in the world-readable store');

  const flakeDir = join(cwd, '.anysnake2_flake');
  const warm = join(flakeDir, 'run_scripts', 'run', 'warm.json');
  assert.ok(readFileSync(warm, 'utf8').includes(secret), 'the warm entry holds the LaunchSpec (and so the value)');
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('no command line of a running container shows a [container.env] value or a proxy password (full and warm path)', { timeout: 300_000 }, async () => {
  const secret = `as2-argv-${randomBytes(12).toString('hex')}`;
  const proxyPassword = `pw${randomBytes(8).toString('hex')}`;
  const cwd = containerProject('[container.env]\nTOKEN = "${AS2_TEST_TOKEN}"\n', ['hello']);
  const env = testEnv({ ...bwrapEnv, AS2_TEST_TOKEN: secret, https_proxy: `http://user:${proxyPassword}@127.0.0.1:9`, ANYSNAKE2_DEBUG_WARM_PATH: '1' });
  const scripts = join(cwd, '.anysnake2_flake', 'run_scripts', 'run');
  // bwrap reads the environment from a pipe (LaunchSpec inputs): the one file that holds a value
  // is the owner-only warm entry, which replays the launch.
  const filesWithSecret = () =>
    existsSync(scripts)
      ? readdirSync(scripts)
          .filter((f) => statSync(join(scripts, f)).isFile() && readFileSync(join(scripts, f), 'utf8').includes(secret))
          .sort()
      : [];
  const marker = secret.slice(-6);
  for (const path of ['full', 'warm'] as const) {
    // The container proves it has the values, then waits until the test has looked.
    const script = `echo "got-env-${marker} $TOKEN $https_proxy"; exec sleep 300`;
    const child = spawn(process.execPath, [BIN, 'run', '--', script], { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (d) => (output += d));
    child.stderr!.on('data', (d) => (output += d));
    const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
    try {
      const deadline = Date.now() + 240_000;
      while (!output.includes(`got-env-${marker}`)) {
        assert.ok(Date.now() < deadline && child.exitCode === null, `the container did not start (${path} path):\n${output}`);
        await sleep(50);
      }
      assert.match(output, path === 'warm' ? /warm path hit/ : /warm path missed/);
      assert.ok(output.includes(`got-env-${marker} ${secret} http://user:${proxyPassword}@`), `the container has the values:\n${output}`);
      assert.deepEqual(processesWith(secret), [], `${path} path: a command line shows the [container.env] value`);
      assert.deepEqual(processesWith(proxyPassword), [], `${path} path: a command line shows the proxy password`);
      assert.ok(processesWith(`got-env-${marker}`).length > 0, 'the scan sees the container (the test can fail)');
      assert.deepEqual(filesWithSecret(), ['warm.json'], 'no environment file on disk while the container runs');
      assert.equal(statSync(join(scripts, 'warm.json')).mode & 0o777, 0o600, 'the warm entry is owner-only');
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
      const killer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 10_000);
      await closed;
      clearTimeout(killer);
    }
    assert.deepEqual(filesWithSecret(), ['warm.json'], 'nothing else holds the value after the run');
  }
});
