/**
 * Warm commands: a plugin's own command replayed from the entry point without oclif, without the
 * plugin host and without nix. After a full run the command records what the next identical
 * invocation needs (recordWarmCommand); the entry point finds the record by a fingerprint of all
 * its inputs and hands the recorded data to a module the plugin declares in its package.json:
 *
 *     "anysnake2": { "commands": { "deploy": "switch" }, "warm": { "deploy": "./lib/deploy-warm.js" } }
 *
 * What gets imported is never named by the project: only the module an installed plugin declares
 * for its own command word, inside the plugin's folder and stamped with its code (a cloned
 * project's files cannot make anysnake2 import anything else). The record's data only goes to
 * that module, which checks it as input.
 */
import { sha256Hex } from '../digest.js';
import { readFileSync, realpathSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { installedPluginPackages, CORE_ROOT, CORE_WORDS, type PluginPackage } from '../command-words.js';
import type { EnvReads } from './env-reads.js';
import { FLAKE_CHANGED, flakeStillBuilt, ROOTFS_NEEDS_BUILD, rootfsMissing } from './built-check.js';

export const WARM_COMMAND_VERSION = 1;
/** Entries kept per command word (different words or flags each get one). */
export const WARM_COMMAND_ENTRIES_KEPT = 8;

export interface WarmCommandFile {
  version: typeof WARM_COMMAND_VERSION;
  /** Newest first. */
  entries: WarmCommandEntry[];
}

export interface WarmCommandEntry {
  /** warmKeyer over the config, the command line and the variables in envReads, plus the installation (warmCommandKey). */
  key: string;
  envReads: EnvReads;
  /** The package that declares the replaying module: another plugin taking the word over misses. */
  plugin: string;
  /** Files of the tool with their stamps, as for `run`'s warm entries (tool-files.ts). */
  toolFiles: [path: string, stamp: string][];
  /** The environment the command used: still built, from the same flake, at the same store path. */
  built?: { flakeFiles: string[]; buildHash: string; rootfs: string };
  /** Warnings and deprecations the config produced, shown again. */
  messages: string[];
  /** The plugin's own record, for its module alone. */
  data: unknown;
}

export { warmCommandFile } from './warm-command-file.js';

/** Plugin command words name files: one word of letters, digits, `-` and `_`. */
const WORD = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export interface DeclaredWarmModule {
  /** The plugin package's name. */
  plugin: string;
  /** Absolute path of the module that replays the command. */
  module: string;
}

/**
 * The module an installed plugin declares for `word` (the first plugin that declares the word as
 * its command, as command-words.ts decides), or why there is none.
 */
export function declaredWarmModule(word: string, packages: readonly PluginPackage[] = installedPluginPackages()): DeclaredWarmModule | string {
  if (CORE_WORDS.isCommand(word) || !WORD.test(word)) return 'not a command with a warm path';
  const owner = packages.find(({ pjson }) => Object.hasOwn(pjson.anysnake2?.commands ?? {}, word));
  const target = owner?.pjson.anysnake2?.warm?.[word];
  if (!owner || typeof target !== 'string') return 'not a command with a warm path';
  // Links resolved, as oclif reports plugin roots (the module must be one of the files stamped from there).
  let root: string;
  try {
    root = realpathSync(owner.root);
  } catch {
    return 'not a command with a warm path';
  }
  const module = resolve(root, target);
  const inside = relative(root, module);
  if (inside.startsWith(`..${sep}`) || inside === '..' || !module.endsWith('.js') || inside.split(sep).includes('node_modules'))
    return `${owner.pjson.name} declares a warm module outside its folder`;
  return { plugin: owner.pjson.name, module };
}

/** The installation is part of every key: a record written by another anysnake2 or another Node.js never matches. */
export function warmCommandKey(invocationKey: string): string {
  return sha256Hex(Buffer.from(`${invocationKey}\0${process.execPath}\0${CORE_ROOT}`));
}

/** Why the recorded environment is no longer the built one, or undefined when it still is. */
export async function builtEnvironmentChange(flakeDir: string, built: NonNullable<WarmCommandEntry['built']>): Promise<string | undefined> {
  if (rootfsMissing(flakeDir)) return ROOTFS_NEEDS_BUILD;
  if (!flakeStillBuilt(flakeDir, built.flakeFiles, built.buildHash)) return FLAKE_CHANGED;
  if ((await realpath(join(flakeDir, 'result', 'rootfs')).catch(() => undefined)) !== built.rootfs) return 'the rootfs is another store path';
  return undefined;
}

/** The parsed file, or undefined when it is missing, unreadable or of another format. */
export function readWarmCommandFile(path: string): WarmCommandFile | undefined {
  try {
    const file = JSON.parse(readFileSync(path, 'utf8')) as WarmCommandFile;
    return file.version === WARM_COMMAND_VERSION && Array.isArray(file.entries) ? file : undefined;
  } catch {
    return undefined;
  }
}
