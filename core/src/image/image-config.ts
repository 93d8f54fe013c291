/**
 * What the image runs with, from the config: the environment a container run gets from
 * [container] (PATH, BASH_ENV, [container.env] expanded on the host now, once), and as default
 * command [cmd.default] — its scripts travel in the image at /anysnake2 — or else bash.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Static } from '@sinclair/typebox';
import type { cmdSchema, containerSchema } from '../sections/core-sections.js';
import { expandEnv } from '../pipeline/expand-env.js';
import { containerArgv, writeRunScripts } from '../pipeline/run-scripts.js';
import { SCRIPTS_MOUNT } from '../pipeline/run-plan.js';
import type { Project } from '../pipeline/project.js';
import type { ImageConfig } from './oci-archive.js';
import type { ExtraFile } from './image-tree.js';

type Container = Static<typeof containerSchema>;
type Commands = Static<typeof cmdSchema>;

/** The scripts of [cmd.default] the image carries; containerArgv() runs them. */
const SCRIPTS = ['outer_run.sh', 'run.sh', 'post_run.sh'];

export async function imageConfig(project: Project, options: { hostEnv?: NodeJS.ProcessEnv } = {}): Promise<{ config: ImageConfig; files: ExtraFile[] }> {
  const hostEnv = options.hostEnv ?? process.env;
  const container = project.config.section<Container>('container');
  // The same base a container run gets (run-plan.ts): nothing from the host unless asked for.
  const env: Record<string, string> = { PATH: '/bin', BASH_ENV: '/etc/bashrc' };
  for (const [name, spec] of Object.entries(container?.env ?? {})) {
    const expansion = expandEnv(spec, hostEnv);
    for (const missing of expansion.missing)
      project.log.warn(`container.env.${name}: $${missing} is not set on the host; it expands to "" in the image`, project.config.locate(['container', 'env', name]));
    env[name] = expansion.value;
  }
  const envList = Object.entries(env).map(([name, value]) => `${name}=${value}`);

  const command = project.config.section<Commands>('cmd')?.default;
  if (!command) return { config: { env: envList, cmd: ['/bin/bash'], workingDir: '/' }, files: [] };
  for (const key of ['pre_run_outside', 'while_run_outside', 'post_run_outside'] as const)
    if (command[key] !== undefined) project.log.warn(`cmd.default.${key} runs on the host and is not part of the image`, project.config.locate(['cmd', 'default', key]));
  const scriptsDir = join(project.paths.flakeDir, 'image_scripts');
  await writeRunScripts(scriptsDir, { run: command.run, postRunInside: command.post_run_inside });
  const mount = SCRIPTS_MOUNT.replace(/^\//, '');
  const files = await Promise.all(
    SCRIPTS.map(async (name): Promise<ExtraFile> => ({ path: `${mount}/${name}`, content: await readFile(join(scriptsDir, name), 'utf8'), mode: 0o755 })),
  );
  return { config: { env: envList, cmd: containerArgv([]), workingDir: '/' }, files };
}
