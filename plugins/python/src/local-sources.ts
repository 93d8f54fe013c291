/**
 * Sources uv has to read from a local checkout, laid out in the lock's working directory
 * (`.anysnake2_flake/uv`, where the flake also reads the lock):
 * - git sources with `patch_before_lock` (behaviour reference §2.6, §14.2): a bash script runs in a
 *   writable checkout before locking, for packages whose metadata cannot be computed from the
 *   repository as it is (versioneer). uv locks the copy (`patched/<name>`, removed afterwards); the
 *   flake builds the pinned commit unpatched, as in 2.x (build-time patches: override_attrs.postPatch).
 * - Mercurial sources (uv reads git only): checked out once into `sources/<name>` without `.hg`,
 *   which stays, so the flake builds exactly the tree that was locked (a patch_before_lock applies).
 */
import { join } from 'node:path';
import { mkdir, rm } from 'node:fs/promises';
import type { ConfigView, PluginApi } from '@anysnake2/core/plugin-api';
import type { PythonPackage } from './requirement.js';

export interface LocalSource {
  readonly name: string;
  readonly vcs: 'git' | 'hg';
  /** Where uv finds the checkout, relative to the lock's working directory. */
  readonly path: string;
  /** The clone url (https for GitHub) and the pinned revision. */
  readonly cloneUrl: string;
  readonly rev: string;
  readonly script?: string;
}

export interface LocalSourceProblem {
  readonly name: string;
  readonly key: string;
  readonly message: string;
  readonly hint: string;
}

export function localSources(api: PluginApi, packages: readonly PythonPackage[]): { sources: LocalSource[]; problems: LocalSourceProblem[] } {
  const sources: LocalSource[] = [];
  const problems: LocalSourceProblem[] = [];
  for (const pkg of packages) {
    const vcs = pkg.source.kind === 'vcs' ? api.vcs.parseVcsUrl(pkg.source.url) : undefined;
    if (vcs?.kind !== 'hg' && pkg.patchBeforeLock === undefined) continue;
    if (!vcs || vcs.kind === 'path') {
      problems.push({
        name: pkg.name,
        key: 'patch_before_lock',
        message: 'patch_before_lock needs a VCS source to patch',
        hint: 'give the package a url = "github:owner/repo" or "git+https://…"',
      });
      continue;
    }
    if (!vcs.rev) {
      problems.push({ name: pkg.name, key: 'url', message: 'is not pinned to a revision yet', hint: 'run `anysnake2 tofu` (without --offline) to pin it' });
      continue;
    }
    const cloneUrl = vcs.kind === 'github' ? `https://github.com/${vcs.owner}/${vcs.repo}` : vcs.url;
    const kind = vcs.kind === 'hg' ? 'hg' : 'git';
    sources.push({ name: pkg.name, vcs: kind, path: `${kind === 'hg' ? 'sources' : 'patched'}/${pkg.normalized}`, cloneUrl, rev: vcs.rev, script: pkg.patchBeforeLock });
  }
  return { sources, problems };
}

/** Check out each source at its revision and run its patch script there. */
export async function prepareLocalSources(api: PluginApi, config: ConfigView, workDir: string, sources: readonly LocalSource[]): Promise<void> {
  for (const source of sources) {
    const target = join(workDir, source.path);
    await rm(target, { recursive: true, force: true });
    await mkdir(join(target, '..'), { recursive: true });
    // git gets a url's credentials through the environment, never argv (hg has no such door yet).
    const moved = source.vcs === 'git' ? api.vcs.credentialsOutOfArgv(source.cloneUrl, { ...process.env, GIT_TERMINAL_PROMPT: '0' }) : undefined;
    const env = moved?.env ?? { ...process.env, HGPLAIN: '1' };
    const shown = moved?.url ?? source.cloneUrl; // messages end up in logs and issue reports
    const steps: [string, string[], string?][] = moved
      ? [
          ['git', ['clone', '-q', moved.url, target]],
          ['git', ['-c', 'advice.detachedHead=false', 'checkout', '-q', source.rev], target],
        ]
      : [['hg', ['clone', '-q', '-r', source.rev, source.cloneUrl, target]]];
    for (const [tool, args, cwd] of steps) {
      const argv = tool === 'hg' && !(await api.which('hg')) ? mercurialFromNixpkgs(api, config, args) : [tool, ...args];
      const result = tool === 'hg' && argv[0] === 'nix' ? await api.nixCli.try(argv.slice(1), { cwd, env }) : await api.exec.try(argv[0]!, argv.slice(1), { cwd, env });
      if (result.exitCode === 0) continue;
      const message = `could not check out ${shown} at ${source.rev} for [python.packages.${source.name}]: ${api.shellQuote(argv)}\n${tail(result.stderr, '  ')}`;
      throw api.isNetworkFailure(result.stderr)
        ? new api.errors.TemporaryError(message, { hint: 'check the network and proxy settings, then run again' })
        : new api.errors.ToolFailedError(message);
    }
    if (source.vcs === 'hg') await rm(join(target, '.hg'), { recursive: true, force: true });
    if (source.script === undefined) continue;
    const result = await api.exec.try('bash', ['-c', `set -xeuo pipefail\n${source.script}`], { cwd: target });
    if (result.exitCode !== 0)
      throw new api.errors.ConfigError([
        {
          path: `python.packages.${source.name}.patch_before_lock`,
          message: `failed with exit code ${result.exitCode} in a writable checkout of ${shown} at ${source.rev.slice(0, 12)}:\n${tail(`${result.stderr}${result.stdout}`, '      ')}`,
          hint: "fix the script (it runs with bash `set -xeuo pipefail` in the checkout's top directory); anysnake2.toml and the lock were not changed",
        },
      ]);
  }
}

/** No hg on PATH: the one of [outside_nixpkgs], as for clones. */
function mercurialFromNixpkgs(api: PluginApi, config: ConfigView, args: string[]): string[] {
  const outside = api.vcs.toNixForm(api.vcs.parseVcsUrl(config.section<{ url: string }>('outside_nixpkgs')?.url ?? 'github:NixOS/nixpkgs'));
  return ['nix', 'shell', `${outside}#mercurial`, '-c', 'hg', ...args];
}

const tail = (text: string, indent: string) =>
  text
    .trimEnd()
    .split('\n')
    .slice(-12)
    .map((l) => `${indent}${l}`)
    .join('\n');

/** The lock the flake builds from: patched git copies are replaced by the commit they came from. */
export function flakeLock(lock: string, sources: readonly LocalSource[]): string {
  let out = lock;
  for (const s of sources) if (s.vcs === 'git') out = out.replaceAll(`directory = "${s.path}"`, `git = "${s.cloneUrl}?rev=${s.rev}#${s.rev}"`);
  return out;
}
