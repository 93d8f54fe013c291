/**
 * The first words that name an anysnake2 command (any other word names a [cmd.<name>]), and
 * what each does: the core's own, and those plugins declare in their package.json:
 *
 *     "anysnake2": { "commands": { "deploy": "switch", "status": "read" } }
 *
 * `switch`: builds or runs the project (a pinned anysnake2 version takes over, self-version/);
 * `read`: reads, explains or manages; `quiet`: its output is read by a shell. A plugin's oclif
 * topics (`oclif.topics`) are words that take a subcommand (`status logs`). Read from the
 * package.json files alone (no oclif, no plugin code), once per process: the warm path asks too.
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { coreRoot } from './core-root.js';

// Finding the installed plugin packages as oclif does (the light path's config uses these too:
// one module on the warm path instead of two).

export interface PackageJson {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  oclif?: { plugins?: unknown[]; dirname?: string; bin?: string; hooks?: Record<string, unknown>; topics?: Record<string, unknown> };
  /** A plugin's declarations for the core (plugin-host.ts, command-words.ts). */
  anysnake2?: { apiVersion?: unknown; commands?: Record<string, unknown>; warm?: Record<string, unknown> };
}

/** An installed plugin package: its folder (links resolved for bundled ones) and its package.json. */
export interface PluginPackage {
  readonly root: string;
  readonly pjson: PackageJson;
}

export const CORE_ROOT = coreRoot();

/** Where oclif keeps user-installed plugins: `<BIN>_DATA_DIR`, else `$XDG_DATA_HOME/<dirname>`, else `~/.local/share/<dirname>`. */
export function oclifDataDir(pjson: PackageJson): string {
  const bin = pjson.oclif?.bin ?? pjson.name;
  const scoped = process.env[`${bin.replaceAll('@', '').replaceAll(/[/-]/g, '_').toUpperCase()}_DATA_DIR`];
  if (scoped) return scoped;
  const home = process.env.HOME || homedir() || tmpdir();
  return join(process.env.XDG_DATA_HOME || join(home, '.local/share'), pjson.oclif?.dirname ?? bin);
}

/** Node's own lookup: the nearest node_modules/<name> above `from`, with links resolved (as oclif reports roots). */
export function packageRoot(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    // .native: one realpath(3) call, where the JavaScript one lstat()s every component of the path.
    if (existsSync(join(candidate, 'package.json'))) return realpathSync.native(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}

export type CommandKind = 'switch' | 'read' | 'quiet';
const KINDS: readonly string[] = ['switch', 'read', 'quiet'] satisfies CommandKind[];

/** The core's own commands. `tofu` and `update` write what the pinned version would pin. */
const CORE_COMMANDS: Readonly<Record<string, CommandKind>> = {
  attach: 'switch',
  build: 'switch',
  develop: 'switch',
  run: 'switch',
  tofu: 'switch',
  update: 'switch',
  check: 'read',
  config: 'read',
  doctor: 'read',
  help: 'read',
  plugins: 'read',
  schema: 'read',
  version: 'read',
  completion: 'quiet',
};
const CORE_TOPICS = ['build'];

export interface CommandWords {
  readonly kinds: ReadonlyMap<string, CommandKind>;
  /** Words whose next word names a subcommand (`build flake`). */
  readonly topics: ReadonlySet<string>;
}

const readJson = (file: string): PackageJson | undefined => {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as PackageJson;
  } catch {
    return undefined;
  }
};

