import { Args } from '@oclif/core';
import { AnysnakeCommand } from '../base-command.js';
import { GLOBAL_BOOLEAN_FLAGS, GLOBAL_WITH_VALUE } from '../argv.js';
import { UsageError } from '../errors.js';
import { runBody } from '../light/command-bodies.js';

export default class Run extends AnysnakeCommand {
  static override summary = 'Run a command in the container: anysnake2 run -- <command> [args…]';
  static override description = 'Several words run as they are (quoting preserved); a single word runs as a bash command line, e.g. anysnake2 run -- "ls | wc -l".';
  static override strict = false;
  static override args = { command: Args.string({ description: 'the command and its arguments (after --)' }) };

  override async run(): Promise<void> {
    const { flags, argv } = await this.parse(Run).catch((error: unknown) => {
      // `anysnake2 run ls -la`: oclif reads -la as its own flag; the command's options go after --.
      const flag = /Nonexistent flags?: (\S+)/.exec(error instanceof Error ? error.message : '')?.[1]?.replace(/,$/, '');
      if (!flag) throw error;
      const words = this.argv.filter((w, i, all) => !GLOBAL_BOOLEAN_FLAGS.has(w) && !GLOBAL_WITH_VALUE.has(w) && !GLOBAL_WITH_VALUE.has(all[i - 1]!) && !w.startsWith('--config='));
      throw new UsageError(`unknown option '${flag}' for anysnake2 run`, { hint: `to pass options to the command, put -- before it: anysnake2 run -- ${words.join(' ')}` });
    });
    const words = argv as string[];
    if (words.length === 0) throw new UsageError('nothing to run', { hint: 'anysnake2 run -- <command> [args…]' });
    process.exitCode = await runBody(this.config, flags, words);
  }
}
