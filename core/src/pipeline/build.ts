/**
 * Building the rootfs, only when needed. The decision is keyed on content: the hash of every file
 * the flake consists of (flake.nix, flake.lock, helpers, plugin files) recorded after the last
 * successful build, a missing result, or the unfinished-build marker (a build killed half way).
 * The warm path — nothing changed — spawns no `nix` at all.
 */
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BuildResult } from '../plugin-api.js';
import { beforeBuilding, flakeRef, nixBuild, nixCli, nixFlakeLock, NixEvaluationError, terminalProgress } from '../nix-cli/nix.js';
import { checkCachedAttributes, explainEvaluationFailure, type AttributeCheck } from './nixpkgs-attributes.js';
import { writeFileAtomic } from '../fs-atomic.js';
import { TemporaryError, ToolFailedError } from '../errors.js';
import { isNetworkFailure } from '../network-failure.js';
import { relevantLines } from '../exec.js';
import { commitFlakeFiles, writeFlake } from './emit.js';
import { withProjectLock } from './project-lock.js';
import { ensureClones } from './clones.js';
import { flakeFilesHash } from '../warm/warm-entry.js';
import type { Project } from './project.js';

export const RESULT_LINK = 'result';
const STATE_FILE = '.build_state.json';
const UNFINISHED = '.build_unfinished';
const INPUTS_GC_ROOT = '.gcroot_for_flake_inputs';
/** The flake content whose devShell last evaluated (`develop`). */
const DEV_SHELL_STATE = '.dev_shell_state.json';

/** Nix's name for the machine we run on. */
export function nixSystem(): string {
  const arch = { x64: 'x86_64', arm64: 'aarch64' }[process.arch as string] ?? process.arch;
  return `${arch}-${process.platform === 'darwin' ? 'darwin' : 'linux'}`;
}

export interface EnsureOptions {
  /** Build even when nothing changed (`build rootfs`). */
  force?: boolean;
  /** Only write and lock the flake (`build flake`). */
  flakeOnly?: boolean;
  /** Also make sure the devShell evaluates (`develop`), so a dev_shell.inputs typo names its key. */
  devShell?: boolean;
}

export interface EnsureResult extends BuildResult {
  /** What happened: nothing to do, relocked only, or built. */
  readonly action: 'up-to-date' | 'locked' | 'built';
  /** The files the flake consists of, and their content hash as recorded for the build. */
  readonly flakeFiles: readonly string[];
  readonly buildHash: string;
}

export async function ensureBuilt(project: Project, options: EnsureOptions = {}): Promise<EnsureResult> {
  const { flakeDir } = project.paths;
  const log = project.log;
  const current = await upToDateWithoutLock(project, options);
  if (current) return current;
  return withProjectLock(flakeDir, log, async () => {
    await ensureClones(project);
    const emitted = await writeFlake(project);
    const lockFile = join(flakeDir, 'flake.lock');
    let action: EnsureResult['action'] = 'up-to-date';
    if (emitted.changed.includes('flake.nix') || !existsSync(lockFile)) {
      log.info('locking the flake inputs…');
      await nixFlakeLock(flakeDir);
      // Nix only marks the new lock "intent to add"; commit it so the build sees a clean tree.
      await commitFlakeFiles(flakeDir, [...emitted.files, ...emitted.builder.trees]);
      action = 'locked';
    }
    const flakeFiles = [...emitted.files, 'flake.lock'];
    const hash = flakeFilesHash(flakeDir, flakeFiles);
    const resultLink = join(flakeDir, RESULT_LINK);
    const result = { resultLink, rootfs: join(resultLink, 'rootfs'), target: 'default', flakeFiles, buildHash: hash };
    if (options.flakeOnly) return { ...result, action };

    const state = JSON.parse(await readFile(join(flakeDir, STATE_FILE), 'utf8').catch(() => '{}')) as { hash?: string };
    const unfinished = join(flakeDir, UNFINISHED);
    const system = nixSystem();
    const attributes: AttributeCheck = { builder: emitted.builder, flakeDir, system, locate: (path) => project.doc.locate(path) };
    if (!options.force && state.hash === hash && existsSync(result.rootfs) && !existsSync(unfinished)) {
      if (options.devShell) await ensureDevShellEvaluates(attributes, hash);
      return { ...result, action };
    }

    // A package name the pinned nixpkgs lacks is a config error; known without Nix once its names are cached.
    await checkCachedAttributes(attributes);
    await beforeBuilding(['build']);
    // The marker outlives a build killed half way, so the next run rebuilds.
    await writeFile(unfinished, 'in_progress\n');
    log.info('building the container root filesystem with nix…');
    const progress = terminalProgress();
    try {
      await nixBuild([flakeRef(flakeDir, `packages.${system}.default`), '--out-link', resultLink], {
        cwd: flakeDir,
        progress,
        explainers: project.host.buildFailureExplainers,
        buildLog: (line) => log.debug(line), // --verbose: Nix's build log as it happens
      });
    } catch (error) {
      if (error instanceof NixEvaluationError) throw (await explainEvaluationFailure(attributes, error)) ?? error;
      throw error;
    }
    if (state.hash !== hash) {
      // A GC root for every flake input, so `nix-collect-garbage` cannot break the next relock.
      await nixBuild([flakeRef(flakeDir, `packages.${system}.flake_inputs_for_gc_root`), '--out-link', join(flakeDir, INPUTS_GC_ROOT)], {
        cwd: flakeDir,
        progress,
      });
    }
    await writeFileAtomic(join(flakeDir, STATE_FILE), `${JSON.stringify({ hash }, null, 2)}\n`);
    await rm(unfinished, { force: true });
    const built: EnsureResult = { ...result, action: 'built' };
    await project.host.hooks.postBuild.promise(built, { config: project.config, project: project.paths, log, offline: project.offline });
    if (options.devShell) await ensureDevShellEvaluates(attributes, hash);
    return built;
  });
}

