/**
 * Asking remotes what their branches, tags and newest commits are: `git ls-remote` (the system git,
 * or git from `nix shell <outside_nixpkgs>#git`) and `hg id` for Mercurial. Transient network
 * failures are retried with backoff; an unreachable host times out instead of hanging; a failure
 * that persists is a TemporaryError (exit 75) naming the URL and the tool's own error. Credentials
 * in a url reach git through its credential machinery, never its argv (git-credentials.ts).
 */
import { basename } from 'node:path';
import { exec, type ExecResult } from '../exec.js';
import { TemporaryError, ToolFailedError } from '../errors.js';
import { isNetworkFailure } from '../network-failure.js';
import { which } from '../which.js';
import { NIX_FLAGS } from '../nix-cli/nix.js';
import { stripCredentials } from './url.js';
import { credentialsOutOfArgv } from './git-credentials.js';

export interface RemoteRef {
  hash: string;
  /** Full ref name, e.g. `refs/heads/main`, `refs/tags/24.05`. */
  name: string;
}

export interface RemoteOptions {
  /** Nix form of the outside nixpkgs, for git/hg when they are not installed. */
  outsideNixpkgs: string;
  /** Milliseconds before one attempt is abandoned (default ANYSNAKE2_NETWORK_TIMEOUT_MS or 30 s). */
  timeoutMs?: number;
  /** Attempts for transient failures (default 3). */
  attempts?: number;
  /** Called for every remote query, e.g. to count them or show progress. */
  onQuery?: (description: string) => void;
  /** Stops every query (its processes are killed) and refuses new ones, e.g. when the lookup phase ran out of time. */
  signal?: AbortSignal;
}

/** A query that has not answered yet: whom it asks and since when (for "waiting for <host>"). */
export interface QueryInFlight {
  readonly host: string;
  readonly command: string;
  readonly since: number;
}

