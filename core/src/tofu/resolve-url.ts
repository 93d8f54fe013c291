/**
 * The two resolution modes of the original (behaviour reference §10.3): "to newest" (newest commit
 * of a branch) and "to tag" (newest tag matching a pattern), plus the GitHub export-subst safeguard
 * of §10.6.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec } from '../exec.js';
import { httpsUrl, type VcsSource } from '../vcs/url.js';
import type { RemoteClient } from '../vcs/git-remote.js';

export async function resolveToNewest(remote: RemoteClient, source: VcsSource): Promise<VcsSource> {
  switch (source.kind) {
    case 'path':
      return source;
    case 'hg':
      return source.rev ? source : { ...source, rev: await remote.hgTip(source.url) };
    case 'github': {
      const url = httpsUrl(source);
      if (source.rev) return source.branch ? source : { ...source, branch: await remote.defaultBranch(url) };
      const branch = source.branch ?? (await remote.defaultBranch(url));
      return { ...source, branch, rev: await remote.newestCommit(url, branch) };
    }
    case 'git': {
      const url = httpsUrl(source);
      if (source.rev) return source.ref ? source : { ...source, ref: await remote.defaultBranch(url) };
      const ref = source.ref ?? (await remote.defaultBranch(url));
      return { ...source, ref, rev: await remote.newestCommit(url, ref) };
    }
  }
}

export async function resolveToTag(remote: RemoteClient, source: VcsSource, pattern: RegExp): Promise<VcsSource> {
  switch (source.kind) {
    case 'path':
      return source;
    case 'hg':
      return resolveToNewest(remote, source);
    case 'github': {
      const url = httpsUrl(source);
      if (source.rev) return source.branch ? source : { ...source, branch: await remote.defaultBranch(url) };
      if (source.branch && !(await remote.isBranch(url, source.branch)))
        // `github:NixOS/nixpkgs/24.05`: not a branch, so a tag.
        return { ...source, branch: await remote.defaultBranch(url), rev: source.branch };
      return { ...source, branch: source.branch ?? (await remote.defaultBranch(url)), rev: await remote.newestTag(url, pattern) };
    }
    case 'git': {
      const url = httpsUrl(source);
      if (source.rev) return source.ref ? source : { ...source, ref: await remote.defaultBranch(url) };
      return { ...source, ref: await remote.defaultBranch(url), rev: await remote.newestTag(url, pattern) };
    }
  }
}

export const EXPORT_SUBST_WARNING =
  'uses .gitattributes with export-subst, which makes the GitHub tarball (what Nix fetches for github: urls) change its hash over time. ' +
  'Its url in anysnake2.toml now uses git directly instead, which is immune to that.';

/**
 * §10.6: a GitHub repository whose .gitattributes uses export-subst gets a git+https url. We read
 * .gitattributes at the pinned revision with a shallow git fetch (works through insteadOf and proxies).
 */
export async function usesExportSubst(source: VcsSource & { kind: 'github' }, signal?: AbortSignal): Promise<boolean> {
  if (!source.rev) return false;
  const dir = await mkdtemp(join(tmpdir(), 'anysnake2-export-subst-'));
  try {
    const git = (...args: string[]) =>
      exec.try('git', ['-C', dir, ...args], { env: { ...process.env, GIT_TERMINAL_PROMPT: '0' }, timeoutMs: Number(process.env.ANYSNAKE2_NETWORK_TIMEOUT_MS) || 60_000, signal });
    await git('init', '-q', '--bare');
    const fetched = await git('fetch', '-q', '--depth', '1', httpsUrl(source), source.rev);
    if (fetched.exitCode !== 0) return false; // a tag name, or a server refusing sha fetches: keep the github: url
    const attributes = await git('show', 'FETCH_HEAD:.gitattributes');
    return attributes.exitCode === 0 && /\bexport-subst\b/.test(attributes.stdout);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function toGitSource(source: VcsSource & { kind: 'github' }): VcsSource {
  return { kind: 'git', url: httpsUrl(source), ref: source.branch, rev: source.rev };
}
