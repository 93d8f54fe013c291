/**
 * The Rust plugin's taps (behaviour reference §5.4, §15.2): a missing `version` is pinned to the
 * newest stable of the pinned rust-overlay and written back (2.x did not write it); the flake gets
 * the rust-overlay input following our nixpkgs, its overlay, and a minimal toolchain with rustfmt and
 * clippy (and rust-src for evcxr) plus `stdenv.cc`, which cargo links with.
 */
import type { EmitContext, FlakeBuilder, PluginApi, ResolveContext } from '@anysnake2/core/plugin-api';
import { explainRustOverlayMismatch } from './build-failures.js';
import { compareVersions, nearbyVersions, stableVersions, type StableVersions } from './overlay-versions.js';
import type { RustSection } from './sections.js';

/** The let binding of the toolchain, and the environment Jupyter reads (evcxr kernel). */
const BINDING = 'rust_toolchain';

export function registerRustEnvironment(api: PluginApi): void {
  api.explainBuildFailure(explainRustOverlayMismatch);
  api.hooks.resolve.tap('rust', (ctx) => resolveRust(api, ctx));
  api.hooks.emitFlake.tap('rust', async (flake, ctx) => {
    const rust = ctx.config.section<RustSection>('rust');
    if (rust) await emitRust(api, flake, ctx, rust);
  });
}

function resolveRust(api: PluginApi, ctx: ResolveContext): void {
  const rust = ctx.config.section<RustSection>('rust');
  if (!rust) return;
  ctx.pinNewest(['rust', 'url'], rust.url, { checkExportSubst: true });
  if (rust.version !== undefined) return;
  // An unpinned url is read at its newest commit here, the commit the url pin records too.
  ctx.lookup(
    ['rust', 'version'],
    `${rust.url}: manifests/stable (newest stable Rust)`,
    async () => (await stableVersions(api, rust.url, ctx.config.locate(['rust', 'url']))).latest,
  );
}

async function emitRust(api: PluginApi, flake: FlakeBuilder, ctx: EmitContext, rust: RustSection): Promise<void> {
  const { nix } = api;
  const version = rust.version;
  if (version === undefined)
    throw new api.errors.UsageError('[rust] version is not set yet', { hint: 'run `anysnake2 tofu` (or any build/run command without --offline) to fill it in' });
  await requireVersion(api, ctx, rust, version);

  const packages = ctx.config.section<{ packages?: string[] }>('nixpkgs')?.packages ?? [];
  // evcxr (the Rust Jupyter kernel) needs the standard library's source.
  const evcxr = packages.includes('evcxr');
  const extensions = ['rustfmt', 'clippy', ...(evcxr ? ['rust-src'] : [])];

  flake.addInput('rust-overlay', { url: api.vcs.toNixForm(api.vcs.parseVcsUrl(rust.url)), follows: { nixpkgs: 'nixpkgs' } });
  // `import rust-overlay` (its default.nix) works for every revision; `overlays.default` came later.
  flake.addOverlay(nix.apply(nix.id('import'), nix.id('rust-overlay')), { owner: 'rust' });
  flake.let(BINDING, nix.apply(nix.select(nix.id('pkgs'), ['rust-bin', 'stable', version, 'minimal', 'override']), nix.attrs({ extensions: nix.list(extensions.map(nix.str)) })));
  flake.addPackage(nix.id(BINDING));
  flake.addPackage(nix.select(nix.id('stdenv'), ['cc']));
  flake.registerEnvironment({ kind: 'rust', binding: BINDING, facts: { version, evcxr } });
}

/** A version the pinned overlay lacks fails here (exit 65), not as Nix's "attribute missing". */
async function requireVersion(api: PluginApi, ctx: EmitContext, rust: RustSection, version: string): Promise<void> {
  if (ctx.offline && api.vcs.parseVcsUrl(rust.url).kind !== 'path') return; // Nix has the last word when it builds
  let known: StableVersions;
  try {
    known = await stableVersions(api, rust.url, ctx.config.locate(['rust', 'url']));
  } catch (error) {
    // Only a check: offline, Nix reports a missing version itself when it builds.
    if (!(error instanceof api.errors.TemporaryError)) throw error;
    ctx.log.info(`[rust] version not checked: ${error.message.split('\n')[0]}`);
    return;
  }
  const { latest, versions } = known;
  if (versions.includes(version)) return;
  const newer = compareVersions(version, latest) > 0;
  const update = api.vcs.parseVcsUrl(rust.url).kind === 'path' ? `update ${rust.url}` : 'pin a newer one (drop the revision from [rust] url, run `anysnake2 tofu`)';
  throw new api.errors.ConfigError([
    {
      path: 'rust.version',
      message: `rust-overlay ${rust.url} has no stable Rust ${version}; its newest is ${latest}, nearby: ${nearbyVersions(versions, version).join(', ')}`,
      hint: newer
        ? `Rust ${version} is newer than this rust-overlay revision: ${update}, or set version = "${latest}"`
        : `set version to one of the versions it has, e.g. "${latest}"`,
      location: ctx.config.locate(['rust', 'version']),
    },
  ]);
}
