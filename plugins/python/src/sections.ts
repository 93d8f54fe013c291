/**
 * The config sections the Python plugin owns (behaviour reference §2.5–2.7), their migrations of
 * older spellings, and the trust-on-first-use pins of the Python tool chain.
 */
import type { IssueReporter, PluginApi } from '@anysnake2/core/plugin-api';
import { isVcsUrl, parsePackage, RequirementError, type PackageEntry } from './requirement.js';

/** The sections that pin the Python tool chain, with their upstream defaults (§2.7). */
const TOOL_PINS = {
  uv2nix: 'github:pyproject-nix/uv2nix',
  uv2nix_override_collection: 'github:TyberiusPrime/uv2nix_hammer_overrides',
  pyproject_build_systems: 'github:pyproject-nix/build-system-pkgs',
  ancient_poetry: 'git+https://codeberg.org/TyberiusPrime/ancient-poetry.git',
};

export function registerPythonSections(api: PluginApi): void {
  const T = api.schema;
  const StringMap = (description: string) => T.Record(T.String(), T.String(), { description });

  const packageTable = T.Object(
    {
      version: T.Optional(T.String({ description: 'Version constraint: "", "1.5.1", ">=2", "pypi", "pypi:X"' })),
      url: T.Optional(T.String({ description: 'VCS source (github:, git+…, hg+https:) or a plain sdist/wheel URL' })),
      editable: T.Optional(T.Union([T.Boolean(), T.String()], { description: 'true (folder "code") or a folder: a live checkout' })),
      override_attrs: T.Optional(StringMap('Nix code per attribute, applied with overrideAttrs')),
      build_systems: T.Optional(T.Array(T.String(), { description: 'PEP 517 build backends needed at build time' })),
      patch_before_lock: T.Optional(T.String({ description: 'bash run in a writable copy of a VCS source before locking' })),
    },
    {
      additionalProperties: false,
      description: 'A Python package with options',
      keyHints: {
        preferWheel: 'did you mean override_attrs.preferWheel?',
        buildInputs: 'did you mean override_attrs.buildInputs?',
        nativeBuildInputs: 'did you mean build_systems (for Python build backends) or override_attrs.nativeBuildInputs?',
        pre_poetry_patch: 'renamed to patch_before_lock in anysnake2 2.2',
        method: 'the 1.x fetcher syntax is gone: use url = "github:owner/repo/branch/rev" instead',
      },
    },
  );
  const packageEntry = T.Union([T.String(), packageTable], { description: 'A version constraint string, or a table' });

  const python = T.Object(
    {
      version: T.String({
        pattern: '^\\d+\\.\\d+$',
        errorMessage: 'must be major.minor, e.g. "3.12" (the patch version comes from nixpkgs)',
        description: 'Python major.minor; selects pythonXY from nixpkgs',
      }),
      ecosystem_date: T.Optional(
        T.String({
          pattern: '^\\d{4}-\\d{2}-\\d{2}$',
          errorMessage: 'must be a date written as "YYYY-MM-DD"',
          description: 'Resolve as a resolver would have at the end of this day (UTC); filled with today on first use',
        }),
      ),
      uv_lock_env: T.Optional(StringMap('Extra environment variables for locking')),
      packages: T.Record(T.String(), packageEntry, { description: 'name = constraint or table', default: {} }),
    },
    { description: 'Python packages as of an ecosystem date' },
  );

  api.sections.register({
    name: 'python',
    order: 10000,
    // Emitting runs `uv lock` and makes editable checkouts (build.ts takes the project lock for it).
    emitHasSideEffects: true,
    chosenWhenMissing: [['ecosystem_date']],
    schema: python,
    description: 'Python packages as of an ecosystem date',
    normalize(value, report) {
      if (typeof value !== 'object' || value === null) return value;
      const section = { ...(value as Record<string, unknown>) };
      if ('preferWheels' in section) {
        report.warn(['preferWheels'], 'has no effect and is ignored: use prefer_wheels in [uv2nix]');
        delete section.preferWheels;
      }
      const packages = section.packages;
      if (typeof packages === 'object' && packages !== null && !Array.isArray(packages)) {
        section.packages = Object.fromEntries(Object.entries(packages).map(([name, entry]) => [name, migratePoetry2nix(name, entry, report)]));
      }
      return section;
    },
    check(value, report) {
      for (const [name, entry] of Object.entries(value.packages)) checkPackage(api, report, name, entry);
    },
  });

  // The tool pins sit near the end of the file, together (as in 2.x).
  const pin = (name: string, description: string, defaultUrl: string, extra = {}, order = 98000) =>
    api.sections.register({
      name,
      order,
      description,
      schema: T.Object({ url: T.String({ description: `${description} (default ${defaultUrl})`, default: defaultUrl }), ...extra }, { description }),
      check: (value: { url: string }, report: IssueReporter) => api.checks.vcsUrl(report, ['url'], value.url),
    });
  pin('uv2nix', 'pyproject-nix/uv2nix: turns uv.lock into Nix', TOOL_PINS.uv2nix, {
    prefer_wheels: T.Boolean({ description: 'Prefer wheels over sdists (uv2nix sourcePreference)', default: true }),
  });
  pin('uv2nix_override_collection', 'Community overrides for building Python packages', TOOL_PINS.uv2nix_override_collection, {
    enabled: T.Boolean({ description: 'Apply the collection to the Python package set (on by default, as in 2.x)', default: true }),
  });
  pin('pyproject_build_systems', 'pyproject-nix/build-system-pkgs: PEP 517 build backends', TOOL_PINS.pyproject_build_systems);
  pin('ancient_poetry', 'ancient-poetry, the date-bounded locker of anysnake2 2.x', TOOL_PINS.ancient_poetry, {}, 97000);
  api.sections.rename({ from: 'poetry2nix.prefer_wheels', to: 'uv2nix.prefer_wheels' });

  // Trust on first use (§2.7, §2.16): 2.x pinned the tool chain into every project. Here a project
  // without [python] pins and contacts nothing Python-related (a nixpkgs-only project needs no
  // GitHub or codeberg on its first run); a tool section the user wrote is still pinned. The
  // ancient_poetry locker is not used since uv2nix, so only a written [ancient_poetry] is pinned.
  api.hooks.resolve.tap('python', (ctx) => {
    const python = ctx.config.section<{ ecosystem_date?: string; packages: Record<string, unknown> }>('python');
    for (const [name, url] of Object.entries(TOOL_PINS)) {
      const written = ctx.config.has(name);
      if (!written && (python === undefined || name === 'ancient_poetry')) continue;
      const section = ctx.config.section<{ url: string }>(name);
      ctx.pinNewest([name, 'url'], section?.url ?? url, { checkExportSubst: url.startsWith('github:') });
    }
    if (!python) return;
    if (python.ecosystem_date === undefined) ctx.pin({ path: ['python', 'ecosystem_date'], value: new Date().toISOString().slice(0, 10), source: 'today (UTC)' });
    for (const [name, entry] of Object.entries(python.packages)) {
      const url = typeof entry === 'string' ? entry : (entry as { url?: string }).url;
      if (url !== undefined && isVcsUrl(url)) ctx.pinNewest(['python', 'packages', name, 'url'], url, { checkExportSubst: true });
    }
  });
  api.sections.retire({ name: 'poetry2nix', order: 98000, reason: 'Python environments are built with uv2nix since anysnake2 2.2' });
}

