/**
 * Reading generated/readme.md out of the nixR source named by `[R] url`, for any kind of url: a
 * local flake is read in place; GitHub and git repositories are fetched with `git fetch --depth 1`
 * (one commit, not nixR's whole history); Mercurial with `hg clone -r`. Unpinned urls read the
 * newest commit of their branch, which is what the url pin of the same run resolves to.
 * (The original downloaded raw.githubusercontent.com and so knew only GitHub.)
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PluginApi, VcsSource } from '@anysnake2/core/plugin-api';

export const README = 'generated/readme.md';
const TIMEOUT_MS = Number(process.env.ANYSNAKE2_NETWORK_TIMEOUT_MS) || 120_000;

export async function readNixrReadme(api: PluginApi, url: string): Promise<string> {
  const source = api.vcs.parseVcsUrl(url);
  const shown = api.vcs.toTomlForm(source);
  if (source.kind === 'path') {
    try {
      return await readFile(join(source.path, README), 'utf8');
    } catch (error) {
      throw new api.errors.UsageError(`${source.path} has no ${README}, so it is not a nixR checkout`, {
        hint: 'point [R] url at nixR (github:TyberiusPrime/nixR) or a copy of it',
        cause: error,
      });
    }
  }
  const scratch = await mkdtemp(join(tmpdir(), 'anysnake2-nixr-'));
  try {
    return source.kind === 'hg' ? await viaHg(api, source, scratch, shown) : await viaGit(api, source, scratch, shown);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

async function viaGit(api: PluginApi, source: Extract<VcsSource, { kind: 'github' | 'git' }>, repo: string, shown: string): Promise<string> {
  const remote = source.kind === 'github' ? `https://github.com/${source.owner}/${source.repo}` : source.url;
  const want = source.rev ?? (source.kind === 'github' ? source.branch : source.ref) ?? 'HEAD';
  const options = { timeoutMs: TIMEOUT_MS, installHint: 'install git, e.g. apt-get install git' };
  await api.exec.run('git', ['init', '-q', '--bare', repo], options);
  const fetched = await api.exec.try('git', ['-C', repo, 'fetch', '-q', '--depth', '1', remote, want], options);
  if (fetched.exitCode !== 0)
    throw new api.errors.TemporaryError(`could not fetch ${want} of ${shown} to read its ${README}: ${lastLine(fetched.stderr)}`, {
      hint: 'check the url and your network, or set [R] date yourself',
    });
  return readShown(api, await api.exec.try('git', ['-C', repo, 'show', `FETCH_HEAD:${README}`], options), shown);
}

async function viaHg(api: PluginApi, source: Extract<VcsSource, { kind: 'hg' }>, repo: string, shown: string): Promise<string> {
  const options = { timeoutMs: TIMEOUT_MS, installHint: 'install Mercurial, e.g. apt-get install mercurial' };
  const rev = source.rev ?? 'default';
  const cloned = await api.exec.try('hg', ['clone', '-q', '--noupdate', '-r', rev, source.url, repo], options);
  if (cloned.exitCode !== 0)
    throw new api.errors.TemporaryError(`could not clone ${shown} to read its ${README}: ${lastLine(cloned.stderr)}`, {
      hint: 'check the url and your network, or set [R] date yourself',
    });
  return readShown(api, await api.exec.try('hg', ['-R', repo, 'cat', '-r', rev, README], options), shown);
}

function readShown(api: PluginApi, result: { exitCode: number; stdout: string }, shown: string): string {
  if (result.exitCode !== 0)
    throw new api.errors.UsageError(`${shown} has no ${README}, so it is not nixR`, { hint: 'point [R] url at nixR (github:TyberiusPrime/nixR) or a fork of it' });
  return result.stdout;
}

/** The line that says what went wrong: git's first `fatal:`/`abort:` line, else the last one. */
function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return lines.find((l) => /^(fatal|abort|error):/.test(l)) ?? lines.pop() ?? '';
}
