/**
 * The URL grammar of every `url` key (behaviour reference §2.1): github:, git+…, hg+https:, and
 * absolute paths for local flakes; parsed into a VcsSource and rendered three ways (TOML form,
 * TOML form with credentials, Nix form).
 */

export type VcsSource =
  | { kind: 'github'; owner: string; repo: string; branch?: string; rev?: string }
  | { kind: 'git'; url: string; ref?: string; rev?: string }
  | { kind: 'hg'; url: string; rev?: string }
  | { kind: 'path'; path: string };

export class VcsUrlError extends Error {
  constructor(
    readonly input: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

const SHA1 = /^[0-9a-fA-F]{40}$/;

export function parseVcsUrl(input: string): VcsSource {
  const unparsable = (hint?: string) => new VcsUrlError(input, `unknown vcs / unparsable url: ${input}`, hint);
  if (input === '' || /\s/.test(input)) throw unparsable();
  if (input.startsWith('path:'))
    throw new VcsUrlError(input, 'flake urls must not start with path:. These handle ?rev= wrong. Use just an absolute path instead');
  if (input.startsWith('github:')) return parseGithub(input);
  if (input.startsWith('git+')) {
    const { base, query } = splitQuery(input.slice('git+'.length), input, ['ref', 'rev']);
    if (!/^[a-z][a-z0-9+.-]*:\/\/./i.test(base)) throw unparsable();
    return { kind: 'git', url: base, ...query };
  }
  if (input.startsWith('hg+https://')) {
    const { base, query } = splitQuery(input.slice('hg+'.length), input, ['rev']);
    if (base.length <= 'https://'.length) throw unparsable();
    return { kind: 'hg', url: base, ...query };
  }
  if (input.startsWith('/')) {
    if (input.includes('?')) throw unparsable('a local flake is an absolute path without a query');
    return { kind: 'path', path: input };
  }
  if (input.startsWith('./') || input.startsWith('../')) throw unparsable('local flakes need an absolute path');
  throw unparsable();
}

function parseGithub(input: string): VcsSource {
  const rest = input.slice('github:'.length);
  if (rest.startsWith('/')) throw new VcsUrlError(input, `github: urls must start with the repo, not /repo. Error in ${input}`);
  if (rest.includes('dir='))
    throw new VcsUrlError(
      input,
      'github input contains dir=. That has been moved from the url into a separate value in anysnake2 2.0',
      'use the separate `dir` key of [flakes.<name>]',
    );
  if (rest.includes('?')) throw new VcsUrlError(input, `unknown vcs / unparsable url: ${input}`);
  const parts = rest.split('/');
  const [owner, repo, third, fourth] = parts;
  if (!owner) throw new VcsUrlError(input, `unknown vcs / unparsable url: ${input}`);
  if (!repo) throw new VcsUrlError(input, 'No repo in github:owner/repo url definition');
  if (parts.length > 4) throw new VcsUrlError(input, `unknown vcs / unparsable url: ${input}`);
  const source: VcsSource = { kind: 'github', owner, repo };
  if (parts.length === 3 && third) {
    if (SHA1.test(third)) source.rev = third;
    else source.branch = third;
  } else if (parts.length === 4) {
    if (third) source.branch = third;
    if (fourth) source.rev = fourth;
  }
  return source;
}

function splitQuery<K extends string>(text: string, input: string, allowed: readonly K[]): { base: string; query: Partial<Record<K, string>> } {
  const at = text.indexOf('?');
  if (at === -1) return { base: text, query: {} };
  const query: Partial<Record<K, string>> = {};
  for (const pair of text.slice(at + 1).split('&')) {
    const eq = pair.indexOf('=');
    if (eq === -1) throw new VcsUrlError(input, `no = in query string: ${pair}`);
    const key = pair.slice(0, eq);
    if (!(allowed as readonly string[]).includes(key))
      throw new VcsUrlError(input, `Unknown query string key: ${key}`, `allowed: ${allowed.join(', ')}`);
    query[key as K] = pair.slice(eq + 1);
  }
  return { base: text.slice(0, at), query };
}

/** Remove user:password from a URL (WHATWG re-serialisation); unparsable URLs pass unchanged. */
export function stripCredentials(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  parsed.username = '';
  parsed.password = '';
  return parsed.toString();
}

function gitQuery(ref?: string, rev?: string): string {
  const pairs = [ref !== undefined ? `ref=${ref}` : '', rev !== undefined ? `rev=${rev}` : ''].filter(Boolean);
  return pairs.length ? `?${pairs.join('&')}` : '';
}

/** How the URL is written into anysnake2.toml and shown to users. */
export function toTomlForm(src: VcsSource, opts: { keepCredentials?: boolean } = {}): string {
  const creds = (url: string) => (opts.keepCredentials ? url : stripCredentials(url));
  switch (src.kind) {
    case 'github': {
      let out = `github:${src.owner}/${src.repo}`;
      if (src.branch) out += `/${src.branch}`;
      if (src.rev) out += src.branch ? `/${src.rev}` : `//${src.rev}`;
      return out;
    }
    case 'git':
      return `git+${creds(src.url)}${gitQuery(src.ref, src.rev)}`;
    case 'hg':
      return `hg+${creds(src.url)}${src.rev !== undefined ? `?rev=${src.rev}` : ''}`;
    case 'path':
      return src.path;
  }
}

/** How the URL is given to Nix (flake inputs, `nix shell`): GitHub drops the branch once pinned. */
export function toNixForm(src: VcsSource): string {
  switch (src.kind) {
    case 'github':
      return `github:${src.owner}/${src.repo}${src.rev ? `/${src.rev}` : src.branch ? `/${src.branch}` : ''}`;
    case 'git':
      return `git+${src.url}${gitQuery(src.ref, src.rev)}`;
    case 'hg':
      return `hg+${src.url}${src.rev !== undefined ? `?rev=${src.rev}` : ''}`;
    case 'path':
      return `path:${src.path}`;
  }
}

/** Where `git ls-remote` / `hg id` look. */
export function httpsUrl(src: VcsSource): string {
  switch (src.kind) {
    case 'github':
      return `https://github.com/${src.owner}/${src.repo}.git`;
    case 'git':
    case 'hg':
      return src.url;
    case 'path':
      return src.path;
  }
}

export function isPinned(src: VcsSource): boolean {
  return src.kind === 'path' || src.rev !== undefined;
}

/** The Nix form with a sub-directory: one `?`, whatever the URL already has. */
export function withDir(src: VcsSource, dir: string): string {
  const encoded = encodeURIComponent(dir).replace(/%2F/g, '/');
  const base = toNixForm(src);
  return `${base}${base.includes('?') ? '&' : '?'}dir=${encoded}`;
}
