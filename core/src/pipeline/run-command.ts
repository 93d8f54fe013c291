/**
 * Running a command in the container (the full path): build if needed, write the scripts, build
 * the RunPlan, pick the runtime, let the enrichers add to the plan, ask the one runtime for its
 * LaunchSpec and start that — and record it in a warm entry so the next identical invocation
 * starts without oclif, plugins or nix (src/warm).
 */
import { join } from 'node:path';
import { chmod, mkdir, readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../fs-atomic.js';
import { pathInside } from '../config/safe-names.js';
import { UsageError } from '../errors.js';
import { parseVcsUrl, toNixForm } from '../vcs/url.js';
import type { LaunchSpec, RunContext, RunPlan } from '../plugin-api.js';
import type { EnrichRunHookImpl } from '../hooks.js';
import { ensureBuilt } from './build.js';
import { dtachCommand, dtachWanted } from './dtach-command.js';
import { createRunPlan } from './run-plan.js';
import { containerArgv, writeRunScripts, type ContainerScripts } from './run-scripts.js';
import { selectRuntime } from './runtime-select.js';
import { planLaunch } from './launch-spec.js';
import { startContainer } from './start-container.js';
import { runImageFromEnv, verifyRunImage } from './run-image.js';
import type { Project } from './project.js';
import { fileStamp, warmKeyer, WARM_ENTRIES_KEPT, WARM_FILE, WARM_VERSION, type WarmEntry, type WarmFile } from '../warm/warm-entry.js';
import { recordEnvReads, type EnvReads } from '../warm/env-reads.js';
import { isTerminal } from '../terminal.js';

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

const RUN_SCRIPTS = 'run_scripts';

/**
 * run_scripts/ holds values expanded from the host's environment ([container.env] in warm entries
 * and runtime argv files): only the owner may enter it (also fixes a directory made before this).
 */
async function protectRunScripts(flakeDir: string): Promise<void> {
  const dir = join(flakeDir, RUN_SCRIPTS);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Another user's directory (a shared project) stays as it is; the files in it are still 0600.
  await chmod(dir, 0o700).catch(() => undefined);
}

export async function runCommand(project: Project, spec: CommandSpec): Promise<number> {
  assertNotNested();
  // A job given an image file (run-image.ts) builds nothing, runs no Nix and records no warm entry.
  const image = runImageFromEnv();
  const built = image ? undefined : await ensureBuilt(project);
  const { projectDir, flakeDir } = project.paths;
  const scriptsDir = pathInside(join(flakeDir, RUN_SCRIPTS), [spec.name]); // names were checked at load; this is the second line
  await protectRunScripts(flakeDir);
  await writeRunScripts(scriptsDir, spec.container);
  // The host variables read from here to the LaunchSpec are what the warm entry's key covers.
  const prepared = await recordEnvReads(async () => {
    const basePlan = await createRunPlan(project, { rootfs: built?.rootfs ?? '', image, scriptsDir, argv: containerArgv(spec.words) });
    basePlan.env.ANYSNAKE2_INSIDE = spec.name;
    const runtime = await selectRuntime(project, image?.kind);
    const outside = project.config.section<{ url: string }>('outside_nixpkgs')?.url ?? 'github:NixOS/nixpkgs';
    const outsideNixpkgs = toNixForm(parseVcsUrl(outside));
    const dtachOn = dtachWanted(project.config.section<{ dtach: boolean }>('anysnake2')?.dtach ?? true);
    const dtach = dtachOn ? await dtachCommand(outsideNixpkgs) : undefined;
    return { basePlan, runtime, outsideNixpkgs, dtach };
  });
  const { basePlan, runtime, outsideNixpkgs, dtach } = prepared.value;
  if (image) await verifyRunImage(image);

  return startContainer({
    projectDir,
    flakeDir,
    commandName: spec.name,
    preRunOutside: spec.preRunOutside,
    whileRunOutside: spec.whileRunOutside,
    postRunOutside: spec.postRunOutside,
    dtachCommand: dtach,
    warn: (message) => project.log.warn(message),
    run: async (launcher) => {
      const context: RunContext = {
        config: project.config,
        project: project.paths,
        log: project.log,
        commandName: spec.name,
        runtime: runtime.name,
        scriptsDir,
        outsideNixpkgs,
        ociImage: async (output) => (await import('../image/build-oci.js')).buildRunImage(project, output),
      };
      const planned = await recordEnvReads(async () => {
        const plan = await (project.host.hooks.enrichRun as EnrichRunHookImpl).promise(basePlan, context);
        return { plan, launch: await planLaunch(runtime, plan, context) };
      });
      const { plan, launch } = planned.value;
      const envReads = prepared.reads && planned.reads ? [...new Set([...prepared.reads, ...planned.reads])].sort() : null;
      if (built) await recordWarmEntry(project, spec, built.flakeFiles, built.buildHash, plan, launch, dtach, envReads);
      return launcher(launch);
    },
  });
}

async function recordWarmEntry(
  project: Project,
  spec: CommandSpec,
  flakeFiles: readonly string[],
  buildHash: string,
  plan: Pick<RunPlan, 'home' | 'binds' | 'gpu' | 'envAtStart'>,
  launch: LaunchSpec,
  dtach: string[] | undefined,
  envReads: EnvReads,
): Promise<void> {
  const keyOf = warmKeyer({
    configFile: project.paths.configFile,
    cwd: project.paths.projectDir,
    commandName: spec.name,
    words: spec.words,
    env: process.env,
    tty: isTerminal(0) && isTerminal(1), // as the warm path asks (warm-run.ts)
  });
  const entry: WarmEntry = {
    key: keyOf(envReads, plan.envAtStart ?? []),
    envReads,
    envAtStart: [...(plan.envAtStart ?? [])],
    toolFiles: project.toolFiles.map((path) => [path, fileStamp(path)]),
    flakeFiles: [...flakeFiles],
    buildHash,
    // A GPU's devices and driver libraries too: a driver update or a reboot without the GPU misses.
    mustExist: [plan.home, ...plan.binds.map((b) => b.source), ...(plan.gpu?.devices ?? []), ...(plan.gpu?.libraries.map((l) => l.path) ?? [])],
    messages: [...project.log.warnings],
    commandName: spec.name,
    preRunOutside: spec.preRunOutside,
    whileRunOutside: spec.whileRunOutside,
    postRunOutside: spec.postRunOutside,
    launch,
    dtachCommand: dtach,
  };
  const path = join(project.paths.flakeDir, RUN_SCRIPTS, spec.name, WARM_FILE);
  const previous = JSON.parse(await readFile(path, 'utf8').catch(() => '{}')) as Partial<WarmFile>;
  const others = previous.version === WARM_VERSION && Array.isArray(previous.entries) ? previous.entries.filter((e) => e.key !== entry.key) : [];
  const file: WarmFile = { version: WARM_VERSION, entries: [entry, ...others].slice(0, WARM_ENTRIES_KEPT) };
  // The LaunchSpec carries [container.env] values expanded from the host: owner only.
  await writeFileAtomic(path, `${JSON.stringify(file)}\n`, 0o600, { durable: false }); // a cache: compact, no fsync
}
