/**
 * Starting the runtime's command line: in the foreground with the terminal, optionally inside a
 * dtach session (so the container survives a dropped SSH connection). The container's exit status
 * is passed through — also through dtach, which by itself loses it.
 */
// Synchronous file calls only: node:fs/promises costs the warm path eight more of Node's own modules.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { constants } from 'node:os';
import { join, relative } from 'node:path';
import type { LaunchInput, LaunchSpec } from '../plugin-api.js';
import { childProcess } from '../lazy-builtins.js';
import { nativeModule } from '../native.js';
import { closeInputs, openInputs } from './launch-inputs.js';
import { privateLaunchSpec } from './launch-files.js';
import { RunSignals } from './run-signals.js';

export interface DtachSession {
  /** The dtach command: `[dtach]` or `[nix, …, shell, <outside>#dtach, -c, dtach]`. */
  command: string[];
  /** Socket path, relative to the project directory (sockets have a ~100 byte path limit). */
  socket: string;
}

export interface RunOutcome {
  readonly exitCode: number;
}

/** A fresh session `<cmd>_<UTC time>`: unique, sortable, and readable in `anysnake2 attach`. */
export async function newDtachSession(projectDir: string, flakeDir: string, commandName: string, command: string[]): Promise<DtachSession> {
  const dir = join(flakeDir, 'dtach');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date()
    .toISOString()
    .replace(/[:]/g, '-')
    .replace(/\.\d+Z$/, 'Z');
  return { command, socket: relative(projectDir, join(dir, `${commandName}_${stamp}`)) };
}

/** The runtime (or dtach) in the foreground, with the terminal; signals to anysnake2 go on to it. */
function spawnForeground(argv: readonly string[], cwd: string, signals: RunSignals, env?: Readonly<Record<string, string>>, inputs: readonly number[] = []): Promise<number> {
  // Asked to stop before the container started (e.g. while the full path prepared it): don't start it.
  if (signals.exitCode !== undefined) return Promise.resolve(signals.exitCode);
  const status = nativeForeground(argv, cwd, signals, env, inputs);
  if (status !== undefined) return Promise.resolve(status);
  // Without the native module, or what it could not start (node:child_process then says why).
  return new Promise((resolve, reject) => {
    // inputs[i]: the descriptor the runtime gets as 3 + i (-1: none).
    const stdio = ['inherit', 'inherit', 'inherit', ...inputs.map((fd) => (fd < 0 ? 'ignore' : fd))] as ('inherit' | 'ignore' | number)[];
    const child = childProcess().spawn(argv[0]!, argv.slice(1), { cwd, stdio: inputs.length ? stdio : 'inherit', env: env && { ...process.env, ...env } });
    signals.track(child);
    child.on('error', (error: NodeJS.ErrnoException) => {
      // errors.js is imported when needed: the warm path's bundle then reports the class report-failure knows (scripts/bundle-runtime.mjs).
      if (error.code !== 'ENOENT') return reject(error);
      import('../errors.js').then(({ ToolMissingError }) => reject(new ToolMissingError(`${argv[0]} is not installed (not found on PATH)`)), reject);
    });
    child.on('close', (code, signal) => resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 15) : 0)));
  });
}

/**
 * The same through the core's native module (native.ts): posix_spawn instead of forking all of
 * Node, and the wait and the passing on of signals (run-signals.ts's rules) in C, so the warm path
 * loads no node:child_process. The runtime's status; undefined without the module or when it could
 * not start the program.
 */
function nativeForeground(
  argv: readonly string[],
  cwd: string,
  signals: RunSignals,
  env: Readonly<Record<string, string>> | undefined,
  inputs: readonly number[],
): number | undefined {
  const native = nativeModule();
  // execve carries no NUL byte; spawn reports such an argument properly.
  if (!native || [...argv, ...Object.entries(env ?? {}).flat()].some((text) => text.includes('\0'))) return undefined;
  const merged = env ? { ...process.env, ...env } : process.env;
  const environment = Object.entries(merged).flatMap(([name, value]) =>
    value === undefined || name.includes('=') || `${name}${value}`.includes('\0') ? [] : [`${name}=${value}`],
  );
  const here = process.cwd();
  if (cwd !== here) process.chdir(cwd);
  try {
    const { status, signal } = native.foreground(argv[0]!, argv, environment, inputs, signals.terminal, Math.ceil(signals.graceMs / 1000));
    if (signal) signals.passedOn(signal); // the run was stopped (a dtach client, for one, then detaches)
    return status >= 0 ? status : undefined;
  } finally {
    if (cwd !== here) process.chdir(here);
  }
}

