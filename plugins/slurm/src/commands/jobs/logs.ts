import { Args, Flags } from '@oclif/core';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AnysnakeCommand, UsageError } from '@anysnake2/core/plugin-command.js';

export default class JobsLogs extends AnysnakeCommand {
  static override summary = "Print a job's log (anysnake2_jobs/logs/<id>.out)";
  static override args = { id: Args.string({ description: 'job id, or <array job>_<task>', required: true }) };
  static override flags = { json: Flags.boolean({ description: 'print {id, log, text} as JSON' }) };

  override async run(): Promise<void> {
    const { args, flags } = await this.parse(JobsLogs);
    const project = await this.projectAsWritten(flags);
    const [{ ownJob }, { logDir }] = await Promise.all([import('../../jobs.js'), import('../../records.js')]);
    const record = await ownJob(project.paths.projectDir, args.id);
    if (record.array && !args.id.includes('_'))
      throw new UsageError(`job ${args.id} is an array (${record.array}): each task has its own log`, { hint: `anysnake2 jobs logs ${args.id}_<task>` });
    const log = join(logDir(project.paths.projectDir), `${args.id}.out`);
    const text = await readFile(log, 'utf8').catch(() => undefined);
    if (text === undefined) throw new UsageError(`job ${args.id} has no log yet (${log})`, { hint: 'it has not started: `anysnake2 jobs` shows its state' });
    if (flags.json) this.log(JSON.stringify({ id: args.id, log, text }, null, 2));
    else process.stdout.write(text);
  }
}
