import { Args, Flags } from '@oclif/core';
import { AnysnakeCommand } from '@anysnake2/core/plugin-command.js';

export default class JobsCancel extends AnysnakeCommand {
  static override summary = 'Cancel a job of this project (scancel)';
  static override args = { id: Args.string({ description: 'job id, or <array job>_<task>', required: true }) };
  static override flags = { json: Flags.boolean({ description: 'print {id, cancelled} as JSON' }) };

  override async run(): Promise<void> {
    const { args, flags } = await this.parse(JobsCancel);
    const project = await this.projectAsWritten(flags);
    const [{ ownJob }, { slurmRun }] = await Promise.all([import('../../jobs.js'), import('../../slurm-cli.js')]);
    await ownJob(project.paths.projectDir, args.id);
    await slurmRun('scancel', [args.id]);
    this.log(flags.json ? JSON.stringify({ id: args.id, cancelled: true }) : `cancelled job ${args.id}`);
  }
}