/**
 * The dtach session's command: runs the container and records its status next to the socket
 * (dtach itself exits 0 either way). The trap keeps this bash alive through the keyboard's Ctrl-C
 * (which reaches the whole session) so that the container's 130 is recorded; traps are not
 * inherited, so the container sees the keyboard's signals as usual.
 */
export const DTACH_STATUS_WRAPPER = 'trap : INT QUIT; status_file="$1"; shift; "$@"; echo $? > "$status_file"';

/**
 * The wrapper when the runtime reads inputs: the session outlives this process, so each input is
 * a file only the owner can read (its path an argument after the status file), which the
 * wrapper opens at the input's descriptor and removes before the runtime starts.
 */
export function dtachWrapper(inputs: readonly LaunchInput[]): string {
  const open = inputs.map((input) => `exec ${Number(input.fd)}<"$1" && rm -f -- "$1" && shift || exit 70; `).join('');
  return DTACH_STATUS_WRAPPER.replace('shift; ', `shift; ${open}`);
}

/** A runtime's LaunchSpec, run: its files written, the container started, its cleanup done on every way out. */
export async function launch(recorded: LaunchSpec, options: { cwd: string; dtach?: DtachSession; signals: RunSignals; privateDir: string }): Promise<RunOutcome> {
  const spec = privateLaunchSpec(recorded);
  try {
    if (spec.files?.length) {
      // Imported when needed: the warm path's bundle then reports the error classes report-failure knows.
      const { writeFileAtomic } = await import('../fs-atomic.js');
      for (const file of spec.files) await writeFileAtomic(file.path, file.content, file.mode ?? 0o600);
    }
    return await launchArgv(spec.argv, spec.env, spec.inputs ?? [], options);
  } finally {
    for (const path of spec.cleanup ?? [])
      try {
        rmSync(path, { force: true, recursive: true });
      } catch {
        // best effort, as before
      }
  }
}

async function launchArgv(
  argv: readonly string[],
  env: Readonly<Record<string, string>> | undefined,
  inputs: readonly LaunchInput[],
  options: { cwd: string; dtach?: DtachSession; signals: RunSignals; privateDir: string },
): Promise<RunOutcome> {
  if (!options.dtach) {
    const fds = openInputs(inputs, options.privateDir);
    let running: Promise<number>;
    try {
      running = spawnForeground(argv, options.cwd, options.signals, env, fds);
    } finally {
      closeInputs(fds); // the runtime has its own copies once spawned (synchronously, above)
    }
    return { exitCode: await running };
  }
  const { command, socket } = options.dtach;
  const statusFile = `${socket}.status`;
  const inputFiles = inputs.map((input) => `${socket}.fd${input.fd}`);
  try {
    for (const [i, input] of inputs.entries()) writeFileSync(join(options.cwd, inputFiles[i]!), input.content, { mode: 0o600, flag: 'wx' });
    // The inner command records its status next to the socket; dtach itself exits 0 either way.
    const inner = ['bash', '-c', dtachWrapper(inputs), 'anysnake2-dtach', statusFile, ...inputFiles, ...argv];
    process.stdout.write('\n'.repeat(process.stdout.rows ?? 50)); // dtach clears the screen; keep the log above it
    // A signal to anysnake2 ends the dtach client only, i.e. detaches: the session keeps running.
    await spawnForeground([...command, '-c', socket, '-z', '-r', 'winch', ...inner], options.cwd, options.signals, env);
  } finally {
    // Gone already once the session started (the wrapper removes them); not when it never did.
    for (const file of inputFiles) rmSync(join(options.cwd, file), { force: true });
  }
  const exitCode = await takeStatus(join(options.cwd, statusFile));
  if (exitCode === undefined) {
    process.stderr.write(`detached from ${socket}; reattach with: anysnake2 attach\n`);
    return { exitCode: 0 };
  }
  return { exitCode };
}

/** The status the session's command recorded, if it has finished (the file is consumed). */
async function takeStatus(statusPath: string): Promise<number | undefined> {
  if (!existsSync(statusPath)) return undefined;
  const exitCode = Number(readFileSync(statusPath, 'utf8').trim());
  rmSync(statusPath, { force: true });
  return Number.isInteger(exitCode) ? exitCode : 70;
}

/** `anysnake2 attach`: reattach; when the session ends while attached, its command's status. */
export async function launchAttach(dtach: readonly string[], socket: string, cwd: string): Promise<number> {
  const signals = new RunSignals();
  try {
    await spawnForeground([...dtach, '-a', socket, '-r', 'winch'], cwd, signals);
  } finally {
    signals.dispose();
  }
  // Undefined: detached again, or the session is still running.
  return signals.exitCode ?? (await takeStatus(join(cwd, `${socket}.status`))) ?? 0;
}
