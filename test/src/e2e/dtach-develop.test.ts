/** dtach (exit status survives it; attach), and `develop` — with real dtach and real nix develop. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, containerProject, runCli, testEnv } from '../support/cli.js';

const shellQuote = (words: string[]) => words.map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(' ');

/** Run the CLI on a pseudo-terminal (util-linux `script`), as a user at a terminal would. */
function onTerminal(cwd: string, args: string[]): { code: number; output: string } {
  const command = shellQuote([process.execPath, BIN, ...args]);
  // Outside tmux and screen, where dtach is on.
  const { TMUX: _tmux, STY: _sty, ...env } = testEnv();
  const r = spawnSync('script', ['-qec', command, '/dev/null'], { cwd, env, encoding: 'utf8', input: '' });
  return { code: r.status ?? -1, output: r.stdout + r.stderr };
}

test('with dtach (on a terminal), the inner exit status survives; without a terminal dtach is off', () => {
  const cwd = containerProject();
  const toml = join(cwd, 'anysnake2.toml');
  writeFileSync(toml, readFileSync(toml, 'utf8').replace('dtach = false', 'dtach = true'));
  const r = onTerminal(cwd, ['run', '--', 'echo inside-dtach; exit 7']);
  assert.equal(r.code, 7, r.output);
  assert.match(r.output, /inside-dtach/);
  assert.match(r.output, /\[EOF - dtach terminating\]/);
  // The socket is gone afterwards, and its status file consumed.
  assert.deepEqual(readdirSync(join(cwd, '.anysnake2_flake', 'dtach')), []);
  const plain = runCli(['run', '--', 'exit 9'], { cwd });
  assert.equal(plain.code, 9);
  assert.doesNotMatch(plain.stdout + plain.stderr, /dtach/);
});

test('attach without sessions says so, and removes stale sockets', () => {
  const cwd = containerProject();
  const r = runCli(['attach'], { cwd });
  assert.equal(r.code, 64);
  assert.match(r.stderr, /no session to attach to/);
  const dir = join(cwd, '.anysnake2_flake', 'dtach');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'default_stale'), '');
  assert.equal(runCli(['attach'], { cwd }).code, 64);
  assert.equal(existsSync(join(dir, 'default_stale')), false);
});

test('develop: nix develop in the project directory with the rootfs and dev_shell.inputs on PATH', () => {
  const cwd = containerProject('[dev_shell]\ninputs = ["hello"]\nshell = "bash"\n', ['fixture-only']);
  const r = spawnSync(process.execPath, [BIN, 'develop'], {
    cwd,
    env: testEnv(),
    input: 'echo "dir=$(pwd)"; type -p fixture-only hello | wc -l; exit 5\n',
    encoding: 'utf8',
  });
  assert.equal(r.status, 5, r.stderr);
  assert.match(r.stdout, new RegExp(`^dir=${cwd}$`, 'm'));
  assert.match(r.stdout, /^2$/m);
});

test('attach lists the live sessions, asks which one, and reattaches', { timeout: 60_000 }, () => {
  const cwd = containerProject();
  assert.equal(runCli(['tofu'], { cwd }).code, 0);
  const dir = join(cwd, '.anysnake2_flake', 'dtach');
  mkdirSync(dir, { recursive: true });
  // Two detached sessions (as `anysnake2 <cmd>` leaves them after Ctrl-\), plus a stale socket.
  for (const name of ['default_2026-01-01T00-00-00Z', 'shell_2026-01-02T00-00-00Z'])
    spawnSync('dtach', ['-n', join(dir, name), 'bash', '-c', `sleep 4; echo "${name} done"`], { cwd });
  writeFileSync(join(dir, 'old_2025-01-01T00-00-00Z'), '');
  // The answers are typed into the terminal: a wrong one, then 2.
  const r = spawnSync('script', ['-qec', shellQuote([process.execPath, BIN, 'attach']), '/dev/null'], { cwd, env: testEnv(), encoding: 'utf8', input: '7\n2\n' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /1\) default_2026-01-01T00-00-00Z/);
  assert.match(r.stdout, /2\) shell_2026-01-02T00-00-00Z/);
  assert.match(r.stdout, /please answer with one of the numbers above/);
  assert.match(r.stdout, /reattaching to shell_2026-01-02T00-00-00Z/);
  assert.doesNotMatch(r.stdout, /old_2025/);
  assert.equal(existsSync(join(dir, 'old_2025-01-01T00-00-00Z')), false, 'the stale socket is removed');
});
