/**
 * Which invocations may hand over to the version a project pins (`[anysnake2] url2`). A cloned
 * repository chooses url2, so switching executes code the repository chose: only commands that
 * build or run the project do that (a whitelist). Everything that reads, explains or completes
 * runs in the installed version and never fetches or starts the pinned one (docs/self-version.md).
 */
import { normalizeArgv, USER_COMMAND_HELP } from '../argv.js';
import { commandKindOf, type CommandKind } from '../command-words.js';

export type { CommandKind } from '../command-words.js';

const HELP = new Set(['--help', '-h']);

export function commandKind(rawArgv: readonly string[]): CommandKind {
  // Global options may come before or after the command; normalizeArgv puts the command first.
  const argv = normalizeArgv(rawArgv);
  const command = argv[0]!;
  // --help, -h, --version, -V or an unknown option instead of a command: oclif answers or refuses.
  if (command.startsWith('-')) return 'read';
  // An anysnake2 command, the core's or a plugin's, says what it does (command-words.ts).
  const kind = commandKindOf(command);
  if (kind === 'quiet' || kind === 'read') return kind;
  if (kind === 'switch') {
    // Help for a built-in command, however it is asked for; words after `--` belong to the container.
    const own = argv.slice(1, argv.includes('--') ? argv.indexOf('--') : argv.length);
    return own.some((word) => HELP.has(word)) ? 'read' : 'switch';
  }
  // Any other word names a [cmd.<name>] (bare `anysnake2` is [cmd.default]); its words are its own,
  // so it runs, in the pinned version. `anysnake2 <name> --help` only explains it.
  return argv.includes(USER_COMMAND_HELP) && argv.indexOf(USER_COMMAND_HELP) < (argv.includes('--') ? argv.indexOf('--') : argv.length) ? 'read' : 'switch';
}
