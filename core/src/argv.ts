/**
 * Command-line words before oclif sees them. anysnake2 2.x takes global options before the
 * command (`anysnake2 -c other.toml shell`), and a bare `anysnake2` runs [cmd.default]; oclif
 * wants the command first, so leading global options move behind the command word.
 */

const GLOBAL_WITH_VALUE = new Set(['-c', '--config']);
const GLOBAL_FLAGS = new Set(['--verbose', '--no-version-switch', '--offline']);
const PASS_THROUGH = new Set(['--help', '-h', '--version', '-V']);
/**
 * First words that are anysnake2's own commands or topics (the bundled plugins' commands too:
 * `submit` and `jobs` of plugins/slurm); any other word names a [cmd.<name>].
 */
export const RESERVED_COMMANDS = new Set(['attach', 'build', 'check', 'completion', 'config', 'develop', 'doctor', 'help', 'jobs', 'plugins', 'run', 'schema', 'submit', 'tofu', 'version']);

/** Commands whose second word names a subcommand (`jobs` alone is a command too). */
const TOPICS = new Set(['build', 'jobs']);

export function normalizeArgv(argv: readonly string[]): string[] {
  const globals: string[] = [];
  let i = 0;
  while (i < argv.length) {
    const word = argv[i]!;
    if (GLOBAL_WITH_VALUE.has(word) && i + 1 < argv.length) {
      globals.push(word, argv[i + 1]!);
      i += 2;
    } else if (word.startsWith('--config=') || GLOBAL_FLAGS.has(word)) {
      globals.push(word);
      i += 1;
    } else break;
  }
  const rest = argv.slice(i);
  // A bare `anysnake2` (or `anysnake2 -- words`) runs [cmd.default].
  if (rest.length === 0 || rest[0] === '--') return ['default', ...globals, '--', ...rest.slice(rest[0] === '--' ? 1 : 0)];
  if (PASS_THROUGH.has(rest[0]!)) return [...rest, ...globals];
  // A user command: its words go to "$@" untouched (oclif would read them as a longer command id).
  if (!RESERVED_COMMANDS.has(rest[0]!)) {
    const words = rest.slice(1);
    return [rest[0]!, ...globals, '--', ...(words[0] === '--' ? words.slice(1) : words)];
  }
  // Topic commands (`build flake`, `jobs logs`) take two words; the rest of the words follow the globals.
  const words = TOPICS.has(rest[0]!) && rest[1] && !rest[1].startsWith('-') ? 2 : 1;
  return [...rest.slice(0, words), ...globals, ...rest.slice(words)];
}

/** Global options as seen by code that runs outside an oclif command (the command_not_found hook). */
export function readGlobalOptions(argv: readonly string[]): { config?: string; verbose: boolean; offline: boolean; rest: string[] } {
  let config: string | undefined;
  let verbose = false;
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
    else if (word === '--offline') offline = true;
    else if (word === '--no-version-switch') continue;
    else rest.push(word);
  }
  return { config, verbose, offline, rest };
}
