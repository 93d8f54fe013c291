/**
 * Two anysnake2 processes on one project serialise here (pinning the TOML, writing and building the
 * flake) instead of corrupting `.anysnake2_flake` or each other's rewrite.
 *
 * The lock is a file created with O_EXCL that names its holder (lock-holder.ts). Why not flock(2):
 * Node has none, the native modules that add it need a compiler or prebuilt binaries on every
 * platform (also inside the Nix build of anysnake2), flock(1) would be a process to spawn and keep
 * alive, and on NFS flock is emulated with POSIX locks that a server restart silently drops. The
 * record gives a definite answer on this host — a dead or reused PID is stale and taken over with a
 * note — and on another host a bounded wait. Waiting says for whom, and ends after
 * ANYSNAKE2_LOCK_TIMEOUT seconds (default 600) with exit 75 naming the holder.
 */
import { link, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { crypto } from '../lazy-builtins.js';
import { join, relative } from 'node:path';
import type { Logger } from '../plugin-api.js';
import { TemporaryError, UsageError } from '../errors.js';
import { describeHolder, judgeHolder, parseHolder, thisProcess, type LockHolder } from './lock-holder.js';

export const LOCK_FILE = '.anysnake2.lock';
const DEFAULT_WAIT_SECONDS = 600;
const POLL_MS = 200;

/** Locks this process holds (path → inode of our lock file, nesting depth): taking one again nests. */
const held = new Map<string, { ino: number; depth: number }>();

export interface LockOptions {
  /** How long to wait for a live holder; default from ANYSNAKE2_LOCK_TIMEOUT. */
  waitMs?: number;
}

function waitFromEnvironment(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.ANYSNAKE2_LOCK_TIMEOUT;
  if (text === undefined || text.trim() === '') return DEFAULT_WAIT_SECONDS * 1000;
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds < 0)
    throw new UsageError(`ANYSNAKE2_LOCK_TIMEOUT=${JSON.stringify(text)} is not a number of seconds`, { hint: `unset it for the default (${DEFAULT_WAIT_SECONDS})` });
  return seconds * 1000;
}

function duration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds >= 120 ? `${Math.round(seconds / 60)} min` : `${seconds} s`;
}

export async function withProjectLock<T>(flakeDir: string, log: Logger, work: () => Promise<T>, options: LockOptions = {}): Promise<T> {
  const path = join(flakeDir, LOCK_FILE);
  const mine = held.get(path);
  if (mine) {
    mine.depth++;
    try {
      return await work();
    } finally {
      mine.depth--;
    }
  }
  const ino = await acquire(path, log, options.waitMs ?? waitFromEnvironment());
  held.set(path, { ino, depth: 1 });
  try {
    return await work();
  } finally {
    held.delete(path);
    await release(path, ino);
  }
}

/** The lock file, created only if absent; its inode, or undefined when it exists. */
async function tryCreate(path: string, record: string): Promise<number | undefined> {
  let handle;
  try {
    handle = await open(path, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw error;
  }
  try {
    await handle.writeFile(record);
    return (await handle.stat()).ino;
  } finally {
    await handle.close();
  }
}

/** What the lock file says now, read through one descriptor (so inode and content agree). */
async function inspect(path: string): Promise<{ ino: number; ageMs: number; holder: LockHolder | undefined } | undefined> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const info = await handle.stat();
    const text = await handle.readFile('utf8');
    return { ino: info.ino, ageMs: Date.now() - info.mtimeMs, holder: parseHolder(text) };
  } finally {
    await handle.close();
  }
}

async function acquire(path: string, log: Logger, waitMs: number): Promise<number> {
  await mkdir(join(path, '..'), { recursive: true });
  const record = `${JSON.stringify(thisProcess(process.argv.slice(2).find((word) => !word.startsWith('-'))))}\n`;
  const shown = relative(process.cwd(), path) || path;
  const started = Date.now();
  let announced: string | undefined;
  for (;;) {
    const ino = await tryCreate(path, record);
    if (ino !== undefined) return ino;
    const seen = await inspect(path);
    if (!seen) continue; // released just now
    const verdict = judgeHolder(seen.holder, seen.ageMs);
    if (verdict.stale) {
      log.info(`note: ${shown} was left behind (${verdict.reason}); taking it over`);
      await takeOver(path, seen.ino);
      continue;
    }
    const who = describeHolder(seen.holder);
    const waited = Date.now() - started;
    if (waited >= waitMs)
      throw new TemporaryError(`${who} still holds ${shown}; gave up waiting after ${duration(waited)}`, {
        hint: `run again when it is done; if no anysnake2 runs there${seen.holder?.host ? ` (on ${seen.holder.host})` : ''}, remove ${shown}. ANYSNAKE2_LOCK_TIMEOUT=<seconds> waits longer`,
      });
    if (announced !== who) log.info(`waiting for ${who} to finish with this project (at most ${duration(waitMs)})…`);
    announced = who;
    await new Promise((resolve) => setTimeout(resolve, Math.min(POLL_MS, waitMs - waited)));
  }
}

/**
 * Remove a stale lock file — but only the one judged stale: moved aside first, its inode checked,
 * and put back if another process replaced it in the meantime (it took the lock over first).
 */
async function takeOver(path: string, staleIno: number): Promise<void> {
  const aside = `${path}.stale-${process.pid}-${crypto().randomBytes(4).toString('hex')}`;
  try {
    await rename(path, aside);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if ((await stat(aside)).ino !== staleIno) await link(aside, path).catch(() => undefined);
  await rm(aside, { force: true });
}

/** Remove our lock file (not one somebody else created after judging ours stale). */
async function release(path: string, ino: number): Promise<void> {
  const current = await stat(path).catch(() => undefined);
  if (current?.ino === ino) await rm(path, { force: true });
}
