/**
 * `anysnake2 submit`: build here (so the node finds the environment built), write the job script
 * into the project, submit it with one sbatch call (arrays too), record the job.
 */
import { join } from 'node:path';
import { buildEnvironment, CLI_ENTRY, shellQuoteWord, ToolFailedError, UsageError, writeFileAtomic, type Project } from '@anysnake2/core/plugin-command.js';
import { jobName, jobScript } from './job-script.js';
import { addRecord, jobsDir, logDir, prepareJobsDir } from './records.js';
import { mergeResources, type Resources } from './sections.js';
import { slurmRun } from './slurm-cli.js';
import type { JobImage } from './job-image.js';

export interface SubmitOptions {
  commandName: string;
  words: readonly string[];
  array?: string;
  dependency?: string;
  dryRun?: boolean;
  version: string;
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
export function checkSubmitFlags(options: Pick<SubmitOptions, 'array' | 'dependency'>): void {
  if (options.array !== undefined && !ARRAY.test(options.array))
    throw new UsageError(`--array ${JSON.stringify(options.array)} is not a Slurm array`, { hint: 'e.g. --array 1-100, --array 0-9:3, --array 1-1000%50' });
  if (options.dependency !== undefined && !DEPENDENCY.test(options.dependency))
    throw new UsageError(`--dependency ${JSON.stringify(options.dependency)} is not a Slurm dependency`, { hint: 'e.g. --dependency afterok:1234, --dependency singleton' });
}

export async function submit(project: Project, options: SubmitOptions): Promise<SubmittedJob> {
  checkSubmitFlags(options);
  const commands = project.config.section<Record<string, { slurm?: Resources }>>('cmd') ?? {};
  const own = options.commandName === 'run' ? undefined : commands[options.commandName];
  if (options.commandName !== 'run' && !own) {
    const known = Object.keys(commands).sort();
    throw new UsageError(`there is no [cmd.${options.commandName}] in ${project.paths.configFile}`, {
      hint: known.length ? `submit one of: ${known.join(', ')}; or anysnake2 submit -- <command>` : 'add a [cmd.<name>] section, or anysnake2 submit -- <command>',
    });
  }
  const resources = mergeResources(project.config.section<Resources>('slurm'), own?.slurm);

  const imageKind = resources.image === 'store' ? undefined : resources.image;
  const built = await buildEnvironment(project, imageKind);
  const image = imageKind ? await (await import('./job-image.js')).buildJobImage(project, imageKind) : undefined;
  const { projectDir } = project.paths;
  await prepareJobsDir(projectDir);
  const script = join(jobsDir(projectDir), `${options.commandName}.sbatch`);
  const logs = logDir(projectDir);
  const scriptText = jobScript({
    commandName: options.commandName,
    words: options.words,
    resources,
    jobName: jobName(projectDir, options.commandName),
    projectDir,
    configFile: project.paths.configFile,
    logDir: logs,
    nodeBinary: process.execPath,
    cliEntry: CLI_ENTRY,
    version: options.version,
    rootfs: built.rootfsStorePath,
    runtime: built.runtime,
    image,
    quote: shellQuoteWord,
  });
  // Executable by its owner: `bash anysnake2_jobs/x.sbatch` (or sbatch) runs it again by hand.
  await writeFileAtomic(script, scriptText, 0o700);
  const logName = options.array ? '%A_%a.out' : '%j.out';
  const log = join(logs, logName);
  const job: SubmittedJob = { command: options.commandName, words: [...options.words], array: options.array, script, log, rootfs: built.rootfsStorePath, image, scriptText };
  if (options.dryRun) return job;

  // Slurm reads % in --output as a pattern: a % in the project's path must be written %%.
  const args = ['--parsable', `--output=${join(logs.replaceAll('%', '%%'), logName)}`];
  if (options.array) args.push(`--array=${options.array}`);
  if (options.dependency) args.push(`--dependency=${options.dependency}`);
  const result = await slurmRun('sbatch', [...args, script], { cwd: projectDir });
  // --parsable prints `id` or `id;cluster`.
  const id = result.stdout.trim().split('\n').pop()!.split(';')[0]!;
  if (!/^\d+$/.test(id)) throw new ToolFailedError(`sbatch answered ${JSON.stringify(result.stdout.trim())} instead of a job id`);
  // The script of this job stays beside its log: <cmd>.sbatch is replaced by the next submit.
  const kept = join(logs, `${id}.sbatch`);
  await writeFileAtomic(kept, scriptText, 0o700);
  await addRecord(
    projectDir,
    { id, command: options.commandName, words: [...options.words], array: options.array, submitted: new Date().toISOString(), script: kept },
    project.log,
  );
  return { ...job, id, script: kept, log: join(logs, logName.replace(options.array ? '%A' : '%j', id)) };
}
