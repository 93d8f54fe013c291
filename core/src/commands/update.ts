import { Args, Flags } from '@oclif/core';
import { AnysnakeCommand } from '../base-command.js';

export default class Update extends AnysnakeCommand {
  static override summary = 'Move pins forward: nixpkgs, flakes, clones and what the plugins pin, such as dates and versions (all, or the TARGETs named)';
  static override description =
    "Re-resolves the chosen pins as a first run would (newest commit or release; a date or version a plugin chooses when missing is chosen again) and rewrites anysnake2.toml in one atomic step; on any failure the file is left untouched (exit 75 for network trouble). Targets: a section (nixpkgs, outside_nixpkgs, flake-util, clones, a plugin's section, …) or one entry such as clones.DIR; none: all of them except anysnake2 (url2). The next build relocks and rebuilds what changed.";
  static override strict = false;
  static override args = { target: Args.string({ description: 'what to update (repeatable); none: everything' }) };
  static override flags = {
    'dry-run': Flags.boolean({ description: 'show the rewrite as a diff; write nothing' }),
    json: Flags.boolean({ description: 'print { configFile, changed, written, pins: [{ path, value, source }], diff } on stdout' }),
  };

  override async run(): Promise<void> {
    const { flags, argv } = await this.parse(Update);
    const project = await this.projectAsWritten(flags);
    const [{ runTofu }, { withProjectLock }, { tofuJson }, { floatingView }, { lineDiff }] = await Promise.all([
      import('../tofu/engine.js'),
      import('../pipeline/project-lock.js'),
      import('../tofu/json.js'),
      import('../tofu/update-view.js'),
      import('../tofu/diff.js'),
    ]);
    const view = floatingView(project, argv as string[]);
    if (flags.offline) throw new (await import('../errors.js')).UsageError('update asks the network for newer pins; it cannot run with --offline');
    if (!flags['dry-run']) await (await import('../pipeline/project.js')).removeInterruptedWrites(project);
    const lock = <T>(work: () => Promise<T>) => withProjectLock(project.paths.flakeDir, project.log, work);
    // The same engine as a first run: lookups in parallel, one atomic rewrite, nothing written on failure.
    const outcome = await runTofu(view.project, { dryRun: flags['dry-run'], explain: true, lock });
    if (flags.json) process.stdout.write(`${JSON.stringify(tofuJson(project, outcome, flags['dry-run']), null, 2)}\n`);
    if (!outcome.changed) this.logToStderr(`everything named is up to date (${view.paths.join(', ') || 'nothing to update'}); nothing to write`);
    else if (!flags['dry-run']) this.logToStderr(lineDiff(project.doc.text, outcome.text));
  }
}
