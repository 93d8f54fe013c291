import { Flags } from '@oclif/core';
import { AnysnakeCommand } from '../base-command.js';

export default class Tofu extends AnysnakeCommand {
  static override summary = 'Pin every floating revision, date and version in anysnake2.toml (trust on first use)';
  static override description =
    'Every build or run does this first; this command does only this. --dry-run shows the rewrite as a diff without writing; --explain says where each value came from. To move pins that are already set forward, use anysnake2 update.';
  static override flags = {
    'dry-run': Flags.boolean({ description: 'show the pending rewrite as a diff; write nothing' }),
    explain: Flags.boolean({ description: 'show where each pinned value came from' }),
    json: Flags.boolean({ description: 'print { configFile, changed, written, pins: [{ path, value, source }], diff } on stdout' }),
  };

  override async run(): Promise<void> {
    const { flags } = await this.parse(Tofu);
    const project = await this.projectAsWritten(flags);
    if (!flags['dry-run']) await (await import('../pipeline/project.js')).removeInterruptedWrites(project);
    const [{ runTofu }, { withProjectLock }, { tofuJson }] = await Promise.all([import('../tofu/engine.js'), import('../pipeline/project-lock.js'), import('../tofu/json.js')]);
    const lock = <T>(work: () => Promise<T>) => withProjectLock(project.paths.flakeDir, project.log, work);
    const outcome = await runTofu(project, { dryRun: flags['dry-run'], explain: flags.explain, offline: flags.offline, lock });
    if (flags.json) process.stdout.write(`${JSON.stringify(tofuJson(project, outcome, flags['dry-run']), null, 2)}\n`);
    if (!outcome.changed && !flags['dry-run']) this.logToStderr('anysnake2.toml is pinned and canonical; nothing to write');
  }
}