/** The host of a url as people name it (`github.com`, `127.0.0.1:8080`); a local path as it is. */
export function hostOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.host || url;
  } catch {
    return url;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class RemoteClient {
  readonly #options: RemoteOptions;
  readonly #cache = new Map<string, Promise<RemoteRef[]>>();
  #git: Promise<string[]> | undefined;
  #hg: Promise<string[]> | undefined;
  readonly #inFlight = new Set<QueryInFlight>();

  constructor(options: RemoteOptions) {
    this.#options = options;
  }

  /** The queries still waiting for an answer, oldest first. */
  inFlight(): QueryInFlight[] {
    return [...this.#inFlight];
  }

  /** The system tool, or the one from the outside nixpkgs when it is not installed. */
  async #tool(name: 'git' | 'hg', attribute: string): Promise<string[]> {
    const local = await which(name);
    return local ? [local] : ['nix', ...NIX_FLAGS, 'shell', `${this.#options.outsideNixpkgs}#${attribute}`, '-c', name];
  }

  async #run(tool: string[], args: string[], url: string): Promise<ExecResult> {
    const attempts = this.#options.attempts ?? 3;
    const timeoutMs = this.#options.timeoutMs ?? (Number(process.env.ANYSNAKE2_NETWORK_TIMEOUT_MS) || 30_000);
    // Never ask for credentials on a terminal nobody watches; proxies come from the environment
    // (git/curl read http_proxy, https_proxy, HTTPS_PROXY and no_proxy themselves).
    const baseEnv = { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: 'true', SSH_ASKPASS: 'true', HGPLAIN: '1' };
    const command = `${basename(tool[tool.length - 1]!)} ${args[0]}`;
    // git: the url in argv without its credentials (hg has no such door; it keeps the url as written).
    const { url: argvUrl, env } = command.startsWith('git ') ? credentialsOutOfArgv(url, baseEnv) : { url, env: baseEnv };
    const argv = args.map((a) => (a === url ? argvUrl : a));
    const signal = this.#options.signal;
    let last: ExecResult | undefined;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (signal?.aborted) break;
      this.#options.onQuery?.(`${command} ${stripCredentials(url)}`);
      const query = { host: hostOf(url), command: `${command} ${stripCredentials(url)}`, since: Date.now() };
      this.#inFlight.add(query);
      try {
        last = await exec.try(tool[0]!, [...tool.slice(1), ...argv], { env, timeoutMs, signal, installHint: 'apt-get install git mercurial' });
      } finally {
        this.#inFlight.delete(query);
      }
      if (last.exitCode === 0) return last;
      if (!isNetworkFailure(last.stderr) || attempt === attempts || signal?.aborted) break;
      await sleep(500 * 2 ** (attempt - 1));
    }
    if (!last) throw new TemporaryError(`${command} ${stripCredentials(url)} was not started: out of time`);
    // Credentials stay out of messages (they may end up in logs and issue reports).
    const shown = stripCredentials(url);
    const output = last!.stderr.trim().split('\n').slice(-5).join('\n  ').split(url).join(shown);
    const message = `could not query ${shown} with ${basename(tool[tool.length - 1]!)} ${args[0]}:\n  ${output}`;
    if (isNetworkFailure(last!.stderr))
      throw new TemporaryError(message, { hint: 'check the network and proxy settings (https_proxy, no_proxy), then run again; anysnake2.toml was not changed' });
    throw new ToolFailedError(message, { hint: 'check the URL in anysnake2.toml; nothing was written' });
  }

  /** All refs of a git remote (one query per URL and run). */
  refs(url: string): Promise<RemoteRef[]> {
    let cached = this.#cache.get(url);
    if (!cached) {
      cached = (async () => {
        this.#git ??= this.#tool('git', 'git');
        const result = await this.#run(await this.#git, ['ls-remote', url], url);
        return result.stdout
          .split('\n')
          .filter(Boolean)
          .map((line) => {
            const [hash, name] = line.split('\t');
            return { hash: hash!, name: name! };
          });
      })();
      this.#cache.set(url, cached);
      cached.catch(() => this.#cache.delete(url));
    }
    return cached;
  }

  /** main, else master, else the only branch. */
  async defaultBranch(url: string): Promise<string> {
    const branches = (await this.refs(url)).filter((r) => r.name.startsWith('refs/heads/')).map((r) => r.name.slice('refs/heads/'.length));
    if (branches.includes('main')) return 'main';
    if (branches.includes('master')) return 'master';
    if (branches.length === 1) return branches[0]!;
    throw new ToolFailedError(
      `${stripCredentials(url)} has no main or master branch, so anysnake2 cannot tell which branch to follow. Found: ${branches.sort().join(', ') || '(no branches)'}`,
      {
        hint: 'name the branch in the url, e.g. github:owner/repo/<branch>',
      },
    );
  }

  async isBranch(url: string, name: string): Promise<boolean> {
    return (await this.refs(url)).some((r) => r.name === `refs/heads/${name}`);
  }

  async newestCommit(url: string, branch: string): Promise<string> {
    const ref = (await this.refs(url)).find((r) => r.name === `refs/heads/${branch}`);
    if (!ref) throw new ToolFailedError(`${stripCredentials(url)} has no branch '${branch}'`, { hint: 'check the branch name in the url' });
    return ref.hash;
  }

  /** The highest tag matching `pattern` (unanchored, like the original), by version order. */
  async newestTag(url: string, pattern: RegExp): Promise<string> {
    const tags = (await this.refs(url)).filter((r) => r.name.startsWith('refs/tags/') && !r.name.endsWith('^{}')).map((r) => r.name.slice('refs/tags/'.length));
    const matching = tags.filter((t) => pattern.test(t));
    if (matching.length === 0)
      throw new ToolFailedError(`${stripCredentials(url)} has no tag matching /${pattern.source}/. Found tags: ${tags.sort().slice(-20).join(', ') || '(none)'}`);
    return matching.sort(compareVersions).pop()!;
  }

  /** Mercurial: the tip's full hash (`hg id --debug`; branches and bookmarks are not followed). */
  async hgTip(url: string): Promise<string> {
    this.#hg ??= this.#tool('hg', 'mercurial');
    const result = await this.#run(await this.#hg, ['id', '--debug', url], url);
    const sha = result.stdout.match(/[0-9a-f]{40}/)?.[0];
    if (!sha) throw new ToolFailedError(`hg id ${stripCredentials(url)} printed no revision: ${result.stdout.trim()}`);
    return sha;
  }
}

/** Version order for tags such as 24.05, 24.11, 2.3.6, v1.10: numeric parts compare as numbers. */
export function compareVersions(a: string, b: string): number {
  const parts = (s: string) => s.split(/[^0-9A-Za-z]+|(?<=\d)(?=[A-Za-z])|(?<=[A-Za-z])(?=\d)/).filter(Boolean);
  const x = parts(a);
  const y = parts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const p = x[i];
    const q = y[i];
    if (p === undefined) return -1;
    if (q === undefined) return 1;
    const pn = /^\d+$/.test(p);
    const qn = /^\d+$/.test(q);
    if (pn && qn) {
      const d = Number(p) - Number(q);
      if (d !== 0) return d;
    } else if (p !== q) {
      if (pn !== qn) return pn ? 1 : -1; // 1.0 > 1.0rc
      return p < q ? -1 : 1;
    }
  }
  return 0;
}
