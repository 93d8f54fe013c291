/**
 * The commands that start without oclif: `check`, `build flake`, `run -- words` and `config
 * [name]`, when their words are plain (the global flags, `--json` for build flake) and the
 * plugins are the shipped ones (light-config.ts). Anything else — help, an unknown or repeated
 * flag, a missing value, user-installed plugins — returns undefined and oclif parses it, so
 * every message about bad words is still oclif's. Set ANYSNAKE2_NO_LIGHT_PATH=1 to always use oclif.
 */
import { configBody, EXAMPLE_CONFIGS } from './config-body.js';
import { lightConfig } from './light-config.js';
import { GLOBAL_BOOLEAN_FLAGS } from '../argv.js';
import { CORE_ROOT } from '../command-words.js';

/** plugin-host.ts's PLUGIN_HOOK_EVENT, spelled out: importing that module here would load the plugin host before it is needed. */
export const LIGHT_HOOK_EVENT = 'anysnake2:plugin';

interface Parsed {
  flags: { config?: string; verbose: boolean; quiet?: boolean; offline: boolean; json?: boolean };
  /** Words after `--` (undefined when there was no `--`). */
  words?: string[];
}

/** The words after the command, or undefined when anything is not one of the plain forms. */
function parseFlags(words: readonly string[], extraBooleans: readonly string[]): Parsed | undefined {
  const flags: Parsed['flags'] = { verbose: false, offline: false };
  const seen = new Set<string>();
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word === '--') return { flags, words: words.slice(i + 1) };
    let name: string;
    let value: string | undefined;
    if (GLOBAL_BOOLEAN_FLAGS.has(word) || extraBooleans.includes(word)) name = word;
    else if (word === '-c' || word === '--config') {
      name = '--config';
      value = words[++i];
      if (value === undefined || value.startsWith('-')) return undefined;
    } else if (word.startsWith('--config=')) {
      name = '--config';
      value = word.slice('--config='.length);
    } else return undefined;
    if (seen.has(name)) return undefined;
    seen.add(name);
    if (name === '--config') flags.config = value;
    else if (name === '--verbose') flags.verbose = true;
    else if (name === '--quiet') flags.quiet = true;
    else if (name === '--offline') flags.offline = true;
    else if (name === '--json') flags.json = true;
  }
  return { flags };
}

/** The command bodies and, through them, the pipeline, with the core's plugin hook: `config` never loads them. */
const bodies = () => import('./full-path.js');

/** A starter for argv (as normalizeArgv leaves it), or undefined to let oclif run it. */
export function lightCommand(argv: readonly string[]): (() => Promise<number | undefined>) | undefined {
  if (process.env.ANYSNAKE2_NO_LIGHT_PATH) return undefined;
  const [first, second] = argv;
  let start: ((config: NonNullable<ReturnType<typeof lightConfig>>) => Promise<number | undefined>) | undefined;
  if (first === 'config') {
    const names = argv.slice(1);
    if (names.length > 1 || (names[0] !== undefined && !Object.hasOwn(EXAMPLE_CONFIGS, names[0]))) return undefined;
    return async () => {
      await configBody(names[0]);
      return undefined;
    };
  }
  if (first === 'check') {
    const parsed = parseFlags(argv.slice(1), ['--json']);
    if (!parsed || parsed.words) return undefined;
    start = async (config) => void (await (await bodies()).checkBody(config, parsed.flags));
  } else if (first === 'build' && second === 'flake') {
    const parsed = parseFlags(argv.slice(2), ['--json']);
    if (!parsed || parsed.words) return undefined;
    start = async (config) => void (await (await bodies()).buildFlakeBody(config, parsed.flags));
  } else if (first === 'run') {
    const parsed = parseFlags(argv.slice(1), []);
    if (!parsed?.words?.length) return undefined;
    start = async (config) => (await bodies()).runBody(config, parsed.flags, parsed.words!);
  }
  if (!start) return undefined;
  const config = lightConfig(LIGHT_HOOK_EVENT, CORE_ROOT, async () => (await bodies()).corePluginHook);
  if (!config) return undefined;
  return () => start(config);
}
