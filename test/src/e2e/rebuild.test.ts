/** When the rootfs is rebuilt: content-keyed, never on the warm path, always after an interrupted build. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, containerProject, runCli, testEnv } from '../support/cli.js';

/** A PATH whose `nix` fails and records that it was called. */
function failingNix(): { env: NodeJS.ProcessEnv; calls: string } {
  const dir = mkdtempSync(join(tmpdir(), 'as2-fakenix-'));
  const calls = join(dir, 'calls');
  writeFileSync(join(dir, 'nix'), `#!/bin/sh\necho "$*" >> '${calls}'\nexit 1\n`);
  chmodSync(join(dir, 'nix'), 0o755);
  return { env: { PATH: `${dir}:${process.env.PATH}` }, calls };
}

/** A derivation that takes a while to build, new in every test run (so never cached). */
const slow = (seconds: number) => `(runCommand "slow" { } "sleep ${seconds}; echo ${process.pid}-${Date.now()} > $out")`;

test('an unchanged, built project spawns no nix, on the full path and on the warm path', () => {
  const cwd = containerProject('[container.env]\nX = "$NOT_SET_ANYWHERE"\n');
  assert.equal(runCli(['run', '--', 'true'], { cwd }).code, 0);
  const fake = failingNix();
  const env = { ...fake.env, ANYSNAKE2_DEBUG_WARM_PATH: '1' };
  const full = runCli(['run', '--', 'hello'], { cwd, env });
  assert.equal(full.code, 0, full.stderr);
  assert.match(full.stderr, /warm path missed: the config, command words, a variable the launch reads, or the terminal changed/);
  const warm = runCli(['run', '--', 'hello'], { cwd, env });
  assert.equal(warm.code, 0, warm.stderr);
  assert.match(warm.stderr, /debug: warm path hit/);
  assert.equal(warm.stdout, full.stdout);
  assert.equal(warm.stdout, 'Hello, world!\n');
  assert.match(warm.stderr, /warning: container\.env\.X: \$NOT_SET_ANYWHERE is not set/, 'config warnings are shown on the warm path too');
  assert.equal(existsSync(fake.calls), false, `nix was called: ${existsSync(fake.calls) ? readFileSync(fake.calls, 'utf8') : ''}`);
  // Anything that changes the inputs leaves the warm path.
  writeFileSync(join(cwd, 'anysnake2.toml'), readFileSync(join(cwd, 'anysnake2.toml'), 'utf8') + '# a comment\n');
  assert.match(runCli(['run', '--', 'hello'], { cwd, env }).stderr, /warm path missed: the config/);
  assert.match(runCli(['run', '--', 'hello'], { cwd, env: { ...env, SOMETHING_NEW: '1' } }).stderr, /warm path hit/);
  writeFileSync(join(cwd, '.anysnake2_flake', '.build_unfinished'), 'in_progress\n');
  assert.match(runCli(['run', '--', 'true'], { cwd }).stderr, /building the container root filesystem/);
});

test('the warm path keys on the variables the launch reads: an unrelated one keeps it, a referenced one leaves it', () => {
  const cwd = containerProject('[container.env]\nFROM_HOST = "$AS2_REFERENCED"\n');
  const env = { ANYSNAKE2_DEBUG_WARM_PATH: '1', AS2_REFERENCED: 'one', LC_AS2_TEST: undefined };
  const show = ['run', '--', 'echo "[$FROM_HOST][$LC_AS2_TEST]"'];
  const first = runCli(show, { cwd, env });
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stdout, '[one][]\n');
  assert.match(runCli(show, { cwd, env }).stderr, /warm path hit/);
  // A new terminal or an unrelated variable: still warm, same output.
  const unrelated = runCli(show, { cwd, env: { ...env, AS2_UNRELATED: 'x', WINDOWID: '123', SSH_TTY: '/dev/pts/9' } });
  assert.match(unrelated.stderr, /warm path hit/);
  assert.equal(unrelated.stdout, '[one][]\n');
  // The variable [container.env] expands: the full path, and the new value inside.
  const referenced = runCli(show, { cwd, env: { ...env, AS2_REFERENCED: 'two' } });
  assert.match(referenced.stderr, /warm path missed: the config, command words, a variable the launch reads/);
  assert.equal(referenced.stdout, '[two][]\n');
  // Unset differs from set to "".
  assert.match(runCli(show, { cwd, env: { ...env, AS2_REFERENCED: '' } }).stderr, /warm path missed/);
  // A locale variable reaches the container unasked (pass-env.ts): also part of the key.
  const locale = runCli(show, { cwd, env: { ...env, LC_AS2_TEST: 'C' } });
  assert.match(locale.stderr, /warm path missed/);
  assert.equal(locale.stdout, '[one][C]\n');
  assert.match(runCli(show, { cwd, env: { ...env, LC_AS2_TEST: 'C' } }).stderr, /warm path hit/);
});

