/**
 * Running a command in the container, in the original's order: build if needed → pre_run_outside
 * → while_run_outside (background) → the container (run, then post_run_inside) → post_run_outside.
 * The exit status is run's; while_run_outside's process group is stopped on every way out.
 */
import { join } from 'node:path';
import { AnysnakeError, UsageError } from '../errors.js';
import { parseVcsUrl, toNixForm } from '../vcs/url.js';
import type { RunContext } from '../plugin-api.js';
import { ensureBuilt } from './build.js';
import { BackgroundScript, numbered, runHostScript, runPreScript } from './host-scripts.js';
import { dtachSession, dtachWanted, launch } from './launch.js';
import { createRunPlan } from './run-plan.js';
import { containerArgv, writeRunScripts, type ContainerScripts } from './run-scripts.js';
import { selectRuntime } from './runtime-select.js';
import type { Project } from './project.js';

export interface CommandSpec {
  name: string;
  container: ContainerScripts;
  preRunOutside?: string;
  whileRunOutside?: string;
  postRunOutside?: string;
  /** Extra command-line words, passed to run as "$@". */
  words: readonly string[];
}

export function assertNotNested(env: NodeJS.ProcessEnv = process.env): void {
  if (env.ANYSNAKE2_INSIDE || env.SINGULARITY_NAME || env.APPTAINER_NAME)
    throw new UsageError("anysnake2 can't run inside an anysnake2 container: nesting is not supported", {
      hint: 'run it on the host',
    });
}

export async function runCommand(project: Project, spec: CommandSpec): Promise<number> {
  assertNotNested();
  const built = await ensureBuilt(project);
  const { projectDir, flakeDir } = project.paths;
  const scriptsDir = join(flakeDir, 'run_scripts', spec.name);
  await writeRunScripts(scriptsDir, spec.container);
  const plan = await createRunPlan(project, { rootfs: built.rootfs, scriptsDir, argv: containerArgv(spec.words) });
  plan.env.ANYSNAKE2_INSIDE = spec.name;
  const runtime = await selectRuntime(project);
  const outside = project.config.section<{ url: string }>('outside_nixpkgs')?.url ?? 'github:NixOS/nixpkgs';
  const outsideNixpkgs = toNixForm(parseVcsUrl(outside));
  const dtachOn = dtachWanted(project.config.section<{ dtach: boolean }>('anysnake2')?.dtach ?? true);
  const dtach = dtachOn ? await dtachSession(projectDir, flakeDir, spec.name, outsideNixpkgs) : undefined;

  if (spec.preRunOutside) await runPreScript(spec.name, spec.preRunOutside, projectDir);
  const background = spec.whileRunOutside ? new BackgroundScript(spec.whileRunOutside, projectDir) : undefined;
  // Terminated ourselves: take while_run_outside down too, then go.
  const onTerminate = (signal: NodeJS.Signals) => {
    background?.killNow();
    process.exit(128 + (signal === 'SIGHUP' ? 1 : 15));
  };
  process.on('SIGTERM', onTerminate);
  process.on('SIGHUP', onTerminate);
  let exitCode: number;
  try {
    const context: RunContext = {
      config: project.config,
      project: project.paths,
      log: project.log,
      commandName: spec.name,
      runtime,
      scriptsDir,
      outsideNixpkgs,
      launch: (argv) => launch(argv, { cwd: projectDir, dtach }),
    };
    const outcome = await project.host.hooks.run.promise(plan, context);
    if (!outcome) throw new AnysnakeError(`the runtime '${runtime}' is registered, but no plugin ran the container for it`);
    exitCode = outcome.exitCode;
  } finally {
    process.off('SIGTERM', onTerminate);
    process.off('SIGHUP', onTerminate);
    await background?.stop();
  }
  if (spec.postRunOutside) {
    const status = await runHostScript(spec.postRunOutside, projectDir);
    if (status !== 0) project.log.warn(`[cmd.${spec.name}] post_run_outside failed with exit status ${status}. Script:\n${numbered(spec.postRunOutside)}`);
  }
  return exitCode;
}
