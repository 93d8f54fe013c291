/**
 * Who holds a project lock, and whether that holder can still be alive. The lock file names its
 * holder by host, PID and the process's start time (field 22 of /proc/PID/stat, clock ticks since
 * boot) with the kernel's boot id, so a PID that was reused — after a crash, or a reboot — is told
 * apart from the process that took the lock. A holder on another host cannot be checked from here:
 * it counts as alive (the waiting is bounded, project-lock.ts).
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { processExists } from '../process-exists.js';

export interface LockHolder {
  readonly host?: string;
  readonly pid: number;
  /** Start of the process in clock ticks since boot (/proc/PID/stat field 22). */
  readonly start?: string;
  /** /proc/sys/kernel/random/boot_id when the lock was taken. */
  readonly boot?: string;
  /** When the lock was taken (ISO 8601). */
  readonly since?: string;
  /** The anysnake2 command that holds it, e.g. `run`. */
  readonly command?: string;
}

export type Verdict = { readonly stale: false } | { readonly stale: true; readonly reason: string };

/** A lock file younger than this that names no holder may be one being written right now. */
const BEING_WRITTEN_MS = 2000;

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Field 22 of /proc/PID/stat; the command name (field 2) may hold spaces and parentheses. */
export function processStartTicks(pid: number): string | undefined {
  const stat = readProc(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[22 - 3];
}

function bootId(): string | undefined {
  return readProc('/proc/sys/kernel/random/boot_id')?.trim() || undefined;
}

export function thisProcess(command: string | undefined): LockHolder {
  return { host: hostname(), pid: process.pid, start: processStartTicks(process.pid), boot: bootId(), since: new Date().toISOString(), command };
}

const isPid = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) > 0;

/**
 * The holder a lock file names: the JSON record, or a bare PID (what anysnake2 wrote before the
 * record existed); undefined for anything else.
 */
export function parseHolder(text: string): LockHolder | undefined {
  if (/^\s*\d+\s*$/.test(text)) return isPid(Number(text)) ? { pid: Number(text) } : undefined;
  try {
    const value = JSON.parse(text) as Record<string, unknown>;
    if (typeof value !== 'object' || value === null || !isPid(value.pid)) return undefined;
    const text_ = (key: string) => (typeof value[key] === 'string' ? (value[key] as string) : undefined);
    return { pid: value.pid, host: text_('host'), start: text_('start'), boot: text_('boot'), since: text_('since'), command: text_('command') };
  } catch {
    return undefined;
  }
}

/** Whether the lock (named holder, file age) is left over from a process that is gone. */
export function judgeHolder(holder: LockHolder | undefined, ageMs: number): Verdict {
  if (!holder) return ageMs < BEING_WRITTEN_MS ? { stale: false } : { stale: true, reason: 'it names no process' };
  if (holder.host !== undefined && holder.host !== hostname()) return { stale: false };
  const boot = bootId();
  if (holder.boot && boot && holder.boot !== boot) return { stale: true, reason: 'the machine restarted since it was taken' };
  if (!processExists(holder.pid)) return { stale: true, reason: `process ${holder.pid} is gone` };
  const start = processStartTicks(holder.pid);
  if (holder.start !== undefined) {
    if (start !== undefined && start !== holder.start) return { stale: true, reason: `process ${holder.pid} is now another program` };
    return { stale: false };
  }
  // A bare PID (older anysnake2): without a start time, ask whether that process is anysnake2 at all.
  const cmdline = readProc(`/proc/${holder.pid}/cmdline`);
  if (cmdline !== undefined && !/anysnake2|bin\/run\.js/.test(cmdline)) return { stale: true, reason: `process ${holder.pid} is not anysnake2` };
  return { stale: false };
}

/** "anysnake2 run (pid 123 on host1, since 21:03:05)". */
export function describeHolder(holder: LockHolder | undefined): string {
  if (!holder) return 'another anysnake2 (the lock file names no process yet)';
  const where = [`pid ${holder.pid}`, holder.host && `on ${holder.host}`].filter(Boolean).join(' ');
  const since = holder.since && !Number.isNaN(Date.parse(holder.since)) ? `, since ${new Date(holder.since).toLocaleTimeString('en-GB')}` : '';
  return `${holder.command ? `anysnake2 ${holder.command}` : 'another anysnake2'} (${where}${since})`;
}
