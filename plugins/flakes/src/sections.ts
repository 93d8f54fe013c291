/**
 * [flakes.<name>] (behaviour reference §2.10): packages from any flake. Each becomes a flake input
 * (with `dir` and `follows`), its packages join the rootfs, and its url is pinned on first use.
 */
import type { FlakeBuilder, NixExpr, PluginApi } from '@anysnake2/core/plugin-api';

interface FlakeEntry {
  url: string;
  dir?: string;
  follows?: string[];
  packages?: string[];
}

const INPUT_NAME = /^[A-Za-z_][A-Za-z0-9_'-]*$/;

export function register(api: PluginApi): void {
  const T = api.schema;
  const flake = T.Object(
    {
      url: T.String({ description: 'Flake source: github:, git+…, hg+https: or an absolute path' }),
      dir: T.Optional(T.String({ description: 'Sub-directory of the repository that holds flake.nix' })),
      follows: T.Optional(T.Array(T.String(), { description: 'Inputs of that flake that follow ours, e.g. ["nixpkgs"]' })),
      packages: T.Optional(T.Array(T.String(), { description: 'Attributes to add (unset: its default package; []: none)' })),
    },
    { description: 'A flake whose packages join the container' },
  );
  const schema = T.Record(T.String(), flake, { description: 'Packages from arbitrary flakes' });
  api.sections.register({
    name: 'flakes',
    order: 14000,
    updateEachEntry: true,
    schema,
    description: schema.description!,
    normalize(value, report) {
      if (typeof value !== 'object' || value === null) return value;
      return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([name, entry]) => [name, migrateRev(api, name, entry, report)]));
    },
    check(value, report) {
      for (const [name, entry] of Object.entries(value)) {
        if (!INPUT_NAME.test(name)) report.error([name], 'is not usable as a flake input name', 'use letters, digits, _ and -');
        else if (RESERVED_INPUTS.has(name)) report.error([name], `is the name of an input anysnake2 itself uses`, 'rename the [flakes.<name>] table');
        api.checks.vcsUrl(report, [name, 'url'], entry.url);
      }
    },
  });

  api.hooks.resolve.tap('flakes', (ctx) => {
    const flakes = ctx.config.section<Record<string, FlakeEntry>>('flakes') ?? {};
    for (const [name, entry] of Object.entries(flakes)) ctx.pinNewest(['flakes', name, 'url'], entry.url, { checkExportSubst: true });
  });
  api.hooks.emitFlake.tap('flakes', (flake, ctx) => {
    const flakes = ctx.config.section<Record<string, FlakeEntry>>('flakes') ?? {};
    for (const name of Object.keys(flakes).sort()) emitFlakeInput(api, flake, name, flakes[name]!);
  });
}

/** Inputs the generated flake has anyway; a [flakes.X] of that name would collide. */
const RESERVED_INPUTS = new Set(['self', 'nixpkgs', 'flake-utils', 'rust-overlay', 'nixR', 'uv2nix', 'pyproject-build-systems', 'uv2nix_override_collection']);

function emitFlakeInput(api: PluginApi, flake: FlakeBuilder, name: string, entry: FlakeEntry): void {
  const source = api.vcs.parseVcsUrl(entry.url);
  const url = entry.dir ? api.vcs.withDir(source, entry.dir) : api.vcs.toNixForm(source);
  flake.addInput(name, { url, follows: Object.fromEntries((entry.follows ?? []).map((input) => [input, input])) });
  const { nix } = api;
  const system = nix.id('system');
  const packages: NixExpr[] =
    entry.packages === undefined
      ? // Old flakes export defaultPackage.<system>, new ones packages.<system>.default.
        [nix.select(nix.id(name), ['defaultPackage', system], nix.select(nix.id(name), ['packages', system, 'default']))]
      : entry.packages.map((attribute) => nix.select(nix.id(name), attribute.split('.')));
  for (const pkg of packages) flake.addPackage(pkg);
}

/** 1.x wrote the revision as `rev`; 2.x reads it from the url. Move it there when the url has none. */
function migrateRev(api: PluginApi, name: string, entry: unknown, report: { notice(p: readonly (string | number)[], m: string): void }) {
  if (typeof entry !== 'object' || entry === null || !('rev' in entry)) return entry;
  const { rev, ...rest } = entry as Record<string, unknown>;
  if (typeof rev !== 'string' || typeof rest.url !== 'string') return entry;
  try {
    const source = api.vcs.parseVcsUrl(rest.url);
    if (source.kind !== 'path' && !source.rev) {
      report.notice([name, 'rev'], 'is the 1.x spelling of the revision in url (still accepted)');
      return { ...rest, url: api.vcs.toTomlForm({ ...source, rev }, { keepCredentials: true }) };
    }
  } catch {
    return rest; // the url's own error is reported by the check
  }
  report.notice([name, 'rev'], 'is the 1.x spelling of the revision; url already pins one, which wins: delete rev');
  return rest;
}
