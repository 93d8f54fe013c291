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
import { flakeRef, nix, nixBuild, terminalProgress } from '../nix-cli/nix.js';
import { writeFileAtomic } from '../fs-atomic.js';
import { commitFlakeFiles, writeFlake } from './emit.js';
import { withProjectLock } from './project-lock.js';
import { ensureClones } from './clones.js';
import { flakeFilesHash } from '../warm/warm-entry.js';
import type { Project } from './project.js';

export const RESULT_LINK = 'result';
const STATE_FILE = '.build_state.json';
const UNFINISHED = '.build_unfinished';
const INPUTS_GC_ROOT = '.gcroot_for_flake_inputs';

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
  return withProjectLock(flakeDir, log, async () => {
    await ensureClones(project);
    const emitted = await writeFlake(project);
    const lockFile = join(flakeDir, 'flake.lock');
    let action: EnsureResult['action'] = 'up-to-date';
    if (emitted.changed.includes('flake.nix') || !existsSync(lockFile)) {
      log.info('locking the flake inputs…');
      await nix(['flake', 'lock', flakeRef(flakeDir)]);
      // Nix only marks the new lock "intent to add"; commit it so the build sees a clean tree.
      await commitFlakeFiles(flakeDir, [...emitted.files, ...emitted.builder.trees]);
      action = 'locked';
    }
    const flakeFiles = [...emitted.files, 'flake.lock'];
    const hash = await flakeFilesHash(flakeDir, flakeFiles);
    const resultLink = join(flakeDir, RESULT_LINK);
    const result = { resultLink, rootfs: join(resultLink, 'rootfs'), target: 'default', flakeFiles, buildHash: hash };
    if (options.flakeOnly) return { ...result, action };

    const state = JSON.parse(await readFile(join(flakeDir, STATE_FILE), 'utf8').catch(() => '{}')) as { hash?: string };
    const unfinished = join(flakeDir, UNFINISHED);
    if (!options.force && state.hash === hash && existsSync(result.rootfs) && !existsSync(unfinished)) return { ...result, action };

    // The marker outlives a build killed half way, so the next run rebuilds.
    await writeFile(unfinished, 'in_progress\n');
    const system = nixSystem();
    log.info('building the container root filesystem with nix…');
    const progress = terminalProgress();
    await nixBuild([flakeRef(flakeDir, `packages.${system}.default`), '--out-link', resultLink], {
      cwd: flakeDir,
      progress,
      explainers: project.host.buildFailureExplainers,
      buildLog: (line) => log.debug(line), // --verbose: Nix's build log as it happens
    });
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
    return built;
  });
}