/** The poetry2nix era's `poetry2nix.nativeBuildInputs = ['setuptools']` meant "needs this build backend". */
function migratePoetry2nix(name: string, entry: unknown, report: { notice(p: readonly (string | number)[], m: string): void }): unknown {
  if (typeof entry !== 'object' || entry === null || !('poetry2nix' in entry)) return entry;
  const { poetry2nix, ...rest } = entry as Record<string, unknown>;
  const old = poetry2nix as Record<string, unknown>;
  if (typeof old !== 'object' || old === null || Object.keys(old).some((k) => k !== 'nativeBuildInputs')) return entry;
  const inputs = old.nativeBuildInputs;
  if (!Array.isArray(inputs) || !inputs.every((i) => typeof i === 'string')) return entry;
  report.notice(['packages', name, 'poetry2nix', 'nativeBuildInputs'], `is the poetry2nix-era spelling of build_systems (still accepted)`);
  const existing = Array.isArray(rest.build_systems) ? (rest.build_systems as string[]) : [];
  return { ...rest, build_systems: [...new Set([...existing, ...(inputs as string[])])] };
}

function checkPackage(api: PluginApi, report: IssueReporter, name: string, entry: PackageEntry): void {
  const at = (...p: (string | number)[]) => ['packages', name, ...p];
  const table = typeof entry === 'string' ? undefined : entry;
  if (table?.url !== undefined && table.version !== undefined)
    report.error(at(), 'has both url and version, but only one is allowed', 'keep url for a source checkout, or version for PyPI');
  try {
    const pkg = parsePackage(name, entry);
    if (pkg.source.kind === 'vcs') api.checks.vcsUrl(report, table ? at('url') : at(), pkg.source.url);
  } catch (error) {
    if (!(error instanceof RequirementError)) throw error;
    report.error(at(...error.key), error.message, error.hint);
  }
  for (const [attr, code] of Object.entries(table?.override_attrs ?? {})) api.checks.nixCode(report, at('override_attrs', attr), code);
}
