/**
 * What goes into the image's single layer, in a fixed order: the rootfs symlink forest as `/`,
 * the Nix closure under /nix/store (so the image runs where there is no /nix/store), and the
 * files the caller adds (the command scripts). Directories are walked in byte order of names.
 */
import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { TarEntry } from './tar.js';

/** A file the image carries that is not in the store (content given directly). */
export interface ExtraFile {
  path: string;
  content: string;
  mode: number;
}

/** Directories every process may write to: sticky and world-writable, as on any Linux system. */
const WORLD_WRITABLE = new Set(['tmp', 'var/tmp']);

export function* imageEntries(options: { rootfs: string; storePaths: readonly string[]; extraFiles: readonly ExtraFile[] }): Generator<TarEntry> {
  const top = new Map<string, () => Generator<TarEntry>>();
  for (const name of sortedNames(options.rootfs)) top.set(name, () => walk(join(options.rootfs, name), name, 'rootfs'));
  if (top.has('nix')) throw new Error('the rootfs has its own /nix, which would hide the closure in /nix/store');
  top.set('nix', () => storeEntries(options.storePaths));
  const extraDirs = new Map<string, ExtraFile[]>();
  for (const file of options.extraFiles) {
    const [dir, ...rest] = file.path.split('/');
    if (rest.length !== 1) throw new Error(`extra image file ${file.path} must be directly inside a top-level directory`);
    extraDirs.set(dir!, [...(extraDirs.get(dir!) ?? []), file]);
  }
  for (const [dir, files] of extraDirs) {
    if (top.has(dir)) throw new Error(`the rootfs already has /${dir}; the image cannot add its own`);
    top.set(dir, () => extraEntries(dir, files));
  }
  for (const name of [...top.keys()].sort(byteOrder)) yield* top.get(name)!();
}

function* storeEntries(storePaths: readonly string[]): Generator<TarEntry> {
  yield { type: 'directory', path: 'nix', mode: 0o755 };
  yield { type: 'directory', path: 'nix/store', mode: 0o755 };
  const byName = [...new Set(storePaths)].map((path) => ({ path, name: basename(path) })).sort((a, b) => byteOrder(a.name, b.name));
  for (const { path, name } of byName) {
    if (!path.startsWith('/nix/store/') || name.includes('/')) throw new Error(`not a store path: ${path}`);
    yield* walk(path, `nix/store/${name}`, 'store');
  }
}

function* extraEntries(dir: string, files: readonly ExtraFile[]): Generator<TarEntry> {
  yield { type: 'directory', path: dir, mode: 0o755 };
  for (const file of [...files].sort((a, b) => byteOrder(a.path, b.path))) {
    const content = Buffer.from(file.content);
    yield { type: 'file', path: file.path, mode: file.mode, size: content.length, source: content };
  }
}

/**
 * One file system object and, for a directory, everything below it. Synchronous calls: one
 * thread-pool round trip per lstat made walking a large closure latency bound.
 */
function* walk(source: string, path: string, origin: 'rootfs' | 'store'): Generator<TarEntry> {
  const stat = lstatSync(source);
  if (stat.isSymbolicLink()) {
    yield { type: 'symlink', path, target: readlinkSync(source) };
  } else if (stat.isDirectory()) {
    // The rootfs directories are read-only store directories; in the image they are ordinary ones.
    const mode = origin === 'store' ? stat.mode & 0o7777 : WORLD_WRITABLE.has(path) ? 0o1777 : 0o755;
    yield { type: 'directory', path, mode };
    for (const name of sortedNames(source)) yield* walk(join(source, name), `${path}/${name}`, origin);
  } else if (stat.isFile()) {
    // Store files are 0444 or 0555; outside the store keep the executable bit only.
    const mode = origin === 'store' ? stat.mode & 0o7777 : stat.mode & 0o111 ? 0o755 : 0o644;
    yield { type: 'file', path, mode, size: stat.size, source };
  } else {
    throw new Error(`${source}: only files, directories and symlinks can go into an image`);
  }
}

function sortedNames(dir: string): string[] {
  return readdirSync(dir).sort(byteOrder);
}

/** Sorting by bytes, not by locale, so every machine orders the same way. */
function byteOrder(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}
