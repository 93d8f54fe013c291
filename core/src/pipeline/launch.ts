/**
 * Starting the runtime's command line: in the foreground with the terminal, optionally inside a
 * dtach session (so the container survives a dropped SSH connection). The container's exit status
 * is passed through — also through dtach, which by itself loses it.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { RunOutcome } from '../plugin-api.js';
import { ToolMissingError } from '../errors.js';
import { NIX_FLAGS } from '../nix-cli/nix.js';
import { which } from '../which.js';

export interface DtachSession {
  /** The dtach command: `[dtach]` or `[nix, …, shell, <outside>#dtach, -c, dtach]`. */
  command: string[];
  /** Socket path, relative to the project directory (sockets have a ~100 byte path limit). */
  socket: string;
}

/** dtach is on by default, off inside tmux/screen and without a terminal (nothing to detach from). */
export function dtachWanted(configured: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  return configured && !env.TMUX && !env.STY && Boolean(process.stdin.isTTY) && Boolean(process.stdout.isTTY);
}

/** dtach from PATH, else from the outside nixpkgs. */
export async function dtachCommand(outsideNixpkgs: string): Promise<string[]> {
  const local = await which('dtach');
  return local ? [local] : ['nix', ...NIX_FLAGS, 'shell', `${outsideNixpkgs}#dtach`, '-c', 'dtach'];
}

/** A fresh session `<cmd>_<UTC time>`: unique, sortable, and readable in `anysnake2 attach`. */
export async function newDtachSession(projectDir: string, flakeDir: string, commandName: string, command: string[]): Promise<DtachSession> {
  const dir = join(flakeDir, 'dtach');
  await mkdir(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:]/g, '-').replace(/\.\d+Z$/, 'Z');
  return { command, socket: relative(projectDir, join(dir, `${commandName}_${stamp}`)) };
}

function spawnForeground(argv: readonly string[], cwd: string): Promise<number> {
  return new Promise((resolve, reject) => {
    // The terminal's Ctrl-C belongs to the container; anysnake2 waits for it to finish.
    const ignore = () => {};
    process.on('SIGINT', ignore);
    process.on('SIGQUIT', ignore);
    const child = spawn(argv[0]!, argv.slice(1), { cwd, stdio: 'inherit' });
    const done = () => (process.off('SIGINT', ignore), process.off('SIGQUIT', ignore));
    child.on('error', (error: NodeJS.ErrnoException) => {
      done();
      reject(error.code === 'ENOENT' ? new ToolMissingError(`${argv[0]} is not installed (not found on PATH)`) : error);
    });
    child.on('close', (code, signal) => {
      done();
      resolve(code ?? 128 + (signal ? osSignal(signal) : 0));
    });
  });
}

function osSignal(signal: NodeJS.Signals): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGKILL: 9, SIGTERM: 15 };
  return numbers[signal] ?? 15;
}

export async function launch(argv: readonly string[], options: { cwd: string; dtach?: DtachSession }): Promise<RunOutcome> {
  if (!options.dtach) return { exitCode: await spawnForeground(argv, options.cwd) };
  const { command, socket } = options.dtach;
  const statusFile = `${socket}.status`;
  // The inner command records its status next to the socket; dtach itself exits 0 either way.
  const inner = ['bash', '-c', 'status_file="$1"; shift; "$@"; echo $? > "$status_file"', 'anysnake2-dtach', statusFile, ...argv];
  process.stdout.write('\n'.repeat(process.stdout.rows ?? 50)); // dtach clears the screen; keep the log above it
  await spawnForeground([...command, '-c', socket, '-z', '-r', 'winch', ...inner], options.cwd);
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
  await spawnForeground([...dtach, '-a', socket, '-r', 'winch'], cwd);
  // Undefined: detached again, or the session is still running.
  return (await takeStatus(join(cwd, `${socket}.status`))) ?? 0;
}
