import { Flags } from '@oclif/core';
import { AnysnakeCommand } from '../base-command.js';

export default class Tofu extends AnysnakeCommand {
  static override summary = 'Pin every floating revision, date and version in anysnake2.toml (trust on first use)';
  static override description =
    'Every build or run does this first; this command does only this. --dry-run shows the rewrite as a diff without writing; --explain says where each value came from.';
  static override flags = {
    'dry-run': Flags.boolean({ description: 'show the pending rewrite as a diff; write nothing' }),
    explain: Flags.boolean({ description: 'show where each pinned value came from' }),
  };

  override async run(): Promise<void> {
    const { flags } = await this.parse(Tofu);
    const project = await this.projectAsWritten(flags);
    if (!flags['dry-run']) await (await import('../pipeline/project.js')).removeInterruptedWrites(project);
    const { runTofu } = await import('../tofu/engine.js');
    const outcome = await runTofu(project, { dryRun: flags['dry-run'], explain: flags.explain, offline: flags.offline });
    if (!outcome.changed && !flags['dry-run']) this.logToStderr('anysnake2.toml is pinned and canonical; nothing to write');
  }
}
