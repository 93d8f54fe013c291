import { Args, Flags } from '@oclif/core';
import { AnysnakeCommand, recordWarmCommand, UsageError } from '@anysnake2/core/plugin-command.js';
import type { WarmSubmit } from '../warm-submit.js';

export default class Submit extends AnysnakeCommand {
  static override summary = 'Submit [cmd.<name>] (or `-- <command>`) as a Slurm batch job';
  static override description =
    'Builds the environment here, writes the job script to anysnake2_jobs/<name>.sbatch and submits it with sbatch. ' +
    'On the node the job runs exactly `anysnake2 <name> [words…]`: pre_run_outside, run, post_run_inside and post_run_outside, in the configured container. ' +
    'Resources come from [slurm] and [cmd.<name>.slurm].';
  static override strict = false;
  static override args = { command: Args.string({ description: '[cmd.<name>] to submit, then its words; or -- <command> [args…]' }) };
  static override flags = {
    array: Flags.string({ description: 'submit a job array, e.g. 1-100 or 1-1000%50; each task sees $SLURM_ARRAY_TASK_ID' }),
    dependency: Flags.string({ description: 'passed to sbatch --dependency, e.g. afterok:1234' }),
    'dry-run': Flags.boolean({ description: 'write the job script and print it, submit nothing' }),
    json: Flags.boolean({ description: 'print the submitted job as JSON' }),
  };

  override async run(): Promise<void> {
    const { flags, argv } = await this.parse(Submit);
    const words = argv as string[];
    // `submit -- cmd…` runs an ad-hoc command; `submit name words…` a [cmd.<name>].
    const adHoc = firstPositional(this.argv) === '--';
    if (words.length === 0) throw new UsageError('nothing to submit', { hint: 'anysnake2 submit <cmd> [words…], or anysnake2 submit -- <command> [args…]' });
    const [{ checkSubmitFlags, planSubmit }, { describeJob, sendSubmit }] = await Promise.all([import('../submit.js'), import('../submit-send.js')]);
    checkSubmitFlags(flags);
    const project = await this.project(flags);
    const { plan, built } = await planSubmit(project, {
      commandName: adHoc ? 'run' : words[0]!,
      words: adHoc ? words : words.slice(1),
      array: flags.array,
      dependency: flags.dependency,
      dryRun: flags['dry-run'],
      version: this.config.version,
    });
    const job = await sendSubmit(plan, { projectDir: project.paths.projectDir, configFile: project.paths.configFile, log: project.log });
    process.stdout.write(describeJob(job, { json: flags.json, dryRun: plan.dryRun }));
    // The next identical submit skips oclif, the plugins and the up-to-date check (warm-submit.ts).
    // Not with an image: each submit builds the image again and records the digest of that file.
    if (plan.image) return;
    const why = await recordWarmCommand(project, { command: 'submit', built, data: { plan, json: Boolean(flags.json) } satisfies WarmSubmit });
    if (why) project.log.debug(`no warm entry for this submit: ${why}`);
  }
}

const WITH_VALUE = new Set(['-c', '--config', '--array', '--dependency']);

/** The first word that is neither an option nor an option's value: `--` for `submit -- <command>`. */
function firstPositional(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--' || !word.startsWith('-')) return word;
    if (WITH_VALUE.has(word)) i++;
  }
  return undefined;
}
