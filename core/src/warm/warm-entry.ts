/**
 * The warm path: after a full run, everything needed to start the same command again is recorded
 * in `run_scripts/<cmd>/warm.json`, keyed on a fingerprint of all its inputs. The next identical
 * invocation checks the fingerprint and the built rootfs, then starts the container directly —
 * without oclif, without plugins, without nix. Any difference falls back to the full path.
 */
import type { Hash } from 'node:crypto';
import { crypto } from '../lazy-builtins.js';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readConfigBytesSync } from '../config/config-file-access.js';
import { isPassed } from '../pipeline/pass-env.js';
import type { EnvReads } from './env-reads.js';

export const WARM_FILE = 'warm.json';
/** Entries kept per command (different words, e.g. `run -- a` and `run -- b`, each get one). */
export const WARM_ENTRIES_KEPT = 8;

/** 2: the runtime's LaunchSpec instead of a bare command line; plugin dist trees in toolFiles. 3: envReads. 4: LaunchSpec inputs; the core's lib/ stamped by its folders. */
export const WARM_VERSION = 4;

export interface WarmFile {
  version: typeof WARM_VERSION;
  /** Newest first. */
  entries: WarmEntry[];
}

export interface WarmEntry {
  /** Fingerprint of the invocation: config bytes, command and words, the variables in envReads, terminal (warmKeyer). */
  key: string;
  /** The host variables the launch read while it was planned (env-reads.ts); `null`: all of them. */
  envReads: EnvReads;
  /**
   * `RunPlan.envAtStart`: name prefixes of variables the runtime reads itself at each start (e.g. a
   * batch job's ids, which differ per job without changing the plan): only their names count.
   */
  envAtStart?: string[];
  /**
   * Files of the tool itself with their stamps: package.json and manifest of core and plugins,
   * the user plugin list, and every file of each plugin's `dist/` tree, so an edit to lazily
   * imported plugin code is seen too (warm/tool-files.ts).
   */
  toolFiles: [path: string, stamp: string][];
  /** The flake files and the build-state hash they had when the rootfs was built. */
  flakeFiles: string[];
  buildHash: string;
  /** Host paths the plan needs (home, volume sources). */
  mustExist: string[];
  /** Warnings and deprecations the config produced, shown again on every run. */
  messages: string[];
  commandName: string;
  preRunOutside?: string;
  whileRunOutside?: string;
  postRunOutside?: string;
  /** What the runtime's plan() returned, replayed as it is (its files are written again). */
  launch: import('../plugin-api.js').LaunchSpec;
  /** dtach command when the run was in dtach (socket names are made fresh each time). */
  dtachCommand?: string[];
}

/** Environment variables that change between shells without changing anything we do. */
const VOLATILE_ENV = new Set(['_', 'OLDPWD', 'PWD', 'SHLVL', 'COLUMNS', 'LINES', 'HYPERFINE_RANDOMIZED_ENVIRONMENT_OFFSET']);

/**
 * Always part of the key, whatever the plan read: the variables that reach the container unasked
 * (pass-env.ts lists them through the raw environment) and the ones every runtime depends on.
 */
const ALWAYS_KEYED = ['HOME', 'PATH', 'USER'];

export interface WarmInvocation {
  configFile: string;
  cwd: string;
  commandName: string;
  words: readonly string[];
  env: NodeJS.ProcessEnv;
  tty: boolean;
}

/**
 * The key function of one invocation: everything but the environment is hashed once; the key of
 * an entry adds the variables its launch read (`null`: all but the volatile ones). A variable
 * that is unset differs from one set to "". Synchronous, as everything the warm path reads: small
 * files read at once cost less than Node's promise-based file handles.
 */
export function warmKeyer(invocation: WarmInvocation): (envReads: EnvReads, envAtStart?: readonly string[]) => string {
  const hash = crypto().createHash('sha256');
  const part = (h: Hash, label: string, value: string | Buffer) => h.update(`${label}\0`).update(value).update('\0');
  const config = readConfigBytesSync(invocation.configFile); // never blocks on a FIFO
  if (!config) throw new Error(`${invocation.configFile} does not exist`);
  part(hash, 'config', config);
  part(hash, 'configFile', invocation.configFile);
  part(hash, 'cwd', invocation.cwd);
  part(hash, 'command', invocation.commandName);
  part(hash, 'words', JSON.stringify(invocation.words));
  part(hash, 'tty', String(invocation.tty));
  part(hash, 'uid', String(process.getuid?.() ?? ''));
  const env = invocation.env;
  const passed = Object.keys(env).filter(isPassed);
  return (envReads, envAtStart = []) => {
    const h = hash.copy();
    const valueFree = (name: string) => envAtStart.some((prefix) => name.startsWith(prefix));
    const names = envReads === null ? Object.keys(env).filter((name) => !VOLATILE_ENV.has(name)) : [...ALWAYS_KEYED, ...passed, ...envReads];
    part(h, 'envReads', envReads === null ? 'all' : 'some');
    part(h, 'envAtStart', JSON.stringify(envAtStart));
    for (const name of Object.keys(env)) if (valueFree(name)) names.push(name);
    for (const name of [...new Set(names)].sort())
      if (valueFree(name)) part(h, `env-name:${name}`, env[name] === undefined ? '\u0001unset' : '');
      else part(h, `env:${name}`, env[name] === undefined ? '\u0001unset' : `=${env[name]}`);
    return h.digest('hex');
  };
}

/** A cheap change detector for files of the tool (size, mtime, inode); "absent" counts too. */
export function fileStamp(path: string): string {
  try {
    // No exception for a missing file (the user plugin list usually is): building one costs more than the stat.
    const s = statSync(path, { throwIfNoEntry: false });
    return s ? `${s.size}:${s.mtimeMs}:${s.ino}` : 'absent';
  } catch {
    return 'absent';
  }
}

/** The build-state hash of the flake files; `known`: contents already read (or just compared equal), not read again. */
export function flakeFilesHash(flakeDir: string, files: readonly string[], known?: ReadonlyMap<string, string>): string {
  const hash = crypto().createHash('sha256');
  for (const file of [...files].sort()) {
    hash.update(`${file}\0`);
    hash.update(known?.get(file) ?? readFileSync(join(flakeDir, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}
