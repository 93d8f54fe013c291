/**
 * The stable Rust versions a rust-overlay revision offers, read from its own manifests:
 * `manifests/stable/default.nix` has one attribute per version and `latest` naming the newest —
 * what `rust-bin.stable` is built from, and what `packages.<system>.default` (`rust-default-<latest>`,
 * which 2.x asked `nix flake show` for) is named after. Only the source is fetched (`fetchTree`):
 * unlike `nix flake metadata`/`show`, nothing resolves rust-overlay's own inputs or evaluates nixpkgs.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { ConfigView, PluginApi, VcsSource } from '@anysnake2/core/plugin-api';

/** Where `[rust] url` is written, for the error that it is not rust-overlay. */
type UrlLocation = ReturnType<ConfigView['locate']>;

export interface StableVersions {
  readonly latest: string;
  /** Ascending by version number. */
  readonly versions: readonly string[];
}

/** Fixed Nix; the source arrives as JSON in the environment, never as Nix text. */
const READ_MANIFESTS = `let
  source = builtins.fetchTree (builtins.fromJSON (builtins.getEnv "ANYSNAKE2_RUST_OVERLAY"));
  file = "\${source}/manifests/stable/default.nix";
  stable = import file;
in
if builtins.pathExists file then { latest = stable.latest; versions = builtins.attrNames (builtins.removeAttrs stable [ "latest" ]); } else null`;

/** Per source and process: resolve and emitFlake ask about the same revision. */
const cache = new Map<string, Promise<StableVersions>>();

export function stableVersions(api: PluginApi, url: string, location: UrlLocation): Promise<StableVersions> {
  let versions = cache.get(url);
  if (!versions) {
    versions = cachedByRevision(api, url, () => readStableVersions(api, url, location));
    cache.set(url, versions);
  }
  return versions;
}

/**
 * A pinned revision's manifests never change: its answer is kept in the plugin's state folder, so
 * a changed [rust] version spawns no `nix eval` after the first. A `path:` source (its content may
 * change) and a floating url are read every time.
 */
async function cachedByRevision(api: PluginApi, url: string, read: () => Promise<StableVersions>): Promise<StableVersions> {
  const source = api.vcs.parseVcsUrl(url);
  if (source.kind === 'path' || !api.vcs.isPinned(source)) return read();
  // node:crypto on first use: loading it costs ~8 ms on every start of anysnake2.
  const key = process.getBuiltinModule('node:crypto').createHash('sha256').update(url).digest('hex').slice(0, 32);
  const file = join(api.paths.stateDir, 'overlay-versions', `${key}.json`);
  try {
    const kept = JSON.parse(await readFile(file, 'utf8')) as { url?: string; latest?: unknown; versions?: unknown };
    if (kept.url === url && typeof kept.latest === 'string' && Array.isArray(kept.versions) && kept.versions.every((v) => typeof v === 'string'))
      return { latest: kept.latest, versions: kept.versions as string[] };
  } catch {
    // Not kept yet, or unreadable: ask Nix.
  }
  const versions = await read();
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(`${file}.${process.pid}.tmp`, `${JSON.stringify({ url, ...versions })}\n`);
    await rename(`${file}.${process.pid}.tmp`, file);
  } catch {
    // A cache that cannot be written costs one `nix eval` next time, nothing else.
  }
  return versions;
}

async function readStableVersions(api: PluginApi, url: string, location: UrlLocation): Promise<StableVersions> {
  const tree = JSON.stringify(fetchTreeInput(api.vcs.parseVcsUrl(url)));
  const args = ['eval', '--impure', '--json', '--expr', READ_MANIFESTS];
  const result = await api.nixCli.try(args, { env: { ...process.env, ANYSNAKE2_RUST_OVERLAY: tree } });
  if (result.exitCode !== 0) {
    const tail = result.stderr
      .trimEnd()
      .split('\n')
      .slice(-6)
      .map((l) => `  ${l}`)
      .join('\n');
    const message = `could not read the stable versions of rust-overlay ${url}\n${tail}`;
    throw api.isNetworkFailure(result.stderr)
      ? new api.errors.TemporaryError(message, { hint: 'check the network and proxy settings, then run again' })
      : new api.errors.ToolFailedError(message);
  }
  const summary = JSON.parse(result.stdout) as { latest: string; versions: string[] } | null;
  if (summary === null)
    throw new api.errors.ConfigError([
      {
        path: 'rust.url',
        message: `${url} does not look like rust-overlay: it has no manifests/stable/default.nix`,
        hint: 'point [rust] url at github:oxalica/rust-overlay or a fork of it',
        location,
      },
    ]);
  return { latest: summary.latest, versions: summary.versions.filter((v) => /^\d+\.\d+\.\d+$/.test(v)).sort(compareVersions) };
}

/** The attribute form of a source for `builtins.fetchTree` (its string form takes URLs, not `path:`/`github:` refs). */
function fetchTreeInput(source: VcsSource): Record<string, string> {
  switch (source.kind) {
    case 'github':
      return { type: 'github', owner: source.owner, repo: source.repo, ...(source.rev ? { rev: source.rev } : source.branch ? { ref: source.branch } : {}) };
    case 'git':
      return { type: 'git', url: source.url, ...(source.ref ? { ref: source.ref } : {}), ...(source.rev ? { rev: source.rev } : {}) };
    case 'hg':
      return { type: 'hg', url: source.url, ...(source.rev ? { rev: source.rev } : {}) };
    case 'path':
      return { type: 'path', path: source.path };
  }
}

export function compareVersions(a: string, b: string): number {
  const x = a.split('.').map(Number);
  const y = b.split('.').map(Number);
  for (let i = 0; i < Math.max(x.length, y.length); i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/** Up to `count` versions around where `wanted` would sort in: what the user probably meant. */
export function nearbyVersions(versions: readonly string[], wanted: string, count = 5): string[] {
  const at = versions.filter((v) => compareVersions(v, wanted) < 0).length;
  const start = Math.max(0, Math.min(at - Math.floor(count / 2), versions.length - count));
  return versions.slice(start, start + count);
}
