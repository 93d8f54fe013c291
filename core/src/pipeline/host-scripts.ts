/**
 * pre_run_outside, while_run_outside and post_run_outside: bash on the host, in the project
 * directory, with the host environment. while_run_outside runs in its own process group, so
 * stopping it stops everything it started (TERM, then KILL).
 */
import type { ChildProcess } from 'node:child_process';
import { childProcess } from '../lazy-builtins.js';
import type { RunSignals } from './run-signals.js';

/** `   1 | line` numbering, for failures. */
export function numbered(script: string): string {
  return script
    .replace(/\n$/, '')
    .split('\n')
    .map((line, i) => `${String(i + 1).padStart(4)} | ${line}`)
    .join('\n');
}

export function runHostScript(script: string, cwd: string, signals?: RunSignals): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = childProcess().spawn('bash', ['-c', `set -euo pipefail\n${script}`], { cwd, stdio: ['ignore', 'inherit', 'inherit'] });
    signals?.track(child);
    child.on('error', reject);
    child.on('close', (code, signal) => resolve(code ?? 128 + (signal ? 15 : 1)));
  });
}

export async function runPreScript(name: string, script: string, cwd: string, signals?: RunSignals): Promise<void> {
  const status = await runHostScript(script, cwd, signals);
  // errors.js is imported when needed: the warm path's bundle then throws the class report-failure knows (scripts/bundle-runtime.mjs).
  if (status !== 0 && !signals?.received)
    throw new (await import('../errors.js')).ToolFailedError(`[cmd.${name}] pre_run_outside failed with exit status ${status}; nothing else ran. Script:\n${numbered(script)}`);
}

export class BackgroundScript {
  readonly #child: ChildProcess;
  #exited = false;

  constructor(script: string, cwd: string) {
    this.#child = childProcess().spawn('bash', ['-c', `set -euo pipefail\n${script}`], { cwd, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
    this.#child.on('exit', () => (this.#exited = true));
    this.#child.on('error', () => (this.#exited = true));
  }

  /** Stop the whole process group: TERM, and KILL after a grace period. */
  async stop(graceMs = 2000): Promise<void> {
    const pid = this.#child.pid;
    if (!pid || this.#exited) return this.#killGroup('SIGKILL');
    this.#killGroup('SIGTERM');
    const deadline = Date.now() + graceMs;
    while (!this.#exited && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    this.#killGroup('SIGKILL');
  }

  #killGroup(signal: NodeJS.Signals): void {
    try {
      if (this.#child.pid) process.kill(-this.#child.pid, signal);
    } catch {
      // already gone
    }
  }
}
