/**
 * The second half of `anysnake2 submit`, once the environment is built: write the job script, one
 * sbatch call (arrays too), record the job. The full path (submit.ts) and the warm path
 * (warm-submit.ts) both end here with the same plan, so both write the same script and answer
 * the same way. Imports nothing that loads oclif or the config schema.
 */
import { join } from 'node:path';
import { CLI_ENTRY, shellQuoteWord, ToolFailedError, UsageError, writeFileAtomic, type Logger } from '@anysnake2/core/plugin-warm.js';
import { jobName, jobScript } from './job-script.js';
import { addRecord, jobsDir, logDir, prepareJobsDir } from './records.js';
import type { JobImage } from './job-image.js';
import type { Resources } from './sections.js';
import { slurmRun } from './slurm-cli.js';

/** Everything the job script and the sbatch call depend on besides the project's place: what a warm entry records. */
export interface SubmitPlan {
  /** `[cmd.<name>]`, or `run` for `submit -- <command>`. */
  commandName: string;
  words: string[];
  resources: Resources;
  /** The anysnake2 version that submits (named in the script). */
  version: string;
  /** The rootfs store path and the runtime chosen here. */
  rootfs: string;
  runtime: string;
  /** `[slurm] image = "sif"|"oci"`: the image file the job starts, and its sha256 (never replayed warm: each submit builds it). */
  image?: JobImage;
  array?: string;
  dependency?: string;
  dryRun: boolean;
}

/** Where it is submitted from. */
export interface SubmitTarget {
  projectDir: string;
  configFile: string;
  log: Logger;
}

export interface SubmittedJob {
  /** Slurm's job id; absent with --dry-run. */
  id?: string;
  command: string;
  words: string[];
  array?: string;
  script: string;
  /** The log file (for arrays: with %a for the task). */
  log: string;
  rootfs: string;
  /** `[slurm] image = "sif"|"oci"`: the image file the job starts, and its sha256. */
  image?: JobImage;
  scriptText: string;
}

/** sbatch --array: indices, ranges, steps, a %limit. */
const ARRAY = /^\d+(-\d+(:\d+)?)?(,\d+(-\d+(:\d+)?)?)*(%\d+)?$/;
/** sbatch --dependency: type:id[:id…][,…] or ?-separated, or singleton. */
const DEPENDENCY = /^[a-z_]+(:[0-9_+]+)*([,?][a-z_]+(:[0-9_+]+)*)*$/;

/** The command-line values, before anything is opened or built. */
export function checkSubmitFlags(options: { array?: string; dependency?: string }): void {
  if (options.array !== undefined && !ARRAY.test(options.array))
    throw new UsageError(`--array ${JSON.stringify(options.array)} is not a Slurm array`, { hint: 'e.g. --array 1-100, --array 0-9:3, --array 1-1000%50' });
  if (options.dependency !== undefined && !DEPENDENCY.test(options.dependency))
    throw new UsageError(`--dependency ${JSON.stringify(options.dependency)} is not a Slurm dependency`, { hint: 'e.g. --dependency afterok:1234, --dependency singleton' });
}

export async function sendSubmit(plan: SubmitPlan, target: SubmitTarget): Promise<SubmittedJob> {
  const { projectDir } = target;
  await prepareJobsDir(projectDir);
  const script = join(jobsDir(projectDir), `${plan.commandName}.sbatch`);
  const logs = logDir(projectDir);
  const scriptText = jobScript({
    commandName: plan.commandName,
    words: plan.words,
    resources: plan.resources,
    jobName: jobName(projectDir, plan.commandName),
    projectDir,
    configFile: target.configFile,
    logDir: logs,
    nodeBinary: process.execPath,
    cliEntry: CLI_ENTRY,
    version: plan.version,
    rootfs: plan.rootfs,
    runtime: plan.runtime,
    image: plan.image,
    quote: shellQuoteWord,
  });
  // Executable by its owner: `bash anysnake2_jobs/x.sbatch` (or sbatch) runs it again by hand.
  await writeFileAtomic(script, scriptText, 0o700);
  const logName = plan.array ? '%A_%a.out' : '%j.out';
  const log = join(logs, logName);
  const job: SubmittedJob = { command: plan.commandName, words: [...plan.words], array: plan.array, script, log, rootfs: plan.rootfs, image: plan.image, scriptText };
  if (plan.dryRun) return job;

  // Slurm reads % in --output as a pattern: a % in the project's path must be written %%.
  const args = ['--parsable', `--output=${join(logs.replaceAll('%', '%%'), logName)}`];
  if (plan.array) args.push(`--array=${plan.array}`);
  if (plan.dependency) args.push(`--dependency=${plan.dependency}`);
  const result = await slurmRun('sbatch', [...args, script], { cwd: projectDir });
  // --parsable prints `id` or `id;cluster`.
  const id = result.stdout.trim().split('\n').pop()!.split(';')[0]!;
  if (!/^\d+$/.test(id)) throw new ToolFailedError(`sbatch answered ${JSON.stringify(result.stdout.trim())} instead of a job id`);
  // The script of this job stays beside its log: <cmd>.sbatch is replaced by the next submit.
  const kept = join(logs, `${id}.sbatch`);
  await writeFileAtomic(kept, scriptText, 0o700);
  await addRecord(projectDir, { id, command: plan.commandName, words: [...plan.words], array: plan.array, submitted: new Date().toISOString(), script: kept }, target.log);
  return { ...job, id, script: kept, log: join(logs, logName.replace(plan.array ? '%A' : '%j', id)) };
}

/** What `submit` prints on stdout (with its line break). */
export function describeJob(job: SubmittedJob, options: { json?: boolean; dryRun?: boolean }): string {
  if (options.json) return `${JSON.stringify(job, null, 2)}\n`;
  if (options.dryRun) return `${job.scriptText}\n`;
  return `submitted job ${job.id} (${job.command}${job.array ? `, array ${job.array}` : ''}); log: ${job.log}\n`;
}
