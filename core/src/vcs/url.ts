/**
 * The URL grammar of every `url` key (behaviour reference §2.1): github:, git+…, hg+https:, and
 * absolute paths for local flakes; parsed into a VcsSource and rendered for the TOML file (with or
 * without credentials) and for Nix.
 */

export type VcsSource =
  | { kind: 'github'; owner: string; repo: string; branch?: string; rev?: string }
  /** url: everything after `git+` up to the query, credentials as given. */
  | { kind: 'git'; url: string; ref?: string; rev?: string }
  /** url: everything after `hg+` up to the query, credentials as given. */
  | { kind: 'hg'; url: string; rev?: string }
  /** A local flake, written as a plain absolute path (never `path:`). */
  | { kind: 'path'; path: string };

export class VcsUrlError extends Error {
  constructor(
    readonly input: string,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'VcsUrlError';
  }
}

const SHA1 = /^[0-9a-fA-F]{40}$/;
/** A scheme and a non-empty remainder; scp-like `git@host:x` is no URL, and Nix rejects it too. */
const INNER_URL = /^[a-z][a-z0-9+.-]*:\/\/./i;

function unparsable(input: string, hint?: string): VcsUrlError {
  return new VcsUrlError(input, `unknown vcs / unparsable url: ${input}`, hint);
}

export function parseVcsUrl(input: string): VcsSource {
  // A # would select a flake output in Nix, so no form may carry one.
  if (input === '' || /[\s#]/.test(input)) throw unparsable(input);
  if (input.startsWith('path:')) throw new VcsUrlError(input, 'flake urls must not start with path:. These handle ?rev= wrong. Use just an absolute path instead');
  if (input.startsWith('github:')) return parseGithub(input);
  if (input.startsWith('git+')) {
    const { base, query } = splitQuery(input, 'git+'.length, ['ref', 'rev']);
    if (!INNER_URL.test(base)) throw unparsable(input, 'write git URLs like git+https://host/repo or git+ssh://git@host/repo');
    return { kind: 'git', url: base, ...query };
  }
  if (input.startsWith('hg+https://')) {
    const { base, query } = splitQuery(input, 'hg+'.length, ['rev']);
    if (!INNER_URL.test(base)) throw unparsable(input);
    return { kind: 'hg', url: base, ...query };
  }
  if (input.startsWith('/')) {
    // Nix would read a query as part of the flake reference, not of the path.
    if (input.includes('?')) throw unparsable(input, 'a local flake is a plain absolute path, without a ?query');
    return { kind: 'path', path: input };
  }
  const looksLikePath = /^[^:]*\//.test(input) || /^(\.\.?|~)$/.test(input);
  throw unparsable(input, looksLikePath ? 'local flakes need an absolute path' : undefined);
}

function parseGithub(input: string): VcsSource {
  const rest = input.slice('github:'.length);
  if (rest.startsWith('/')) throw new VcsUrlError(input, `github: urls must start with the repo, not /repo. Error in ${input}`);
  if (rest.includes('dir='))
    throw new VcsUrlError(
      input,
      'github input contains dir=. That has been moved from the url into a separate value in anysnake2 2.0',
      'use the separate `dir` key next to the url',
    );
  if (rest.includes('?')) throw unparsable(input);
  const parts = rest.split('/');
  // One trailing slash changes nothing: `O/R/` is `O/R` and `O/R/X/` is `O/R/X` (so a 40-hex X is
  // always a rev, and every parse result has a TOML form that reads back the same).
  if (parts.length > 2 && parts[parts.length - 1] === '') parts.pop();
  const [owner, repo, third, fourth] = parts;
  if (!owner) throw unparsable(input);
  if (!repo) throw new VcsUrlError(input, 'No repo in github:owner/repo url definition');
  if (parts.length > 4) throw unparsable(input);
  const source: VcsSource = { kind: 'github', owner, repo };
  if (fourth !== undefined) {
    if (!fourth) throw unparsable(input);
    if (third) source.branch = third;
    source.rev = fourth;
  } else if (third) {
    if (SHA1.test(third)) source.rev = third;
    else source.branch = third;
  }
  return source;
}

/** Split `input` (from `start` on) at the first `?` into the URL and its allowed `key=value` pairs. */
function splitQuery<K extends string>(input: string, start: number, allowed: readonly K[]): { base: string; query: Partial<Record<K, string>> } {
  const text = input.slice(start);
  const at = text.indexOf('?');
  if (at === -1) return { base: text, query: {} };
  const query: Partial<Record<K, string>> = {};
  for (const pair of text.slice(at + 1).split('&')) {
    const eq = pair.indexOf('=');
    if (eq === -1) throw new VcsUrlError(input, `no = in query string: ${pair}`);
    const key = pair.slice(0, eq);
    if (!isAllowed(key, allowed)) throw new VcsUrlError(input, `Unknown query string key: ${key}`, `allowed: ${allowed.join(', ')}`);
    // Last-one-wins would silently drop a pin the user wrote, and Nix rejects an empty ref or rev.
    if (query[key] !== undefined) throw new VcsUrlError(input, `Duplicate query string key: ${key}`);
    const value = pair.slice(eq + 1);
    if (!value) throw new VcsUrlError(input, `empty value in query string: ${pair}`);
    query[key] = value;
  }
  return { base: text.slice(0, at), query };
}

function isAllowed<K extends string>(key: string, allowed: readonly K[]): key is K {
  return (allowed as readonly string[]).includes(key);
}

/** Remove user and password by WHATWG URL re-serialisation; a string that is no URL passes unchanged. */
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

function query(pairs: [string, string | undefined][]): string {
  const present = pairs.filter((pair): pair is [string, string] => pair[1] !== undefined);
  return present.length ? `?${present.map(([key, value]) => `${key}=${value}`).join('&')}` : '';
}

/** How the URL is written into anysnake2.toml and shown to users; credentials only on request. */
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
      return `git+${creds(src.url)}${query([
        ['ref', src.ref],
        ['rev', src.rev],
      ])}`;
    case 'hg':
      return `hg+${creds(src.url)}${query([['rev', src.rev]])}`;
    case 'path':
      return src.path;
  }
}

/** How the URL is given to Nix (flake inputs, `nix shell`): GitHub drops the branch once pinned, credentials stay. */
export function toNixForm(src: VcsSource): string {
  switch (src.kind) {
    case 'github':
      return `github:${src.owner}/${src.repo}${src.rev ? `/${src.rev}` : src.branch ? `/${src.branch}` : ''}`;
    case 'git':
    case 'hg':
      return toTomlForm(src, { keepCredentials: true });
    case 'path':
      // Nix needs an explicit path: reference for a local flake input.
      return `path:${src.path}`;
  }
}

/** Where `git ls-remote` / `hg id` look (credentials kept; a local path is used as is). */
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

/** Whether tofu has nothing left to resolve; a local path is used as it is. */
export function isPinned(src: VcsSource): boolean {
  return src.kind === 'path' || src.rev !== undefined;
}

/** The Nix form of a flake in a sub-directory: `dir=` joins an existing query instead of opening a second `?`. */
export function withDir(src: VcsSource, dir: string): string {
  const encoded = encodeURIComponent(dir).replace(/%2F/gi, '/');
  const base = toNixForm(src);
  return `${base}${base.includes('?') ? '&' : '?'}dir=${encoded}`;
}
