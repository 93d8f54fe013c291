/**
 * Which files of the tool the warm path watches: each plugin's package.json and manifest, and
 * every file of the folder its `anysnake2:plugin` entry lives in (normally `dist/`), so editing
 * lazily imported plugin code — not only the tiny entry file — makes the next run take the full
 * path. Declarations, source maps and build info are left out: they never run. The core itself
 * (oclif's root plugin) is stamped by its package.json, its entry file and the folders of its
 * lib/ tree: scripts/bundle-runtime.mjs writes each file there by renaming a temporary file over
 * it and removes unused chunks, so every rebuild that changes code changes a folder's mtime —
 * a handful of stat calls instead of one per module on every warm start.
 */
import { readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const NEVER_RUNS = /(\.d\.[cm]?ts|\.map|\.tsbuildinfo)$/;

/** Every file under `dir` that could be loaded (no node_modules, no hidden folders). */
export function codeFilesUnder(dir: string): string[] {
  const files: string[] = [];
  const walk = (folder: string) => {
    let entries;
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return; // a missing folder: its stamp ("absent") is what counts, via the entry file
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (!NEVER_RUNS.test(entry.name)) files.push(path);
    }
  };
  walk(dir);
  return files;
}

/** `under` and every folder below it (no node_modules, no hidden folders). */
export function codeFoldersUnder(under: string): string[] {
  const folders = [under];
  for (let i = 0; i < folders.length; i++) {
    try {
      for (const entry of readdirSync(folders[i]!, { withFileTypes: true }))
        if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules') folders.push(join(folders[i]!, entry.name));
    } catch {
      // a missing folder: its stamp ("absent") counts
    }
  }
  return folders;
}

export interface ToolPlugin {
  readonly root: string;
  /** Targets of its `anysnake2:plugin` hooks, relative to root (none: not an anysnake2 plugin). */
  readonly entries: readonly string[];
  /**
   * What else of the entries' folders is stamped: every file (a plugin's dist/, which tsc
   * rewrites in place), or the folders alone (the core's lib/, which the bundler writes by rename).
   */
  readonly codeTree: 'files' | 'folders';
}

export function toolFilesOf(dataDir: string, plugins: readonly ToolPlugin[]): string[] {
  const files = new Set([join(dataDir, 'package.json')]);
  for (const plugin of plugins) {
    files.add(join(plugin.root, 'package.json'));
    files.add(join(plugin.root, 'oclif.manifest.json'));
    for (const entry of plugin.entries) {
      const target = resolve(plugin.root, entry);
      files.add(target);
      // The entry's own folder, unless that is the package root (then node_modules etc. would follow).
      const folder = dirname(target);
      if (folder === resolve(plugin.root)) continue;
      for (const path of plugin.codeTree === 'files' ? codeFilesUnder(folder) : codeFoldersUnder(folder)) files.add(path);
    }
  }
  return [...files].sort();
}
