/**
 * The processes of a run, with real bubblewrap and real dtach: a signal to anysnake2 ends the whole
 * container (also KILL, through bwrap's PID namespace and --die-with-parent), in the full path and
 * the warm path; Ctrl-C under dtach brings back 130; the command starts in the directory it was
 * run from; TERM, the proxies and the locale reach the container.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, containerProject, runCli, testEnv } from '../support/cli.js';
import { killProcesses, processesWith } from '../support/processes.js';
import { onTerminal } from '../support/terminal.js';

const bwrapEnv = { ANYSNAKE2_INSIDE: '', SINGULARITY_NAME: '', APPTAINER_NAME: '' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(what: string, condition: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

interface Started {
  child: ChildProcess;
  output: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function start(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Started {
  const child = spawn(command, args, { cwd, env: testEnv({ ...bwrapEnv, ...env }), stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  return { child, output: () => output, exit };
}

/** `run -- sleep <marker>`, signalled once the sleep runs: nothing of the container is left 3 s later. */
async function killDuringRun(cwd: string, signal: NodeJS.Signals, marker: string, path: 'full' | 'warm'): Promise<void> {
  const run = start(process.execPath, [BIN, 'run', '--', 'sleep', marker], cwd, { ANYSNAKE2_DEBUG_WARM_PATH: '1' });
  await waitFor(`sleep ${marker} to start (${path} path)`, () => processesWith(`sleep ${marker}`).some((p) => p.endsWith(`: sleep ${marker}`)), 120_000);
  assert.match(run.output(), path === 'warm' ? /warm path hit/ : /warm path missed/);
  process.kill(run.child.pid!, signal);
  const killedAt = Date.now();
  const ended = await ended15s(run, marker);
  assert.ok(ended, `${signal} (${path} path): anysnake2 (or a process holding its output) still running 15 s later\n${run.output()}`);
  const { code, signal: by } = ended;
  if (signal === 'SIGKILL') assert.equal(by, 'SIGKILL');
  else assert.equal(code, 128 + constants.signals[signal], `${signal} (${path} path): exit status 128+signal\n${run.output()}`);
  // Everything that carries the marker: bwrap, bash outer_run.sh, bash run.sh, sleep, the CLI.
  const left = async () => {
    while (Date.now() - killedAt < 3000 && processesWith(`sleep ${marker}`).length > 0) await sleep(50);
    return processesWith(`sleep ${marker}`);
  };
  const survivors = await left();
  // Never leave them behind, even when the assertion fails.
  killProcesses(survivors);
  assert.deepEqual(survivors, [], `${signal} (${path} path): processes of the container survived 3 s`);
}

/** The exit of a started process, or undefined (after killing it and the marked processes) when it takes more than 15 s. */
async function ended15s(run: Started, marker: string) {
  const ended = await Promise.race([run.exit, sleep(15_000).then(() => undefined)]);
  if (!ended) {
    run.child.kill('SIGKILL');
    killProcesses(processesWith(`sleep ${marker}`));
  }
  return ended;
}

let shared: string | undefined;
/** One built project for the signal tests (the build is the slow part). */
function builtProject(): string {
  if (!shared) {
    shared = containerProject();
    const r = runCli(['run', '--', 'true'], { cwd: shared, env: bwrapEnv });
    assert.equal(r.code, 0, r.stderr);
  }
  return shared;
}

const SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT', 'SIGKILL'];
SIGNALS.forEach((signal, i) => {
  test(`${signal} to anysnake2 ends the whole container, in the full and the warm path`, { timeout: 300_000 }, async () => {
    const cwd = builtProject();
    const marker = String(3101 + i);
    await killDuringRun(cwd, signal, marker, 'full');
    await killDuringRun(cwd, signal, marker, 'warm');
  });
});

test('a run started in the background outlives the shell that started it (nohup … &, then exit), in the full and the warm path', { timeout: 300_000 }, async () => {
  const cwd = builtProject();
  for (const [path, marker] of [
    ['full', '3151'],
    ['warm', '3152'],
  ] as const) {
    // The shell starts the run in the background, waits until the command runs, and exits: the
    // container must not go with it (anysnake2 stays bwrap's parent, so --die-with-parent binds to it).
    const shell = `nohup "$0" "$1" run -- sleep ${marker} </dev/null >/dev/null 2>&1 & for i in $(seq 600); do pgrep -f "^sleep ${marker}" >/dev/null && exit 0; sleep 0.1; done; exit 1`;
    const env = testEnv({ ...bwrapEnv, ...(path === 'full' ? { ANYSNAKE2_NO_WARM_PATH: '1' } : {}) });
    const started = spawn('sh', ['-c', shell, process.execPath, BIN], { cwd, env, stdio: 'ignore' });
    const [code] = (await once(started, 'close')) as [number | null];
    try {
      assert.equal(code, 0, `${path} path: the command did not start within 60 s`);
      await sleep(1500);
      assert.ok(
        processesWith(`sleep ${marker}`).some((p) => p.endsWith(`: sleep ${marker}`)),
        `${path} path: the container ended with the shell that started it`,
      );
    } finally {
      killProcesses(processesWith(`sleep ${marker}`));
    }
  }
});

