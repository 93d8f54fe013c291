/**
 * Writing `.anysnake2_flake/`: run the emitFlake hook over a fresh FlakeBuilder, print the flake
 * once, write each file only when its content changed, and commit them in the flake directory's
 * own git repository (Nix only sees tracked files of a git flake).
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FlakeBuilder } from '../nix/flake.js';
import { writeIfChanged } from '../fs-atomic.js';
import { exec } from '../exec.js';
import { verifyFlakeParses } from './verify-flake.js';
import type { Project } from './project.js';

export interface EmitResult {
  readonly flakeDir: string;
  /** Every generated file (relative to the flake dir). */
  readonly files: readonly string[];
  /** The generated files whose content changed in this run. */
  readonly changed: readonly string[];
  readonly builder: FlakeBuilder;
}

const STATIC_HELPERS = ['functions.nix'];
const GITIGNORE = ['result', 'result-*', 'run_scripts/', 'dtach/', '.gcroots/', '.*.json', ''].join('\n');
const GIT_IDENTITY = ['-c', 'user.name=anysnake2', '-c', 'user.email=anysnake2@localhost', '-c', 'commit.gpgsign=false'];

/** The checked-in Nix helpers shipped with the core package. */
export function staticHelperDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'nix');
}

export async function renderFlakeFiles(project: Project): Promise<{ files: Map<string, string>; builder: FlakeBuilder }> {
  const builder = new FlakeBuilder();
  await project.host.hooks.emitFlake.promise(builder, { config: project.config, project: project.paths, log: project.log, offline: project.offline });
  const files = new Map<string, string>([['flake.nix', builder.render()], ['.gitignore', GITIGNORE]]);
  for (const helper of STATIC_HELPERS) files.set(helper, await readFile(join(staticHelperDir(), helper), 'utf8'));
  for (const [path, content] of builder.files) files.set(path, content);
  return { files, builder };
}

export async function writeFlake(project: Project): Promise<EmitResult> {
  const { files, builder } = await renderFlakeFiles(project);
  const flakeDir = project.paths.flakeDir;
  // A flake that Nix cannot parse is never written (checked only when its text changed).
  const flakeNix = files.get('flake.nix')!;
  const previous = existsSync(join(flakeDir, 'flake.nix')) ? await readFile(join(flakeDir, 'flake.nix'), 'utf8') : undefined;
  if (flakeNix !== previous)
    await verifyFlakeParses(flakeNix, builder.expression(), { cwd: project.paths.projectDir, locate: project.config.locate });
  await mkdir(flakeDir, { recursive: true });
  const git = (...args: string[]) =>
    exec.run('git', [...GIT_IDENTITY, ...args], { cwd: flakeDir, installHint: 'install git, e.g. apt-get install git' });
  if (!existsSync(join(flakeDir, '.git'))) await git('init', '-q');

  const changed: string[] = [];
  for (const [path, content] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    await mkdir(dirname(join(flakeDir, path)), { recursive: true });
    if (await writeIfChanged(join(flakeDir, path), content)) changed.push(path);
  }
  // Nix reads the flake as `path:`, so git is history, not visibility: skip it when nothing changed.
  if (changed.length > 0) {
    await git('add', '--', ...files.keys());
    const staged = await exec.try('git', ['diff', '--cached', '--quiet'], { cwd: flakeDir });
    if (staged.exitCode !== 0) await git('commit', '-q', '--no-verify', '-m', 'anysnake2: update generated flake');
  }
  return { flakeDir, files: [...files.keys()], changed, builder };
}
