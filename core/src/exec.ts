/**
 * The one process wrapper. Every external program (nix, git, runtimes) runs through here, so
 * failures always name the command and show the relevant lines of its output, and a missing
 * program is a ToolMissingError (exit 69) with an install hint.
 */
import { childProcess } from './lazy-builtins.js';
import { ToolFailedError, ToolMissingError } from './errors.js';
import { shellQuote } from './shell-quote.js';

export interface ExecOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Text fed to stdin. */
  input?: string;
  /** Kill the process after this many milliseconds (it then fails with a timeout message). */
  timeoutMs?: number;
  /** Kill the process (and what it started) when this aborts, e.g. when a phase ran out of time. */
  signal?: AbortSignal;
  /** Install hint when the program is missing, e.g. `apt-get install git`. */
  installHint?: string;
  /** Receives stderr lines as they arrive (progress parsing). */
  onStderrLine?: (line: string) => void;
}

export interface ExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface Exec {
  /** Run and fail (ToolFailedError) on a non-zero exit. */
  run(command: string, args: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  /** Run and return the result whatever the exit code. */
  try(command: string, args: readonly string[], options?: ExecOptions): Promise<ExecResult>;
}

const MAX_LINES_SHOWN = 20;

/** A shell-readable rendering of a command line, for messages. */
export function displayCommand(command: string, args: readonly string[]): string {
  return shellQuote([command, ...args]);
}

/** The last lines of output, where tools put their actual error. */
export function relevantLines(output: string): string {
  const lines = output.trimEnd().split('\n');
  const shown = lines.slice(-MAX_LINES_SHOWN);
  const skipped = lines.length - shown.length;
  return (skipped > 0 ? [`  … (${skipped} earlier lines)`] : []).concat(shown.map((l) => `  ${l}`)).join('\n');
}

function spawnCollect(command: string, args: readonly string[], options: ExecOptions): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = childProcess().spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
      // With a timeout, the command gets its own process group: killing it must also stop the
      // helpers it started (git's remote-http), or their open pipes keep us waiting forever.
      detached: options.timeoutMs !== undefined || options.signal !== undefined,
    });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let pending = '';
    let timedOut = false;
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // already gone
      }
    };
    const timer = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          killGroup('SIGTERM');
          setTimeout(() => killGroup('SIGKILL'), 1000).unref();
        }, options.timeoutMs)
      : undefined;
    let aborted = false;
    const onAbort = () => {
      aborted = true;
      killGroup('SIGTERM');
      setTimeout(() => killGroup('SIGKILL'), 1000).unref();
    };
    if (options.signal?.aborted) queueMicrotask(onAbort);
    else options.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (b: Buffer) => stdout.push(b));
    child.stderr.on('data', (b: Buffer) => {
      stderr.push(b);
      if (options.onStderrLine) {
        pending += b.toString('utf8');
        const lines = pending.split('\n');
        pending = lines.pop() ?? '';
        lines.forEach(options.onStderrLine);
      }
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (error.code === 'ENOENT') reject(new ToolMissingError(`${command} is not installed (not found on PATH)`, { hint: options.installHint, cause: error }));
      else reject(error);
    });
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      if (pending && options.onStderrLine) options.onStderrLine(pending);
      const result = {
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        exitCode: code ?? 128 + (signal ? 15 : 0),
      };
      if (timedOut) result.stderr += `\n(killed after ${options.timeoutMs} ms timeout)`;
      else if (aborted) result.stderr += '\n(stopped: out of time)';
      resolve(result);
    });
    child.stdin.on('error', () => {}); // the child may exit before reading its input
    child.stdin.end(options.input ?? '');
  });
}

export const exec: Exec = {
  async run(command, args, options = {}) {
    const result = await spawnCollect(command, args, options);
    if (result.exitCode !== 0) {
      const output = [result.stderr, result.stdout].filter((s) => s.trim()).join('\n');
      throw new ToolFailedError(`command failed with exit code ${result.exitCode}: ${displayCommand(command, args)}${output ? `\n${relevantLines(output)}` : ''}`);
    }
    return result;
  },
  try: (command, args, options = {}) => spawnCollect(command, args, options),
};