test('Ctrl-C under dtach: the run ends with 130, not with a false "detached"', { timeout: 300_000 }, async () => {
  const cwd = builtProject();
  const marker = '3201';
  const toml = join(cwd, 'anysnake2.toml');
  const dtachToml = join(cwd, 'dtach.toml');
  writeFileSync(dtachToml, readFileSync(toml, 'utf8').replace('dtach = false', 'dtach = true'));
  // On a pseudo-terminal, outside tmux and screen (where dtach is on); ^C typed into it.
  const terminal = onTerminal([process.execPath, BIN, '-c', dtachToml, 'run', '--', `echo started; sleep ${marker}`]);
  const onTerminalRun = start(terminal.command, terminal.args, cwd, { TMUX: '', STY: '' });
  try {
    await waitFor('the command to start', () => processesWith(`sleep ${marker}`).some((p) => p.endsWith(`: sleep ${marker}`)), 120_000);
    onTerminalRun.child.stdin!.write('\x03');
    const ended = await ended15s(onTerminalRun, marker);
    assert.equal(ended?.code, 130, onTerminalRun.output());
    assert.doesNotMatch(onTerminalRun.output(), /detached/);
  } finally {
    killProcesses(processesWith(`sleep ${marker}`));
  }
});

test('under dtach, a signal to anysnake2 detaches: exit 128+signal, the session goes on', { timeout: 300_000 }, async () => {
  const cwd = builtProject();
  const marker = '3301';
  const dtachToml = join(cwd, 'dtach.toml');
  writeFileSync(dtachToml, readFileSync(join(cwd, 'anysnake2.toml'), 'utf8').replace('dtach = false', 'dtach = true'));
  const terminal = onTerminal([process.execPath, BIN, '-c', dtachToml, 'run', '--', `sleep ${marker}`]);
  const onTerminalRun = start(terminal.command, terminal.args, cwd, { TMUX: '', STY: '' });
  try {
    await waitFor('the command to start', () => processesWith(`sleep ${marker}`).some((p) => p.endsWith(`: sleep ${marker}`)), 120_000);
    // The CLI itself: its command line starts with node and BIN (the relay's merely contains them).
    const cli = processesWith(`sleep ${marker}`).find((p) => p.slice(p.indexOf(': ') + 2).startsWith(`${process.execPath} ${BIN} `));
    assert.ok(cli, processesWith(`sleep ${marker}`).join('\n'));
    process.kill(Number(cli.split(':')[0]), 'SIGTERM');
    const ended = await Promise.race([onTerminalRun.exit, sleep(15_000).then(() => undefined)]);
    assert.equal(ended?.code, 143, `${onTerminalRun.output()}\n${processesWith(`sleep ${marker}`).join('\n')}`);
    assert.match(onTerminalRun.output(), /detached from .*reattach with: anysnake2 attach/);
    await sleep(500);
    assert.ok(
      processesWith(`sleep ${marker}`).some((p) => p.endsWith(`: sleep ${marker}`)),
      'the session keeps running',
    );
  } finally {
    onTerminalRun.child.kill('SIGKILL');
    killProcesses(processesWith(`sleep ${marker}`));
  }
});

/** A project at <home>/proj whose container home is <home>, and the command run from <home>/proj. */
function projectUnderHome(extra = ''): { home: string; project: string } {
  const project = containerProject(`[container]\nhome = "${'$'}{FAKE_HOME}"\n${extra}`);
  const home = mkdtempSync(join(tmpdir(), 'as2-home-'));
  const moved = join(home, 'proj');
  mkdirSync(moved);
  for (const name of readdirSync(project)) writeFileSync(join(moved, name), readFileSync(join(project, name)));
  return { home, project: moved };
}

test('commands start in the directory they were run from when the container shows it', () => {
  // Under the container's home: the same path.
  const { home, project } = projectUnderHome();
  writeFileSync(join(project, 'script.sh'), 'echo "script ran in $(pwd)"\n');
  const r = runCli(['run', '--', 'bash', 'script.sh'], { cwd: project, env: { ...bwrapEnv, FAKE_HOME: home } });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, new RegExp(`^script ran in ${project}$`, 'm'));

  // Through a volume only: the path the volume gives it inside.
  const other = mkdtempSync(join(tmpdir(), 'as2-home-'));
  const viaVolume = runCli(['run', '--', 'pwd'], {
    cwd: project,
    env: { ...bwrapEnv, FAKE_HOME: other },
  });
  assert.equal(viaVolume.code, 0, viaVolume.stderr);
  assert.equal(viaVolume.stdout.trim(), other, 'not shown by the container: the home, as before');
  writeFileSync(join(project, 'anysnake2.toml'), `${readFileSync(join(project, 'anysnake2.toml'), 'utf8')}[container.volumes_rw]\n"." = "/project"\n`);
  const mounted = runCli(['run', '--', 'pwd'], { cwd: project, env: { ...bwrapEnv, FAKE_HOME: other } });
  assert.equal(mounted.code, 0, mounted.stderr);
  assert.equal(mounted.stdout.trim(), '/project');
});

test('TERM, the proxy variables and the locale reach the container; the config wins; nothing else leaks', () => {
  const cwd = containerProject('[container.env]\nno_proxy = "from-config"\n');
  const host = {
    TERM: 'xterm-256color',
    http_proxy: 'http://proxy.example:3128',
    HTTPS_PROXY: 'http://proxy.example:3129',
    ALL_PROXY: 'socks5://proxy.example:1080',
    ftp_proxy: 'http://proxy.example:21',
    no_proxy: 'from-host',
    LANG: 'C.UTF-8',
    LC_TIME: 'C',
    UNRELATED_SECRET: 'leak',
  };
  const r = runCli(['run', '--', 'env'], { cwd, env: { ...bwrapEnv, ...host } });
  assert.equal(r.code, 0, r.stderr);
  for (const [name, value] of Object.entries(host))
    if (!['no_proxy', 'UNRELATED_SECRET'].includes(name)) assert.match(r.stdout, new RegExp(`^${name}=${value.replace(/[.]/g, '\\.')}$`, 'm'));
  assert.match(r.stdout, /^no_proxy=from-config$/m);
  assert.doesNotMatch(r.stdout, /UNRELATED_SECRET/);
});
