/**
 * [clones.<dir>]: repositories checked out once into <dir>/<name> (git, Mercurial, or jujutsu with
 * clone_options.jujutsu). `.clone_info.json` in each target directory records where every checkout
 * came from; a checkout whose url changed is never thrown away.
 */
import { existsSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { AnysnakeError, CantCreateError, ConfigError, DamagedStateError } from '../errors.js';
import { pathInside } from '../config/safe-names.js';
import { formatPath } from '../config/toml-document.js';
import { exec } from '../exec.js';
import { writeFileAtomic } from '../fs-atomic.js';
import { NIX_FLAGS } from '../nix-cli/nix.js';
import { httpsUrl, parseVcsUrl, toNixForm, toTomlForm, type VcsSource } from '../vcs/url.js';
import { which } from '../which.js';
import type { Project } from './project.js';
import { rewriteCloneUrl } from '../vcs/clone-url.js';
import { credentialsOutOfArgv } from '../vcs/git-credentials.js';

export const CLONE_INFO = '.clone_info.json';

async function isEmptyDir(path: string): Promise<boolean> {
  return !existsSync(path) || (await readdir(path)).length === 0;
}

/** What cloning needs of a project (plugins pass their hook context's parts). */
export type CloneContext = Pick<Project, 'config' | 'paths' | 'log'>;

export async function ensureClones(project: Project): Promise<void> {
  const clones = project.config.section<Record<string, Record<string, string>>>('clones') ?? {};
  for (const dir of Object.keys(clones).sort()) await ensureCheckouts(project, dir, clones[dir]!, (name) => ['clones', dir, name]);
}

/** Check out `{ name: url }` once into `<dir>/<name>` (dir relative to the project), as [clones.<dir>] does. */
export async function ensureCheckouts(
  project: CloneContext,
  dir: string,
  checkouts: Readonly<Record<string, string>>,
  keyPath?: (name: string) => readonly (string | number)[],
): Promise<void> {
  const options = project.config.section<{ jujutsu: boolean; clone_regexps?: Record<string, string> }>('clone_options');
  const target = pathInside(project.paths.projectDir, [dir], { allowBase: true });
  await mkdir(target, { recursive: true });
  const infoPath = join(target, CLONE_INFO);
  const info = await readCloneInfo(infoPath, project.paths.projectDir);
  const wanted = Object.entries(checkouts).map(([name, url]) => {
    const source = parseVcsUrl(rewriteCloneUrl(url, options?.clone_regexps ?? {}));
    return { name, source, recorded: toTomlForm(source) };
  });
  // Defence in depth behind the checks at load: every checkout is a directory of its own inside the project.
  for (const { name } of wanted) {
    const path = pathInside(target, [name]);
    if (path === resolve(project.paths.configFile) || (existsSync(path) && !statSync(path).isDirectory()))
      throw new CantCreateError(`cannot clone into ${relative(project.paths.projectDir, path) || path}: a file of that name exists`, {
        hint: 'give the clone another name in anysnake2.toml, or move that file away',
      });
  }
  // Safety first, for the whole directory: nothing is cloned when any checkout would be lost.
  for (const { name, recorded } of wanted) {
    const path = join(target, name);
    if (!(await isEmptyDir(path)) && info[name] !== undefined && info[name] !== recorded)
      // The config and the checkout disagree: a config error at the key, so the user sees which line.
      throw new ConfigError([
        {
          path: keyPath ? formatPath(keyPath(name)) : name,
          message: `the url of the clone ${relative(project.paths.projectDir, path)} changed: it was '${info[name]}', it is now '${recorded}'. Refusing to throw away the old checkout in ${path}.`,
          hint: 'move that checkout away (or restore the old url), then run again',
          location: keyPath && project.config.locate(keyPath(name)),
        },
      ]);
  }
  let failure: unknown;
  for (const { name, source, recorded } of wanted) {
    const path = join(target, name);
    if (!(await isEmptyDir(path))) continue;
    try {
      project.log.info(`cloning ${recorded} into ${relative(project.paths.projectDir, path)}`);
      await cloneOne(source, path, options?.jujutsu ?? false, project);
      info[name] = recorded;
    } catch (error) {
      await rm(path, { recursive: true, force: true }); // no half checkout stays behind
      failure ??= error;
    }
  }
  await writeFileAtomic(infoPath, `${JSON.stringify(Object.fromEntries(Object.entries(info).sort()), null, 2)}\n`);
  if (failure) throw failure;
}

/** What was cloned from where. It guards checkouts against a changed url, so a damaged one is an error, not "nothing". */
async function readCloneInfo(infoPath: string, projectDir: string): Promise<Record<string, string>> {
  const text = await readFile(infoPath, 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return '{}';
    throw error;
  });
  let info: unknown;
  try {
    info = JSON.parse(text);
  } catch {
    info = undefined;
  }
  if (typeof info === 'object' && info !== null && !Array.isArray(info) && Object.values(info).every((v) => typeof v === 'string')) return info as Record<string, string>;
  throw new DamagedStateError(`${relative(projectDir, infoPath)} is damaged: it must be a JSON object of clone names and the urls they were cloned from`, {
    hint: `restore it (e.g. from version control), or delete it: the checkouts beside it are kept as they are, and only clones that are missing are made and recorded again`,
  });
}

async function tool(name: string, attribute: string, project: CloneContext): Promise<string[]> {
  const outside = parseVcsUrl(project.config.section<{ url: string }>('outside_nixpkgs')?.url ?? 'github:NixOS/nixpkgs');
  return (await which(name)) ? [name] : ['nix', ...NIX_FLAGS, 'shell', `${toNixForm(outside)}#${attribute}`, '-c', name];
}

async function cloneOne(source: VcsSource, path: string, jujutsu: boolean, project: CloneContext): Promise<void> {
  const run = async (cmd: string[], args: string[], cwd?: string) =>
    void (await exec.run(cmd[0]!, [...cmd.slice(1), ...args], { cwd, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } }));
  switch (source.kind) {
    case 'path':
      throw new AnysnakeError(`clones need a repository url, not a local path: ${source.path}`);
    case 'hg': {
      const hg = await tool('hg', 'mercurial', project);
      await run(hg, ['clone', source.url, path]);
      if (source.rev) await run(hg, ['checkout', source.rev], path);
      return;
    }
    case 'github':
    case 'git': {
      const url = httpsUrl(source);
      const branch = source.kind === 'github' ? source.branch : source.ref;
      if (jujutsu) {
        const jj = await tool('jj', 'jujutsu', project);
        await mkdir(path, { recursive: true });
        await run(jj, ['git', 'clone', '--colocate', url, '.'], path);
        if (branch) await run(jj, ['bookmark', 'track', `${branch}@origin`], path);
        if (source.rev) await run(jj, ['new', source.rev], path);
        return;
      }
      // Credentials in the url go to git through the environment, not argv (vcs/git-credentials.ts);
      // the checkout's origin is then the url without them, so they are not left in .git/config either.
      const moved = credentialsOutOfArgv(url, { ...process.env, GIT_TERMINAL_PROMPT: '0' });
      await exec.run('git', ['clone', '-q', moved.url, path], { env: moved.env });
      if (branch) await run(['git'], ['checkout', '-q', branch], path);
      if (source.rev) await run(['git'], ['reset', '-q', '--hard', source.rev], path);
    }
  }
}