/**
 * Nothing to write and nothing to build: answered without the project lock, so concurrent runs of
 * one project (the tasks of a batch array starting together) do not queue behind each other. Safe
 * without it because writers only replace files atomically and record a build's hash after it:
 * when the flake files on disk are exactly what this config renders and the recorded build hash is
 * theirs, a build of exactly these files finished (and their commit before it). Anything else —
 * a file to write, a build — takes the lock and looks again under it. Not with [clones] or a section
 * whose emit has side effects (SectionDefinition.emitHasSideEffects: a lock file, checkouts), which
 * must not run twice at once.
 */
async function upToDateWithoutLock(project: Project, options: EnsureOptions): Promise<EnsureResult | undefined> {
  if (options.force || options.flakeOnly || options.devShell || project.config.has('clones')) return undefined;
  for (const [name, section] of project.host.sections.sections) if (section.emitHasSideEffects && project.config.has(name)) return undefined;
  const { flakeDir } = project.paths;
  const resultLink = join(flakeDir, RESULT_LINK);
  const rootfs = join(resultLink, 'rootfs');
  if (!existsSync(rootfs) || existsSync(join(flakeDir, UNFINISHED)) || !existsSync(join(flakeDir, 'flake.lock'))) return undefined;
  const { renderFlakeFiles } = await import('./emit.js');
  const { files } = await renderFlakeFiles(project);
  for (const [path, content] of files) if ((await readFile(join(flakeDir, path), 'utf8').catch(() => undefined)) !== content) return undefined;
  const flakeFiles = [...files.keys(), 'flake.lock'];
  // The rendered files equal what is on disk (checked above): hashed from memory, not read twice.
  const hash = flakeFilesHash(flakeDir, flakeFiles, files);
  const state = JSON.parse(await readFile(join(flakeDir, STATE_FILE), 'utf8').catch(() => '{}')) as { hash?: string };
  if (state.hash !== hash) return undefined;
  return { resultLink, rootfs, target: 'default', flakeFiles, buildHash: hash, action: 'up-to-date' };
}

/**
 * `dev_shell.inputs` are not part of the rootfs build, so a typo there would reach the user as
 * `nix develop`'s raw error. Evaluate the devShell once per flake content (its drvPath: nothing is
 * built) and blame the key when it does not evaluate.
 */
async function ensureDevShellEvaluates(check: AttributeCheck, hash: string): Promise<void> {
  const stateFile = join(check.flakeDir, DEV_SHELL_STATE);
  if ((await readFile(stateFile, 'utf8').catch(() => '')).includes(`"${hash}"`)) return;
  await checkCachedAttributes(check);
  const result = await nixCli.try(['eval', '--raw', flakeRef(check.flakeDir, `devShells.${check.system}.default.drvPath`)]);
  if (result.exitCode !== 0) {
    const message = `the dev shell does not evaluate:\n${relevantLines(result.stderr)}`;
    if (isNetworkFailure(result.stderr)) throw new TemporaryError(message, { hint: 'check the network and proxy settings, then run again' });
    const failure = new ToolFailedError(message);
    throw (await explainEvaluationFailure(check, failure)) ?? failure;
  }
  await writeFile(stateFile, `${JSON.stringify({ hash })}\n`);
}
