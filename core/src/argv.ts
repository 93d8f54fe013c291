/**
 * Command-line words before oclif sees them. anysnake2 2.x takes global options before the
 * command (`anysnake2 -c other.toml shell`), and a bare `anysnake2` runs [cmd.default]; oclif
 * wants the command first, so leading global options move behind the command word.
 */

import { INSTALLED_WORDS, isCommandWord, type WordKinds } from './command-words.js';
import { UsageError } from './errors.js';

/** The global options, shared with the light path's parser and run's `--` hint. */
export const GLOBAL_WITH_VALUE: ReadonlySet<string> = new Set(['-c', '--config']);
export const GLOBAL_BOOLEAN_FLAGS: ReadonlySet<string> = new Set(['--verbose', '--quiet', '--no-version-switch', '--offline']);
/** 2.x's `-v N` / `--verbosity N` (also `--verbose N`): 0–1 quiet, 2 the default, 3–5 debug. */
const VERBOSITY = new Set(['-v', '--verbosity', '--verbose']);
const PASS_THROUGH = new Set(['--help', '-h', '--version', '-V']);
/** `anysnake2 <name> --help` as the command_not_found hook receives it. */
export const USER_COMMAND_HELP = '--anysnake2-user-command-help';
/** A first word that is an anysnake2 command or topic, the core's or a plugin's (command-words.ts); any other word names a [cmd.<name>]. */
export { isCommandWord };

/** The verbosity level as our flags: `--quiet`, nothing, or `--verbose`. Not a level: a usage error. */
function verbosityFlag(option: string, level: string): string[] {
  if (!/^[0-9]+$/.test(level))
    throw new UsageError(`${option} takes a verbosity level 0–5, not '${level}'`, { hint: '0–1 errors and warnings only (--quiet), 2 the default, 3–5 debug output (--verbose)' });
  const n = Number(level);
  return n <= 1 ? ['--quiet'] : n >= 3 ? ['--verbose'] : [];
}

/** `-v 3`, `--verbosity=3`, `--verbose 3` → the flags oclif knows; words after `--` stay as they are. */
function translateVerbosity(argv: readonly string[], until: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (i >= until || word === '--') return [...out, ...argv.slice(i)];
    const eq = /^(--verbosity|-v)=(.*)$/.exec(word);
    if (eq) out.push(...verbosityFlag(eq[1]!, eq[2]!));
    else if (VERBOSITY.has(word) && i + 1 < argv.length && (word !== '--verbose' || /^[0-9]+$/.test(argv[i + 1]!))) out.push(...verbosityFlag(word, argv[++i]!));
    else if (word === '-v' || word === '--verbosity') throw new UsageError(`${word} takes a verbosity level 0–5`, { hint: `e.g. anysnake2 ${word} 3 …` });
    else out.push(word);
  }
  return out;
}

/** Where the options starting at `start` end: the first word that is neither an option nor an option's value (or `--`). */
function optionSpan(argv: readonly string[], start: number): number {
  let i = start;
  for (; i < argv.length && argv[i] !== '--'; i++) {
    const word = argv[i]!;
    const previous = i > start ? argv[i - 1]! : '';
    const isValue = GLOBAL_WITH_VALUE.has(previous) || previous === '-v' || previous === '--verbosity' || (previous === '--verbose' && /^[0-9]+$/.test(word));
    if (!word.startsWith('-') && !isValue) break;
  }
  return i;
}

/** `words`: which words are commands and topics (a topic's second word names a subcommand; command-words.ts). */
export function normalizeArgv(raw: readonly string[], words: WordKinds = INSTALLED_WORDS): string[] {
  const { isCommand, isTopic } = words;
  // Leading global options, and everything up to `--` of a built-in command (a [cmd.*]'s words are its own).
  const lead = optionSpan(raw, 0);
  const first = raw[lead];
  const commandWords = isTopic(first!) && raw[lead + 1] && !raw[lead + 1]!.startsWith('-') ? 2 : 1;
  const until = first === undefined ? raw.length : isCommand(first) ? optionSpan(raw, lead + commandWords) : lead;
  const argv = translateVerbosity(raw, until);
  const globals: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const word = argv[i]!;
    if (GLOBAL_WITH_VALUE.has(word) && i + 1 < argv.length) {
      globals.push(word, argv[i + 1]!);
      i += 2;
    } else if (word.startsWith('--config=') || GLOBAL_BOOLEAN_FLAGS.has(word)) {
      globals.push(word);
      i += 1;
    } else break;
  }
  const rest = argv.slice(i);
  // A bare `anysnake2` (or `anysnake2 -- words`) runs [cmd.default].
  if (rest.length === 0 || rest[0] === '--') return ['default', ...globals, '--', ...rest.slice(rest[0] === '--' ? 1 : 0)];
  if (PASS_THROUGH.has(rest[0]!)) return [...rest, ...globals];
  // A user command: its words go to "$@" untouched (oclif would read them as a longer command id).
  if (!isCommand(rest[0]!)) {
    const userWords = rest.slice(1);
    // `anysnake2 <name> --help` explains [cmd.<name>]; `anysnake2 <name> -- --help` passes it on.
    // oclif answers a literal --help itself ("command not found"), so the hook gets its own word.
    if (userWords[0] === '--help' || userWords[0] === '-h') return [rest[0]!, ...globals, USER_COMMAND_HELP];
    return [rest[0]!, ...globals, '--', ...(userWords[0] === '--' ? userWords.slice(1) : userWords)];
  }
  // Topic commands (`build flake`) take two words; the rest of the words follow the globals.
  const span = isTopic(rest[0]!) && rest[1] && !rest[1].startsWith('-') ? 2 : 1;
  return [...rest.slice(0, span), ...globals, ...rest.slice(span)];
}

/** Global options as seen by code that runs outside an oclif command (the command_not_found hook). */
export function readGlobalOptions(argv: readonly string[]): { config?: string; verbose: boolean; quiet: boolean; offline: boolean; rest: string[] } {
  let config: string | undefined;
  let verbose = false;
  let quiet = false;
  let offline = false;
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (GLOBAL_WITH_VALUE.has(word) && i + 1 < argv.length) config = argv[++i];
    else if (word.startsWith('--config=')) config = word.slice('--config='.length);
    else if (word === '--verbose') verbose = true;
    else if (word === '--quiet') quiet = true;
    else if (word === '--offline') offline = true;
    else if (word === '--no-version-switch') continue;
    else rest.push(word);
  }
  return { config, verbose, quiet, offline, rest };
}