test('build flake does not force the next run to rebuild (defect 18 of the original)', () => {
  const cwd = containerProject();
  assert.equal(runCli(['run', '--', 'true'], { cwd }).code, 0);
  assert.equal(runCli(['build', 'flake'], { cwd }).code, 0);
  const fake = failingNix();
  const r = runCli(['run', '--', 'true'], { cwd, env: { ...fake.env, ANYSNAKE2_NO_WARM_PATH: '1' } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(existsSync(fake.calls), false, 'nix was called');
});

test('a changed config rebuilds; changing it back reuses the content-keyed state', () => {
  const cwd = containerProject();
  assert.equal(runCli(['run', '--', 'true'], { cwd }).code, 0);
  const config = join(cwd, 'anysnake2.toml');
  const original = readFileSync(config, 'utf8');
  writeFileSync(config, original.replace('"fixture-only"', '"fixture-only", "busybox"'));
  const changed = runCli(['run', '--', 'true'], { cwd });
  assert.match(changed.stderr, /building the container root filesystem/);
  writeFileSync(config, original);
  assert.match(runCli(['run', '--', 'true'], { cwd }).stderr, /building the container root filesystem/, 'result points at the other rootfs');
});

test('a build interrupted by a signal makes the next run rebuild, even when the old result matches', async () => {
  const cwd = containerProject();
  const config = join(cwd, 'anysnake2.toml');
  const fast = readFileSync(config, 'utf8');
  assert.equal(runCli(['run', '--', 'true'], { cwd }).code, 0);
  // Start building a slow variant and interrupt it half way.
  writeFileSync(config, fast.replace('"fixture-only"]', `"fixture-only", ${JSON.stringify(slow(4))}]`));
  const child = spawn(process.execPath, [BIN, 'run', '--', 'true'], { cwd, env: testEnv(), stdio: 'ignore', detached: true });
  const marker = join(cwd, '.anysnake2_flake', '.build_unfinished');
  for (let i = 0; i < 200 && !existsSync(marker); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(existsSync(marker), 'the build started');
  await new Promise((r) => setTimeout(r, 300));
  process.kill(-child.pid!, 'SIGINT');
  await new Promise((r) => child.on('close', r));
  assert.ok(existsSync(marker), 'the marker outlives the interrupted build');
  // Back to the config the result was built from: only the marker says "rebuild".
  writeFileSync(config, fast);
  const next = runCli(['run', '--', 'true'], { cwd });
  assert.equal(next.code, 0, next.stderr);
  assert.match(next.stderr, /building the container root filesystem/);
  assert.equal(existsSync(marker), false);
});

test('two processes on one project serialise on the project lock', async () => {
  const cwd = containerProject('', ['hello', slow(2)]);
  const env = testEnv();
  const start = () => {
    const child = spawn(process.execPath, [BIN, 'run', '--', 'hello'], { cwd, env });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => (stdout += d));
    return new Promise<{ code: number; stderr: string; stdout: string }>((resolve) => child.on('close', (code) => resolve({ code: code ?? -1, stderr, stdout })));
  };
  const first = start();
  const marker = join(cwd, '.anysnake2_flake', '.build_unfinished');
  for (let i = 0; i < 200 && !existsSync(marker); i++) await new Promise((r) => setTimeout(r, 50));
  const second = start();
  const [a, b] = await Promise.all([first, second]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  assert.equal(a.stdout, 'Hello, world!\n');
  assert.equal(b.stdout, 'Hello, world!\n');
  assert.match(b.stderr, /waiting for anysnake2 run \(pid \d+ on [^,]+, since [\d:]+\) to finish with this project/);
  assert.doesNotMatch(b.stderr, /building the container root filesystem/, "the second found the first one's build");
});