/** The package.json of every plugin oclif would load: the core's listed ones, then the user's installed and linked ones. */
export function pluginPackages(root: string): PluginPackage[] {
  const core = readJson(join(root, 'package.json'));
  if (!core) return [];
  const found: PluginPackage[] = [];
  for (const name of core.oclif?.plugins ?? []) {
    if (typeof name !== 'string' || !core.dependencies?.[name]) continue;
    const pluginRoot = packageRoot(name, root);
    const pjson = pluginRoot && readJson(join(pluginRoot, 'package.json'));
    if (pluginRoot && pjson) found.push({ root: pluginRoot, pjson });
  }
  const dataDir = oclifDataDir(core);
  const user = existsSync(join(dataDir, 'package.json')) ? readJson(join(dataDir, 'package.json')) : undefined;
  for (const entry of user?.oclif?.plugins ?? []) {
    // oclif writes an installed plugin as its name (or {type:'user', name}) and a linked one as {type:'link', root}.
    const spec = entry as { type?: string; name?: string; root?: string } | string;
    const pluginRoot = typeof spec === 'string' ? join(dataDir, 'node_modules', spec) : (spec.root ?? (spec.name ? join(dataDir, 'node_modules', spec.name) : undefined));
    const pjson = pluginRoot && readJson(join(pluginRoot, 'package.json'));
    if (pluginRoot && pjson) found.push({ root: pluginRoot, pjson });
  }
  return found;
}

/**
 * Whether `word` is a command (or a topic) — the core's own words answer without reading any
 * package.json, so `run -- …` on the warm path reads no plugin's. A plugin cannot take over a core
 * word, and the core's topics are the core's (plugins add subcommands under them, e.g. `build <target>`).
 */
export function isCommandWord(word: string): boolean {
  return Object.hasOwn(CORE_COMMANDS, word) || commandWords().kinds.has(word);
}
export function isTopicWord(word: string): boolean {
  if (Object.hasOwn(CORE_COMMANDS, word)) return CORE_TOPICS.includes(word);
  return commandWords().topics.has(word);
}
export function commandKindOf(word: string): CommandKind | undefined {
  return Object.hasOwn(CORE_COMMANDS, word) ? CORE_COMMANDS[word] : commandWords().kinds.get(word);
}

/**
 * Which words are commands, as argv.ts asks: the installation's (plugins' package.json read on
 * first use), or the core's alone (CORE_WORDS) for the warm path, which knows without reading any:
 * its entry for a word was recorded when that word named a [cmd.*], and a plugin that since took
 * the word changed a package.json the entry stamps.
 */
export interface WordKinds {
  isCommand(word: string): boolean;
  isTopic(word: string): boolean;
}
export const INSTALLED_WORDS: WordKinds = { isCommand: isCommandWord, isTopic: isTopicWord };
export const CORE_WORDS: WordKinds = { isCommand: (word) => Object.hasOwn(CORE_COMMANDS, word), isTopic: (word) => CORE_TOPICS.includes(word) };

let cached: CommandWords | undefined;
let cachedPackages: PluginPackage[] | undefined;

/** The plugin packages of this installation, read once per process. */
export const installedPluginPackages = (): readonly PluginPackage[] => (cachedPackages ??= pluginPackages(CORE_ROOT));

/** The command words of this installation, read once per process. */
export const commandWords = (): CommandWords => (cached ??= wordsOf(installedPluginPackages()));

/** The command words of the installation whose core package lives at `root`, read now. */
export function readCommandWords(root: string): CommandWords {
  return wordsOf(pluginPackages(root));
}

function wordsOf(packages: readonly PluginPackage[]): CommandWords {
  const kinds = new Map<string, CommandKind>(Object.entries(CORE_COMMANDS));
  const topics = new Set(CORE_TOPICS);
  for (const { pjson } of packages) {
    // A word the core owns keeps the core's kind; an unknown kind is the safe one (never switches).
    for (const [word, kind] of Object.entries(pjson.anysnake2?.commands ?? {}))
      if (!kinds.has(word)) kinds.set(word, KINDS.includes(kind as string) ? (kind as CommandKind) : 'read');
    for (const topic of Object.keys(pjson.oclif?.topics ?? {})) if (kinds.has(topic)) topics.add(topic);
  }
  return { kinds, topics };
}
