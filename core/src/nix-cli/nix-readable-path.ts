/**
 * Nix 2.x reads a `git+file:` flake from a directory whose path needs percent-encoding (a space,
 * `%`, non-ASCII…) under the encoded name: it does not find the working tree, takes the repository
 * for a remote one and fails with "couldn't find remote ref refs/heads/master". And a `path:` URL
 * with such a path is either no valid URL or not decoded at all. So such a directory is given to
 * Nix through a symbolic link with a plain name in the user's cache, `paths/<hash of the target>`,
 * pointing at its parent (a link to the repository itself makes Nix reject a dirty tree as
 * escaping the store). Plain paths are used as they are; nothing is created for them.
 */
import { crypto } from '../lazy-builtins.js';
import { mkdirSync, readlinkSync, renameSync, symlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { cacheDir } from '../user-cache.js';

/** Characters a URL path carries literally, so Nix sees exactly this path. */
const PLAIN = /^[A-Za-z0-9._/+=,@~-]+$/;

export function isNixPlainPath(path: string): boolean {
  return PLAIN.test(path);
}

/** `dir`, or the same directory reached through a plainly named link (made or repaired on the way). */
export function nixReadablePath(dir: string, env: NodeJS.ProcessEnv = process.env): string {
  if (isNixPlainPath(dir)) return dir;
  const name = basename(dir);
  // The link names the parent when the last part is plain (.anysnake2_flake always is), else the directory itself.
  const target = isNixPlainPath(name) ? dirname(dir) : dir;
  const links = join(cacheDir(env), 'paths');
  const link = join(links, crypto().createHash('sha256').update(target).digest('hex').slice(0, 24));
  if (!isNixPlainPath(link)) throw new Error(`the cache directory ${links} has characters Nix cannot read in a path; set XDG_CACHE_HOME to a plain path`);
  let current: string | undefined;
  try {
    current = readlinkSync(link);
  } catch {
    current = undefined;
  }
  if (current !== target) {
    mkdirSync(links, { recursive: true });
    // Replaced atomically: a concurrent run never sees a missing or half-made link.
    const temporary = `${link}.${process.pid}.tmp`;
    symlinkSync(target, temporary);
    renameSync(temporary, link);
  }
  return target === dir ? link : join(link, name);
}
