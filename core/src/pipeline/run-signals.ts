/**
 * What a signal sent to anysnake2 during a run does: TERM, HUP and INT are passed on to the process
 * running at that moment (the runtime, or a host script), and the run then ends with 128+signal.
 * When the runtime does not end within a grace period it is killed; a runtime that makes the container
 * its own PID namespace then takes every process of the container with it.
 *
 * On a terminal, INT and QUIT come from the keyboard and reach the whole foreground process group
 * (the container included) by themselves: anysnake2 does not send them a second time, it just waits
 * for the container, whose status then decides. Sent to anysnake2 alone (no terminal: `kill -INT`
 * from a script), INT is passed on like TERM.
 */
import type { ChildProcess } from 'node:child_process';
import { constants } from 'node:os';
import { isatty } from '../lazy-builtins.js';

const FORWARDED: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGHUP', 'SIGINT'];
const KEYBOARD: readonly NodeJS.Signals[] = ['SIGINT', 'SIGQUIT'];

export class RunSignals {
  /** The first signal that asked the run to end, if any. */
  received: NodeJS.Signals | undefined;
  readonly #terminal: boolean;
  readonly #graceMs: number;
  #child: ChildProcess | undefined;
  readonly #handlers = new Map<NodeJS.Signals, () => void>();

  constructor(options: { terminal?: boolean; graceMs?: number } = {}) {
    // isatty, not process.stdin.isTTY: that getter builds a stream for stdin, which the container owns.
    this.#terminal = options.terminal ?? isatty(0);
    this.#graceMs = options.graceMs ?? 5000;
    for (const signal of [...FORWARDED, 'SIGQUIT'] as NodeJS.Signals[]) {
      const handler = () => this.#onSignal(signal);
      this.#handlers.set(signal, handler);
      process.on(signal, handler);
    }
  }

  /** The exit status for a run ended by a signal: 128 + its number. */
  get exitCode(): number | undefined {
    return this.received && 128 + (constants.signals[this.received] ?? 15);
  }

  /** The process signals are passed on to until it exits (one at a time: the run is sequential). */
  track(child: ChildProcess): void {
    this.#child = child;
    child.once('exit', () => this.#child === child && (this.#child = undefined));
  }

  dispose(): void {
    for (const [signal, handler] of this.#handlers) process.off(signal, handler);
    this.#handlers.clear();
  }

  #onSignal(signal: NodeJS.Signals): void {
    if (KEYBOARD.includes(signal) && this.#terminal) return; // the container got it from the keyboard too
    if (!FORWARDED.includes(signal)) return;
    this.received ??= signal;
    const child = this.#child;
    if (!child) return;
    child.kill(signal);
    setTimeout(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'), this.#graceMs).unref();
  }
}
