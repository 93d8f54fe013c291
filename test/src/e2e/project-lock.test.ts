/**
 * The project lock (.anysnake2_flake/.anysnake2.lock): a lock left behind never blocks, a live
 * holder is waited for with a message and a bound (then exit 75 naming it), and pinning runs under
 * the same lock, so first runs started together all succeed. Real CLI, real git host, real Nix.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { BIN, containerProject, runCli, testEnv, type CliResult } from '../support/cli.js';

/** A run on the full path (the warm path takes no lock): builds when needed, under the lock. */
const RUN = ['run', '--', 'true'];
const RUN_ENV = { ANYSNAKE2_NO_WARM_PATH: '1', ANYSNAKE2_INSIDE: '', SINGULARITY_NAME: '', APPTAINER_NAME: '' };
const lockFile = (cwd: string) => join(cwd, '.anysnake2_flake', '.anysnake2.lock');

function writeLock(cwd: string, content: string, ageSeconds = 0): void {
  mkdirSync(join(cwd, '.anysnake2_flake'), { recursive: true });
  writeFileSync(lockFile(cwd), content);
  const then = Date.now() / 1000 - ageSeconds;
  utimesSync(lockFile(cwd), then, then);
}

/** The CLI with a bound: a run that would wait forever is killed (status -1) instead of hanging the suite. */
function runBounded(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, timeoutMs = 120_000): CliResult & { ms: number } {
  const started = Date.now();
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, env: testEnv(env), encoding: 'utf8', timeout: timeoutMs });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
}

function runAsync(args: string[], cwd: string): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd, env: testEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

function deadPid(): number {
  const child = spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' });
  return Number(child.stdout.trim());
}

function startTicks(pid: number): string {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]!;
}

test('a lock left behind (PID 1, no process named, a dead PID, a reused PID) is taken over with a note', { timeout: 600_000 }, () => {
  const cwd = containerProject();
  assert.equal(runCli(['tofu'], { cwd }).code, 0);
  const cases: [string, string, number, RegExp][] = [
    ['PID 1 (echo 1 > lock)', '1\n', 0, /process 1 is not anysnake2/],
    ['garbage', 'not a pid\n', 60, /names no process/],
    ['a dead PID', `${deadPid()}\n`, 0, /process \d+ is gone/],
    // This test process is alive, but it did not take the lock: the recorded start time differs.
    ['a reused PID', JSON.stringify({ host: hostname(), pid: process.pid, start: String(Number(startTicks(process.pid)) - 1) }), 0, /is now another program/],
  ];
  // The first case builds: a run that has to write takes the lock over.
  // Afterwards nothing needs writing, so a run does not even look at the lock (build.ts checks
  // without it); `build flake`, which always writes under the lock, takes it over.
  for (const [i, [name, content, age, reason]] of cases.entries()) {
    writeLock(cwd, content, age);
    if (i > 0) {
      const run = runBounded(RUN, cwd, RUN_ENV, 90_000);
      assert.equal(run.code, 0, `${name}: ${run.stderr}`);
      assert.doesNotMatch(run.stderr, /left behind|waiting for/, `${name}: an up-to-date run takes no lock`);
      assert.ok(existsSync(lockFile(cwd)), `${name}: an up-to-date run leaves the lock alone`);
    }
    const r = runBounded(i === 0 ? RUN : ['build', 'flake'], cwd, RUN_ENV, 90_000);
    assert.equal(r.code, 0, `${name}: ${r.stderr}`);
    assert.match(r.stderr, /\.anysnake2\.lock was left behind/, name);
    assert.match(r.stderr, reason, name);
    assert.equal(existsSync(lockFile(cwd)), false, `${name}: the lock is released`);
  }
});

test('a live holder is waited for with a message, then exit 75 names it (another host; an older anysnake2 here)', { timeout: 600_000 }, () => {
  const cwd = containerProject();
  assert.equal(runCli(['tofu'], { cwd }).code, 0);
  const since = new Date().toISOString();
  writeLock(cwd, JSON.stringify({ host: 'cluster-node-7.example', pid: 4242, start: '99', since, command: 'run' }));
  const r = runBounded(RUN, cwd, { ...RUN_ENV, ANYSNAKE2_LOCK_TIMEOUT: '2' });
  assert.equal(r.code, 75, r.stderr);
  assert.match(r.stderr, /waiting for anysnake2 run \(pid 4242 on cluster-node-7\.example, since [\d:]+\) to finish with this project \(at most 2 s\)/);
  assert.match(r.stderr, /anysnake2 run \(pid 4242 on cluster-node-7\.example.*\) still holds \.anysnake2_flake\/\.anysnake2\.lock; gave up waiting after 2 s/);
  assert.match(r.stderr, /remove \.anysnake2_flake\/\.anysnake2\.lock/);
  assert.ok(r.ms >= 2000, `it waited (${r.ms} ms)`);
  assert.equal(JSON.parse(readFileSync(lockFile(cwd), 'utf8')).pid, 4242, 'a holder that may be alive keeps its lock');

  // A bare PID, as an older anysnake2 wrote it, of a live anysnake2 on this host: waited for too.
  const holder = spawn('bash', ['-c', 'exec -a anysnake2-older sleep 60'], { stdio: 'ignore' });
  try {
    writeLock(cwd, `${holder.pid}\n`);
    const older = runBounded(RUN, cwd, { ...RUN_ENV, ANYSNAKE2_LOCK_TIMEOUT: '1' });
    assert.equal(older.code, 75, older.stderr);
    assert.match(older.stderr, new RegExp(`another anysnake2 \\(pid ${holder.pid}\\) still holds`));
  } finally {
    holder.kill('SIGKILL');
  }
  const bad = runBounded(RUN, cwd, { ...RUN_ENV, ANYSNAKE2_LOCK_TIMEOUT: 'soon' });
  assert.equal(bad.code, 64, bad.stderr);
  assert.match(bad.stderr, /ANYSNAKE2_LOCK_TIMEOUT="soon" is not a number of seconds/);
});

test('first runs of an unpinned project started together all succeed; one pins, the others read the pins', { timeout: 600_000 }, async () => {
  const cwd = containerProject();
  const results = await Promise.all([0, 1, 2].map(() => runAsync(['build', 'flake'], cwd)));
  for (const r of results) assert.equal(r.code, 0, r.stderr);
  assert.equal(results.filter((r) => /pinned \d+ values? in anysnake2\.toml/.test(r.stderr)).length, 1, results.map((r) => r.stderr).join('\n---\n'));
  assert.match(runCli(['tofu'], { cwd }).stderr, /pinned and canonical; nothing to write/);
  assert.equal(existsSync(lockFile(cwd)), false);
});
