/**
 * Files are replaced atomically (temp file + fsync + rename): a crash never leaves a half-written
 * file. Replacing keeps what the user set on the file: the mode and owner of the old file carry
 * over (a 0600 anysnake2.toml stays 0600) unless a mode is asked for, and with `throughSymlinks`
 * (the user's own files, anysnake2.toml) a symlink is written through: the temp file lives beside
 * the link's real target, which is what gets renamed over. Without it (generated files) a symlink
 * is replaced, never followed: a planted `.anysnake2_flake/flake.nix -> ~/.bashrc` cannot make
 * anysnake2 write outside. Temp files are named
 * `.<name>.<pid>.<random>.tmp`, so a later run can tell a stale one from a live one
 * (removeStaleTempFiles).
 */
import { lstat, open, readdir, readFile, readlink, realpath, rename, rm } from 'node:fs/promises';
import { dirname, basename, join, resolve } from 'node:path';
import { explainFsError } from './fs-errors.js';
import { processExists } from './process-exists.js';

const MAX_LINKS = 40;

/** Where writing `path` really goes: the final target of a symlink chain (which may not exist yet). */
export async function writeTarget(path: string): Promise<string> {
  let current = resolve(path);
  for (let hops = 0; hops < MAX_LINKS; hops++) {
    let isLink: boolean;
    try {
      isLink = (await lstat(current)).isSymbolicLink();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      // Not there (yet): its directory may still be reached through links.
      return join(await realpath(dirname(current)).catch(() => dirname(current)), basename(current));
    }
    if (!isLink) return join(await realpath(dirname(current)), basename(current));
    current = resolve(dirname(current), await readlink(current));
  }
  throw Object.assign(new Error(`ELOOP: too many symbolic links encountered, open '${path}'`), { code: 'ELOOP', syscall: 'open', path });
}

/**
 * `durable: false` skips the fsync, for caches that are only ever rebuilt (a warm record): the
 * rename still keeps readers from a half-written file; after a crash the file may be empty, which
 * its reader takes as "no record".
 */
export async function writeFileAtomic(path: string, content: string, mode?: number, options: { throughSymlinks?: boolean; durable?: boolean } = {}): Promise<void> {
  let target = path;
  let temp: string | undefined;
  try {
    target = options.throughSymlinks ? await writeTarget(path) : resolve(path);
    const found = await lstat(target).catch(() => undefined);
    const previous = found?.isFile() ? found : undefined;
    temp = join(dirname(target), tempName(basename(target)));
    const handle = await open(temp, 'wx', mode ?? 0o666);
    try {
      await handle.writeFile(content);
      if (mode !== undefined) await handle.chmod(mode);
      else if (previous) await handle.chmod(previous.mode & 0o7777);
      if (previous) {
        // The replaced file's owner (chown only works for root, or into one's own groups).
        if (previous.uid !== process.getuid?.() || previous.gid !== process.getgid?.())
          await handle.chown(previous.uid, previous.gid).catch(() => handle.chown(-1, previous.gid).catch(() => undefined));
      }
      if (options.durable !== false) await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
  } catch (error) {
    if (temp) await rm(temp, { force: true });
    throw explainFsError(error, target) ?? error;
  }
}

/** Write only when the content differs; returns whether it wrote. */
export async function writeIfChanged(path: string, content: string): Promise<boolean> {
  const current = await readFile(path, 'utf8').catch(() => undefined);
  if (current === content) return false;
  await writeFileAtomic(path, content);
  return true;
}

let written = 0;

/**
 * Unique within this process (the time in nanoseconds and a counter, 12 hex digits as the stale-file
 * pattern below reads them); the file is created exclusively, so never another writer's. Not random:
 * node:crypto would cost every write ~8 ms to load, and nothing here needs the name unguessable.
 */
function tempName(name: string): string {
  const unique = (process.hrtime.bigint() + BigInt(written++)) & 0xffffffffffffn;
  return `.${name}.${process.pid}.${unique.toString(16).padStart(12, '0')}.tmp`;
}

/**
 * A temp file is stale when its writer is gone: the pid in its name is not a running process on
 * this host and it is older than a few seconds (on a shared file system the writer may be another
 * host's live process; a rewrite takes milliseconds), or, whatever the pid says, it is older than
 * ten minutes (pids are reused).
 */
export const STALE_DEAD_WRITER_MS = 5_000;
export const STALE_ANY_MS = 10 * 60_000;

/**
 * Remove the stale temp files an interrupted writeFileAtomic of `path` (or, with `name` omitted,
 * of any file in `dir`) left behind. Returns the removed paths. Never fails: cleaning up is a courtesy.
 */
export async function removeStaleTempFiles(dir: string, name?: string, now = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  const entries = await readdir(dir).catch(() => [] as string[]);
  for (const entry of entries) {
    // `.<name>.<pid>.<hex>.tmp`, or `.<name>.<hex>.tmp` as versions before the pid wrote them.
    const match = /^\.(.+)\.(\d+)\.[0-9a-f]{12}\.tmp$/.exec(entry) ?? /^\.(.+)\.()[0-9a-f]{12}\.tmp$/.exec(entry);
    if (!match || (name !== undefined && match[1] !== name)) continue;
    const path = join(dir, entry);
    const info = await lstat(path).catch(() => undefined);
    if (!info?.isFile()) continue;
    const age = now - info.mtimeMs;
    const writer = match[2] ? Number(match[2]) : undefined;
    if (age > STALE_ANY_MS || (age > STALE_DEAD_WRITER_MS && (writer === undefined || !processExists(writer)))) {
      await rm(path, { force: true }).catch(() => undefined);
      removed.push(path);
    }
  }
  return removed;
}
