import { Args } from '@oclif/core';
import { AnysnakeCommand } from '../base-command.js';
import { UsageError } from '../errors.js';
import { runBody } from '../light/command-bodies.js';

export default class Run extends AnysnakeCommand {
  static override summary = 'Run a command in the container: anysnake2 run -- <command> [args…]';
  static override description =
    'Several words run as they are (quoting preserved); a single word runs as a bash command line, e.g. anysnake2 run -- "ls | wc -l".';
  static override strict = false;
  static override args = { command: Args.string({ description: 'the command and its arguments (after --)' }) };

  override async run(): Promise<void> {
    const { flags, argv } = await this.parse(Run);
    const words = argv as string[];
    if (words.length === 0) throw new UsageError('nothing to run', { hint: 'anysnake2 run -- <command> [args…]' });
    process.exitCode = await runBody(this.config, flags, words);
  }
}
