/**
 * The Python plugin's `resolve` and `emitFlake` taps: `pypi` entries get PyPI's newest version
 * (written back as `{ version = "pypi:X" }`, other keys kept), then the packages are locked with
 * uv as of the ecosystem date and the lock becomes a uv2nix environment in the rootfs.
 */
import type { EmitContext, PluginApi, ResolveContext } from '@anysnake2/core/plugin-api';
import { emitPythonFlake } from './flake-python.js';
import { ensureLock } from './lock.js';
import { renderPyproject, cutoffFor } from './pyproject.js';
import { newestOnPypi } from './pypi-newest.js';
import { parsePackage, type PackageEntry, type PythonPackage } from './requirement.js';

interface PythonSection {
  version: string;
  ecosystem_date?: string;
  uv_lock_env?: Record<string, string>;
  packages: Record<string, PackageEntry>;
}

export function registerPythonEnvironment(api: PluginApi): void {
  api.hooks.resolve.tap('python', (ctx) => resolvePypiNewest(api, ctx));
  api.hooks.emitFlake.tap('python', async (flake, ctx) => {
    const python = ctx.config.section<PythonSection>('python');
    if (!python) return;
    const packages = packagesOf(api, ctx, python);
    const date = python.ecosystem_date;
    if (date === undefined)
      throw new api.errors.UsageError('[python] ecosystem_date is not set yet', { hint: 'run `anysnake2 tofu` (or any build/run command without --offline) to fill it in' });
    const pyproject = renderPyproject({ pythonVersion: python.version, ecosystemDate: date, packages, sources: {} });
    const uv2nix = ctx.config.section<{ url: string; prefer_wheels: boolean }>('uv2nix')!;
    const uv = `${api.vcs.toNixForm(api.vcs.parseVcsUrl(uv2nix.url))}#uv-bin`;
    const { lock } = await ensureLock(api, ctx.project, ctx.log, {
      pyproject,
      env: python.uv_lock_env ?? {},
      uv,
      ecosystemDate: date,
      cutoff: cutoffFor(date),
    });
    const collection = ctx.config.section<{ url: string; enabled: boolean }>('uv2nix_override_collection')!;
    emitPythonFlake(api, flake, {
      pythonVersion: python.version,
      packages,
      pyproject,
      lock,
      uv2nixUrl: uv2nix.url,
      buildSystemsUrl: ctx.config.section<{ url: string }>('pyproject_build_systems')!.url,
      overrideCollectionUrl: collection.enabled ? collection.url : undefined,
      preferWheels: uv2nix.prefer_wheels,
      lockedNames: lockedPackageNames(lock),
    });
  });
}

function resolvePypiNewest(api: PluginApi, ctx: ResolveContext): void {
  const python = ctx.config.section<PythonSection>('python');
  for (const [name, entry] of Object.entries(python?.packages ?? {})) {
    const version = typeof entry === 'string' ? entry : entry.version;
    if (version === undefined || !['pypi', 'pypi:'].includes(version.trim())) continue;
    ctx.lookup(['python', 'packages', name, 'version'], `PyPI JSON API: newest ${name}`, async () => `pypi:${await newestOnPypi(api, name)}`);
  }
}

/** The validated entries as PythonPackages; `pypi` must have been resolved by now. */
function packagesOf(api: PluginApi, ctx: EmitContext, python: PythonSection): PythonPackage[] {
  return Object.entries(python.packages).map(([name, entry]) => {
    const pkg = parsePackage(name, entry); // the section check already rejected what does not parse
    if (pkg.source.kind === 'pypi-newest')
      throw new api.errors.UsageError(`[python.packages] ${name} = "pypi" has no version yet`, { hint: 'run `anysnake2 tofu` to ask PyPI for the newest one' });
    if (pkg.source.kind === 'vcs' || pkg.source.kind === 'url' || pkg.editableFolder !== undefined)
      throw new api.errors.ConfigError([
        {
          path: `python.packages.${name}`,
          message: 'is a source or editable package, which this version of the Python plugin cannot build yet',
          hint: 'use a PyPI version constraint for now',
          location: ctx.config.locate(['python', 'packages', name]),
        },
      ]);
    return pkg;
  });
}

/** The normalised names of the packages in a uv.lock (its `[[package]]` tables). */
export function lockedPackageNames(lock: string): Set<string> {
  return new Set([...lock.matchAll(/^\[\[package\]\]\r?\nname = "([^"]+)"/gm)].map((m) => m[1]!));
}
