/**
 * The runtime-independent RunPlan: rootfs, binds, environment, home, working directory, argv.
 * Built by the core from [container]; plugins enrich it in the `run` hook; one runtime runs it.
 */
import { existsSync, statSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Static } from '@sinclair/typebox';
import type { Bind, RunImage, RunPlan } from '../plugin-api.js';
import { ConfigError, type ConfigIssue } from '../errors.js';
import { formatPath } from '../config/toml-document.js';
import type { containerSchema } from '../sections/core-sections.js';
import type { HostGpuSources } from './gpu.js';
import { containerPathOf } from './container-workdir.js';
import { expandEnv } from './expand-env.js';
import { passEnv } from './pass-env.js';
import type { Project } from './project.js';

type Container = Static<typeof containerSchema>;

/** Where the per-command scripts appear inside the container. */
export const SCRIPTS_MOUNT = '/anysnake2';

export async function createRunPlan(
  project: Project,
  options: { rootfs: string; image?: RunImage; scriptsDir: string; argv: string[]; hostEnv?: NodeJS.ProcessEnv; cwd?: string; gpu?: HostGpuSources },
): Promise<RunPlan> {
  const hostEnv = options.hostEnv ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const { home, volumes, env, issues } = await containerOnHost(project, hostEnv);
  if (issues.length) throw new ConfigError(issues);
  // An image holds its closure: the host's /nix/store (which may not exist) stays out.
  const binds: Bind[] = [
    ...(options.image ? [] : [{ source: '/nix/store', target: '/nix/store', mode: 'ro' } as const]),
    { source: options.scriptsDir, target: SCRIPTS_MOUNT, mode: 'ro' },
  ];
  // Mount order as the runtimes mount them: home first, then the binds.
  const allBinds = [...binds, ...volumes];
  const workdir = containerPathOf(cwd, [{ source: home, target: home, mode: 'rw' }, ...allBinds], hostEnv.PWD) ?? home;
  const plan: RunPlan = { rootfs: options.rootfs, binds: allBinds, env, passEnv: passEnv(hostEnv, env), home, workdir, argv: options.argv };
  if (options.image) plan.image = options.image;
  if (project.config.section<Container>('container')?.gpu) {
    const { gpuView, hostLdconfig } = await import('./gpu.js');
    plan.gpu = await gpuView(options.gpu ?? { ldconfig: hostLdconfig });
    if (plan.gpu.devices.length === 0)
      project.log.warn('[container] gpu = true, but this host has no /dev/nvidia* devices: the command runs without a GPU', project.config.locate(['container', 'gpu']));
  }
  return plan;
}

export interface ContainerOnHost {
  home: string;
  /** The [container] volumes: canonical host paths, sorted by where they appear (parents first). */
  volumes: Bind[];
  env: Record<string, string>;
  /** What makes `run` refuse: also reported by `check`, which shares this function. */
  issues: ConfigIssue[];
}

/** [container] resolved against this host: home and volumes must exist, the environment is expanded. */
export async function containerOnHost(project: Project, hostEnv: NodeJS.ProcessEnv): Promise<ContainerOnHost> {
  const container = project.config.section<Container>('container') ?? { runtime: 'auto' };
  const issues: ConfigIssue[] = [];
  const problem = (path: (string | number)[], message: string, hint?: string) =>
    issues.push({ path: formatPath(['container', ...path]), message, hint, location: project.config.locate(['container', ...path]) });
  const warnMissing = (path: (string | number)[], missing: string[]) => {
    for (const name of missing) project.log.warn(`container.${formatPath(path)}: $${name} is not set on the host; it expands to ""`, project.config.locate(['container', ...path]));
  };

  // home: expanded, relative to the project, must exist.
  const homeSpec = container.home ?? '$HOME';
  const homeExpansion = expandEnv(homeSpec, hostEnv);
  warnMissing(['home'], homeExpansion.missing);
  const home = resolve(project.paths.projectDir, homeExpansion.value || '.');
  if (!existsSync(home) || !statSync(home).isDirectory())
    problem(['home'], `the container home ${home} does not exist on the host`, `create it (mkdir -p ${home}) or set [container] home`);

  // volumes: canonical host paths that must exist, sorted by where they appear (parents first).
  const volumes: Bind[] = [];
  for (const [key, mode] of [
    ['volumes_ro', 'ro'],
    ['volumes_rw', 'rw'],
  ] as const) {
    for (const [host, target] of Object.entries(container[key] ?? {})) {
      const absolute = resolve(project.paths.projectDir, host);
      if (!existsSync(absolute)) {
        problem([key, host], `the host path ${absolute} does not exist`, `create it, or remove this ${mode === 'ro' ? 'read-only' : 'read-write'} volume`);
        continue;
      }
      if (!target.startsWith('/')) {
        problem([key, host], `the container path ${JSON.stringify(target)} must be absolute`);
        continue;
      }
      volumes.push({ source: await realpath(absolute), target, mode });
    }
  }
  volumes.sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : 0));

  // env: only what the config asks for, expanded from the host; nothing else leaks in.
  const env: Record<string, string> = { PATH: '/bin', BASH_ENV: '/etc/bashrc' };
  for (const [name, spec] of Object.entries(container.env ?? {})) {
    const expansion = expandEnv(spec, hostEnv);
    warnMissing(['env', name], expansion.missing);
    env[name] = expansion.value;
  }
  return { home, volumes, env, issues };
}
