/**
 * Writing `.anysnake2_flake/`: run the emitFlake hook over a fresh FlakeBuilder, print the flake
 * once, write each file only when its content changed, and commit them in the flake directory's
 * own git repository. Nix reads the flake as `git+file:` of that repository, so it copies exactly
 * the tracked files into the (world-readable) store: the generated files, flake.lock and the trees
 * plugins declared — never the run state beside them (run scripts, warm entries, locks, results).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { FlakeBuilder } from '../nix/flake.js';
import { writeIfChanged } from '../fs-atomic.js';
import { exec } from '../exec.js';
import { verifyFlakeParses } from './verify-flake.js';
import { withProjectLock } from './project-lock.js';
import type { Project } from './project.js';
import { coreRoot } from '../core-root.js';

export interface EmitResult {
  readonly flakeDir: string;
  /** Every generated file (relative to the flake dir). */
  readonly files: readonly string[];
  /** The generated files whose content changed in this run. */
  readonly changed: readonly string[];
  readonly builder: FlakeBuilder;
}

/** What the flake repository tracks besides the generated files: the lock Nix writes. */
const FLAKE_LOCK = 'flake.lock';

const STATIC_HELPERS = ['functions.nix'];
// Tidiness only (Nix sees what commitFlakeFiles tracks): the run state beside the flake.
// Untracked, so Nix never sees it (not in .gitignore: changing that file would rebuild every project).
const GENERATED_ASIDE = 'flake.generated.nix';
const GITIGNORE = ['result', 'result-*', 'run_scripts/', 'image_scripts/', 'dtach/', '.gcroots/', '.gcroot_for_flake_inputs', '.*.json', '.*.lock', '.build_unfinished', ''].join(
  '\n',
);
const GIT_IDENTITY = ['-c', 'user.name=anysnake2', '-c', 'user.email=anysnake2@localhost', '-c', 'commit.gpgsign=false'];

/** The checked-in Nix helpers shipped with the core package. */
export function staticHelperDir(): string {
  return join(coreRoot(), 'nix');
}

export async function renderFlakeFiles(project: Project): Promise<{ files: Map<string, string>; builder: FlakeBuilder }> {
  const builder = new FlakeBuilder();
  await project.host.hooks.emitFlake.promise(builder, { config: project.config, project: project.paths, log: project.log, offline: project.offline });
  const files = new Map<string, string>([
    ['flake.nix', builder.render()],
    ['.gitignore', GITIGNORE],
  ]);
  for (const helper of STATIC_HELPERS) files.set(helper, await readFile(join(staticHelperDir(), helper), 'utf8'));
  for (const [path, content] of builder.files) files.set(path, content);
  return { files, builder };
}

/** Under the project lock (nested when the caller holds it already, as ensureBuilt does). */
export async function writeFlake(project: Project): Promise<EmitResult> {
  return withProjectLock(project.paths.flakeDir, project.log, () => writeFlakeLocked(project));
}

async function writeFlakeLocked(project: Project): Promise<EmitResult> {
  const { files, builder } = await renderFlakeFiles(project);
  const flakeDir = project.paths.flakeDir;
  // A flake that Nix cannot parse is never written (checked only when its text changed).
  const flakeNix = files.get('flake.nix')!;
  const previous = existsSync(join(flakeDir, 'flake.nix')) ? await readFile(join(flakeDir, 'flake.nix'), 'utf8') : undefined;
  if (await keepEditedFlake(project, flakeNix, previous)) files.set('flake.nix', previous!);
  else if (flakeNix !== previous) await verifyFlakeParses(flakeNix, builder.expression(), { cwd: project.paths.projectDir, locate: project.config.locate });
  await mkdir(flakeDir, { recursive: true });
  if (!existsSync(join(flakeDir, '.git'))) await flakeGit(flakeDir, 'init', '-q');

  const changed: string[] = [];
  for (const [path, content] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    await mkdir(dirname(join(flakeDir, path)), { recursive: true });
    if (await writeIfChanged(join(flakeDir, path), content)) changed.push(path);
  }
  await commitFlakeFiles(flakeDir, [...files.keys(), ...builder.trees]);
  return { flakeDir, files: [...files.keys()], changed, builder };
}

/**
 * `[anysnake2] do_not_modify_flake = true` (2.x's escape hatch): a flake.nix that differs from the
 * generated one was edited by its user and stays; the generated text goes to flake.generated.nix
 * (not part of the flake) so the two can be compared, and a warning names both files.
 */
async function keepEditedFlake(project: Project, generated: string, previous: string | undefined): Promise<boolean> {
  const asideFile = join(project.paths.flakeDir, GENERATED_ASIDE);
  const keep = project.config.section<{ do_not_modify_flake?: boolean }>('anysnake2')?.do_not_modify_flake === true && previous !== undefined && previous !== generated;
  if (!keep) {
    await rm(asideFile, { force: true });
    return false;
  }
  await writeIfChanged(asideFile, generated);
  const shown = (file: string) => relative(process.cwd(), file) || file;
  project.log.warn(
    `${shown(join(project.paths.flakeDir, 'flake.nix'))} differs from what anysnake2 generates and is left as it is (do_not_modify_flake = true); the generated flake is in ${shown(asideFile)}`,
    project.config.locate(['anysnake2', 'do_not_modify_flake']),
  );
  return true;
}

function flakeGit(flakeDir: string, ...args: string[]) {
  return exec.run('git', [...GIT_IDENTITY, ...args], { cwd: flakeDir, installHint: 'install git, e.g. apt-get install git' });
}

/**
 * Make the repository track exactly `paths` (plus flake.lock): add what changed, untrack what is no
 * longer generated (a flake from an older anysnake2 did not track flake.lock), commit when the
 * index differs from HEAD, so Nix sees a clean tree (no "Git tree is dirty" warning). `--force`:
 * the user's global gitignore must not hide a file Nix needs. Skipped (no git spawned) when
 * nothing changed since the last time (flake-git-state.ts).
 */
export async function commitFlakeFiles(flakeDir: string, paths: readonly string[]): Promise<void> {
  const wanted = [...paths, FLAKE_LOCK].filter((path) => existsSync(join(flakeDir, path)));
  const { flakeGitKey, recordedFlakeGitKey, recordFlakeGitKey } = await import('./flake-git-state.js');
  const before = await flakeGitKey(flakeDir, wanted);
  if (before !== undefined && before === (await recordedFlakeGitKey(flakeDir))) return;
  const keep = (file: string) => wanted.some((path) => file === path || file.startsWith(`${path}/`));
  const tracked = (await flakeGit(flakeDir, 'ls-files', '-z')).stdout.split('\0').filter(Boolean);
  const stale = tracked.filter((file) => !keep(file));
  if (stale.length > 0) await flakeGit(flakeDir, 'rm', '-q', '--cached', '--ignore-unmatch', '--', ...stale);
  if (wanted.length > 0) await flakeGit(flakeDir, 'add', '--force', '--all', '--', ...wanted);
  const staged = await exec.try('git', ['diff', '--cached', '--quiet'], { cwd: flakeDir });
  // A repository without commits has no HEAD to compare with: diff fails, so commit.
  if (staged.exitCode !== 0) await flakeGit(flakeDir, 'commit', '-q', '--no-verify', '-m', 'anysnake2: update generated flake');
  const after = await flakeGitKey(flakeDir, wanted);
  if (after !== undefined) await recordFlakeGitKey(flakeDir, after);
}
