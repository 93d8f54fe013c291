/**
 * Becoming the runtime instead of starting it: when nothing is left to do after the container —
 * no dtach, no host script after it or beside it, no file to remove — anysnake2 replaces itself
 * with the runtime (execve), as a shell's `exec` does. No child process, no Node.js waiting for
 * it: the runtime gets the terminal, the signals and the caller's wait directly, and its exit status
 * (or the signal that ended it) is the caller's answer. Node.js before 22.15 has no execve, and
 * process.execve cannot hand the runtime its input descriptors (Node opens every file
 * close-on-exec), so the core ships a small native module for it (native.ts). Without it — no C compiler at install — the runtime is spawned as before.
 */
import { nativeModule } from '../native.js';
import type { LaunchSpec } from '../plugin-api.js';
import { closeInputs, openInputs } from './launch-inputs.js';

const PROFILING = /--(cpu-prof|heap-prof|prof|inspect)/;

/** Whether the launch may replace this process: nothing of it must happen after the runtime ends. */
export function execEligible(spec: LaunchSpec): boolean {
  if (spec.files?.length || spec.cleanup?.length) return false;
  // A profiler's or debugger's timer signal still pending at execve would end the runtime.
  if (PROFILING.test(`${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`)) return false;
  // execve cannot carry a NUL byte; spawn reports such an argument properly.
  const texts = [...spec.argv, ...Object.entries(spec.env ?? {}).flat()];
  return spec.argv.length > 0 && texts.every((text) => !text.includes('\0'));
}

/**
 * Replaces this process with the runtime; returns only when that could not be done (no native
 * module, the program not found…): the caller then starts it the usual way, which reports why.
 */
export function execLaunch(spec: LaunchSpec, cwd: string, privateDir: string): void {
  if (!execEligible(spec)) return;
  const native = nativeModule();
  if (!native) return;
  if (process.cwd() !== cwd) process.chdir(cwd);
  // As spawn's `env`: the spec's variables over this process's own.
  const merged = spec.env ? { ...process.env, ...spec.env } : process.env;
  const env = Object.entries(merged).flatMap(([name, value]) => (value === undefined || name.includes('=') || `${name}${value}`.includes('\0') ? [] : [`${name}=${value}`]));
  const fds = openInputs(spec.inputs ?? [], privateDir);
  try {
    native.exec(spec.argv[0]!, spec.argv, env, fds); // returns an errno only when it did not replace us
  } finally {
    closeInputs(fds);
  }
}
