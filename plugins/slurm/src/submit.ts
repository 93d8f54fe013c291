/**
 * `anysnake2 submit`, the full path: check the command, build here (so the node finds the
 * environment built), and decide everything the job script names (submit-send.ts then writes,
 * submits and records it). The plan is what the warm entry records (warm-submit.ts).
 */
import { buildEnvironment, UsageError, type BuiltEnvironment, type Project } from '@anysnake2/core/plugin-command.js';
import { mergeResources, type Resources } from './sections.js';
import { checkSubmitFlags, type SubmitPlan } from './submit-send.js';

export { checkSubmitFlags };

export interface SubmitOptions {
  commandName: string;
  words: readonly string[];
  array?: string;
  dependency?: string;
  dryRun?: boolean;
  version: string;
}

export async function planSubmit(project: Project, options: SubmitOptions): Promise<{ plan: SubmitPlan; built: BuiltEnvironment }> {
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
  const plan: SubmitPlan = {
    commandName: options.commandName,
    words: [...options.words],
    resources,
    version: options.version,
    rootfs: built.rootfsStorePath,
    runtime: built.runtime,
    image,
    array: options.array,
    dependency: options.dependency,
    dryRun: Boolean(options.dryRun),
  };
  return { plan, built };
}
