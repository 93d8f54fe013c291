/**
 * What a plugin's own oclif commands may use from the
 * core at run time: the global flags and opening the project (AnysnakeCommand), building the
 * environment, the error classes and the CLI entry a job on another machine runs. Hooks and
 * sections still go through the PluginApi; this is the one other door, kept small on purpose.
 */
import { realpath } from 'node:fs/promises';
import { join } from 'node:path';
import type { Project } from './pipeline/project.js';
import type { EnvReads } from './warm/env-reads.js';
import type { WarmCommandEntry } from './warm/warm-command.js';

export { AnysnakeCommand } from './base-command.js';
export { AnysnakeError, UsageError, ConfigError, ToolMissingError, ToolFailedError, TemporaryError } from './errors.js';
export { writeFileAtomic } from './fs-atomic.js';
/** The project lock's mechanism (O_EXCL file naming its holder, stale takeover) for a plugin's own directory. */
export { withProjectLock as withDirectoryLock } from './pipeline/project-lock.js';
export { shellQuoteWord } from './shell-quote.js';
export { which } from './which.js';
export { exec } from './exec.js';
export { NIX_FLAGS, nixCli } from './nix-cli/nix.js';
export type { ExecResult } from './exec.js';
export type { Project } from './pipeline/project.js';

/** `[outside_nixpkgs]` in the form `nix shell <it>#tool` takes. */
export async function outsideNixpkgs(project: Project): Promise<string> {
  const { parseVcsUrl, toNixForm } = await import('./vcs/url.js');
  return toNixForm(parseVcsUrl(project.config.section<{ url: string }>('outside_nixpkgs')?.url ?? 'github:NixOS/nixpkgs'));
}

/** `build oci`'s archive at its default place (rebuilt when the flake changed), for a command that turns it into another image format. */
export async function buildOciArchive(project: Project): Promise<{ path: string }> {
  const { buildOciArchive: build, defaultOciPath } = await import('./image/build-oci.js');
  return build(project, defaultOciPath(project));
}

/** Refuses (exit 73) an output path that cannot be written, before a long build. */
export async function assertWritable(path: string): Promise<void> {
  await (await import('./image/output-file.js')).assertWritable(path);
}

/** `core/bin/run.js` of this installation: what a batch job runs to be exactly `anysnake2 …`. */
export { CLI_ENTRY } from './plugin-warm.js';

export interface BuiltEnvironment {
  /** The rootfs as the store has it (`/nix/store/…`), not the project's result link. */
  readonly rootfsStorePath: string;
  /** The runtime `[container] runtime` selects here. */
  readonly runtime: string;
}

/** What a warm entry re-checks about a BuiltEnvironment; kept out of the object plugins see. */
const buildFacts = new WeakMap<BuiltEnvironment, { built: NonNullable<WarmCommandEntry['built']>; envReads: EnvReads }>();

/**
 * Build the rootfs when the flake changed (as `run` does) and say what was built. `imageKind`: the
 * job will start an image of that kind, so the runtime named is one that can.
 */
export async function buildEnvironment(project: Project, imageKind?: string): Promise<BuiltEnvironment> {
  const [{ ensureBuilt }, { selectRuntime }, { recordEnvReads }] = await Promise.all([
    import('./pipeline/build.js'),
    import('./pipeline/runtime-select.js'),
    import('./warm/env-reads.js'),
  ]);
  const built = await ensureBuilt(project);
  const rootfsStorePath = await realpath(join(built.rootfs));
  // A login node may lack the runtime the compute nodes have: the job script then names the setting.
  const configured = project.config.section<{ runtime?: string }>('container')?.runtime ?? 'auto';
  // The host variables choosing the runtime reads are what a warm entry's key covers (the build is checked by its hash).
  const runtime = await recordEnvReads(() =>
    selectRuntime(project, imageKind).then(
      (r) => r.name,
      () => `${configured} (not available on this host)`,
    ),
  );
  const environment: BuiltEnvironment = { rootfsStorePath, runtime: runtime.value };
  buildFacts.set(environment, { built: { flakeFiles: [...built.flakeFiles], buildHash: built.buildHash, rootfs: rootfsStorePath }, envReads: runtime.reads });
  return environment;
}

/**
 * After a full run of a plugin's own command: record what the next identical invocation needs, so
 * the entry point replays it through the module the plugin declares in its package.json
 * (`anysnake2.warm`, warm/warm-command.ts) — without oclif, plugins or nix. The key covers the
 * config, this process's command line, HOME/PATH/USER and, with `built`, the variables the
 * environment's runtime choice read; the entry is checked against the build and the tool's files.
 * `data` must be JSON. Returns why nothing was recorded (undefined: recorded); never throws.
 */
export async function recordWarmCommand(project: Project, record: { command: string; built?: BuiltEnvironment; data: unknown }): Promise<string | undefined> {
  const { recordWarmCommand: write } = await import('./warm/warm-command-record.js');
  const facts = record.built && buildFacts.get(record.built);
  if (record.built && !facts) return 'the environment was not built by buildEnvironment';
  return write(project, { command: record.command, built: facts?.built, envReads: facts?.envReads ?? [], data: record.data });
}
