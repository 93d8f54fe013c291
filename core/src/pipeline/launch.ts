/**
 * Starting the runtime's command line: in the foreground with the terminal, optionally inside a
 * dtach session (so the container survives a dropped SSH connection). The container's exit status
 * is passed through — also through dtach, which by itself loses it.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { constants } from 'node:os';
import { join, relative } from 'node:path';
import type { LaunchSpec } from '../plugin-api.js';
import { ToolMissingError } from '../errors.js';
import { writeFileAtomic } from '../fs-atomic.js';
import { privateLaunchSpec } from './launch-files.js';
import { which } from '../which.js';
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

/** dtach is on by default, off inside tmux/screen and without a terminal (nothing to detach from). */
export function dtachWanted(configured: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  return configured && !env.TMUX && !env.STY && Boolean(process.stdin.isTTY) && Boolean(process.stdout.isTTY);
}

/** dtach from PATH, else from the outside nixpkgs. */
export async function dtachCommand(outsideNixpkgs: string): Promise<string[]> {
  const local = await which('dtach');
  if (local) return [local];
  // Only the full path gets here: the warm path replays the recorded command without nix.js.
  const { NIX_FLAGS } = await import('../nix-cli/nix.js');
  return ['nix', ...NIX_FLAGS, 'shell', `${outsideNixpkgs}#dtach`, '-c', 'dtach'];
}

/** A fresh session `<cmd>_<UTC time>`: unique, sortable, and readable in `anysnake2 attach`. */
export async function newDtachSession(projectDir: string, flakeDir: string, commandName: string, command: string[]): Promise<DtachSession> {
  const dir = join(flakeDir, 'dtach');
  await mkdir(dir, { recursive: true });
  const stamp = new Date()
    .toISOString()
    .replace(/[:]/g, '-')
    .replace(/\.\d+Z$/, 'Z');
  return { command, socket: relative(projectDir, join(dir, `${commandName}_${stamp}`)) };
}

/** The runtime (or dtach) in the foreground, with the terminal; signals to anysnake2 go on to it. */
function spawnForeground(argv: readonly string[], cwd: string, signals: RunSignals, env?: Readonly<Record<string, string>>): Promise<number> {
  // Asked to stop before the container started (e.g. while the full path prepared it): don't start it.
  if (signals.exitCode !== undefined) return Promise.resolve(signals.exitCode);
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { cwd, stdio: 'inherit', env: env && { ...process.env, ...env } });
    signals.track(child);
    child.on('error', (error: NodeJS.ErrnoException) => {
      reject(error.code === 'ENOENT' ? new ToolMissingError(`${argv[0]} is not installed (not found on PATH)`) : error);
    });
    child.on('close', (code, signal) => resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 15) : 0)));
  });
}

/**
 * The dtach session's command: runs the container and records its status next to the socket
 * (dtach itself exits 0 either way). The trap keeps this bash alive through the keyboard's Ctrl-C
 * (which reaches the whole session) so that the container's 130 is recorded; traps are not
 * inherited, so the container sees the keyboard's signals as usual.
 */
export const DTACH_STATUS_WRAPPER = 'trap : INT QUIT; status_file="$1"; shift; "$@"; echo $? > "$status_file"';

/** A runtime's LaunchSpec, run: its files written, the container started, its cleanup done on every way out. */
export async function launch(recorded: LaunchSpec, options: { cwd: string; dtach?: DtachSession; signals: RunSignals }): Promise<RunOutcome> {
  const spec = privateLaunchSpec(recorded);
  try {
    for (const file of spec.files ?? []) await writeFileAtomic(file.path, file.content, file.mode ?? 0o600);
    return await launchArgv(spec.argv, spec.env, options);
  } finally {
    for (const path of spec.cleanup ?? []) await rm(path, { force: true, recursive: true }).catch(() => undefined);
  }
}

async function launchArgv(
  argv: readonly string[],
  env: Readonly<Record<string, string>> | undefined,
  options: { cwd: string; dtach?: DtachSession; signals: RunSignals },
): Promise<RunOutcome> {
  if (!options.dtach) return { exitCode: await spawnForeground(argv, options.cwd, options.signals, env) };
  const { command, socket } = options.dtach;
  const statusFile = `${socket}.status`;
  // The inner command records its status next to the socket; dtach itself exits 0 either way.
  const inner = ['bash', '-c', DTACH_STATUS_WRAPPER, 'anysnake2-dtach', statusFile, ...argv];
  process.stdout.write('\n'.repeat(process.stdout.rows ?? 50)); // dtach clears the screen; keep the log above it
  // A signal to anysnake2 ends the dtach client only, i.e. detaches: the session keeps running.
  await spawnForeground([...command, '-c', socket, '-z', '-r', 'winch', ...inner], options.cwd, options.signals, env);
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
  const exitCode = Number((await readFile(statusPath, 'utf8')).trim());
  await rm(statusPath, { force: true });
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
