import { Flags } from '@oclif/core';
import { AnysnakeCommand } from '@anysnake2/core/plugin-command.js';

export default class Jobs extends AnysnakeCommand {
  static override summary = "List this project's Slurm jobs: state, exit status, log";
  static override flags = { json: Flags.boolean({ description: 'print the jobs as JSON' }) };

  override async run(): Promise<void> {
    const { flags } = await this.parse(Jobs);
    const project = await this.projectAsWritten(flags);
    const { listJobs, renderTable } = await import('../../jobs.js');
    const rows = await listJobs(project.paths.projectDir);
    this.log(flags.json ? JSON.stringify(rows, null, 2) : renderTable(rows));
  }
}
