/**
 * The Python plugin's `resolve` and `emitFlake` taps: `pypi` entries get PyPI's newest version
 * (written back as `{ version = "pypi:X" }`, other keys kept), then the packages are locked with
 * uv as of the ecosystem date and the lock becomes a uv2nix environment in the rootfs.
 */
import type { EmitContext, PluginApi, ResolveContext } from '@anysnake2/core/plugin-api';
import { explainMissingBuildSystem } from './build-failures.js';
import { ensureEditableCheckouts, hostPythonPath, registerEditableRun } from './editable.js';
import { emitPythonFlake } from './flake-python.js';
import { rEnvironment } from './rpy2.js';
import { ensureLock } from './lock.js';
import { renderPyproject, cutoffFor, uvSource, type UvSource } from './pyproject.js';
import { flakeLock, localSources, prepareLocalSources } from './local-sources.js';
import { newestOnPypi } from './pypi-newest.js';
import { nixpkgsRelease } from './nixpkgs-release.js';
import { parsePackage, type PackageEntry, type PythonPackage } from './requirement.js';
import { lockedPackageNames, locksOldSetuptools } from './uv-lock-file.js';

interface PythonSection {
  version: string;
  ecosystem_date?: string;
  uv_lock_env?: Record<string, string>;
  packages: Record<string, PackageEntry>;
}

export function registerPythonEnvironment(api: PluginApi): void {
  api.explainBuildFailure(explainMissingBuildSystem);
  api.hooks.resolve.tap('python', (ctx) => resolvePypiNewest(api, ctx));
  registerEditableRun(api);
  api.hooks.emitFlake.tap('python', async (flake, ctx) => {
    const python = ctx.config.section<PythonSection>('python');
    if (!python) return;
    const packages = packagesOf(api, ctx, python);
    // 2.x added pip for editable packages; users of editables expect it in the container.
    if (packages.some((p) => p.editableFolder !== undefined) && !packages.some((p) => p.normalized === 'pip')) packages.push(parsePackage('pip', ''));
    // With [R], rpy2 joins (as in 2.x); flake-python.ts points it at the R environment.
    if (rEnvironment(flake.environments) && !packages.some((p) => p.normalized === 'rpy2')) packages.push(parsePackage('rpy2', ''));
    const date = python.ecosystem_date;
    if (date === undefined)
      throw new api.errors.UsageError('[python] ecosystem_date is not set yet', { hint: 'run `anysnake2 tofu` (or any build/run command without --offline) to fill it in' });
    const local = localSources(api, packages);
    if (local.problems.length > 0)
      throw new api.errors.ConfigError(
        local.problems.map((p) => ({ path: `python.packages.${p.name}.${p.key}`, message: p.message, hint: p.hint, location: ctx.config.locate(['python', 'packages', p.name]) })),
      );
    const sources: Record<string, UvSource> = Object.fromEntries(local.sources.map((s) => [s.name, { path: s.path }]));
    for (const pkg of packages) if ((pkg.source.kind === 'vcs' || pkg.source.kind === 'url') && !sources[pkg.name]) sources[pkg.name] = uvSource(api, pkg.source);
    const pyproject = renderPyproject({ pythonVersion: python.version, ecosystemDate: date, packages, sources });
    const uv2nix = ctx.config.section<{ url: string; prefer_wheels: boolean }>('uv2nix')!;
    const uv = `${api.vcs.toNixForm(api.vcs.parseVcsUrl(uv2nix.url))}#uv-bin`;
    const { lock } = await ensureLock(api, ctx.project, ctx.log, {
      pyproject,
      env: python.uv_lock_env ?? {},
      uv,
      ecosystemDate: date,
      cutoff: cutoffFor(date),
      extraInputs: JSON.stringify(local.sources),
      prepare: (workDir) => prepareLocalSources(api, ctx.config, workDir, local.sources),
      needs: local.sources.filter((s) => s.vcs === 'hg').map((s) => s.path),
      scratch: ['patched'],
      offline: ctx.offline,
      packagesLocation: ctx.config.locate(['python', 'packages']),
    });
    const editables = await ensureEditableCheckouts(api, ctx, packages, lock);
    if (editables.length > 0) flake.setDevShellEnv('PYTHONPATH', hostPythonPath(editables).join(':'));
    // Mercurial checkouts stay under ./uv, where the lock points uv2nix to them: Nix must see them.
    for (const source of local.sources) if (source.vcs === 'hg') flake.addTree(`uv/${source.path}`);
    const collection = ctx.config.section<{ url: string; enabled: boolean }>('uv2nix_override_collection')!;
    emitPythonFlake(api, flake, {
      pythonVersion: python.version,
      packages,
      pyproject,
      lock: flakeLock(lock, local.sources),
      uv2nixUrl: uv2nix.url,
      buildSystemsUrl: ctx.config.section<{ url: string }>('pyproject_build_systems')!.url,
      overrideCollectionUrl: collection.enabled ? collection.url : undefined,
      preferWheels: uv2nix.prefer_wheels,
      lockedNames: lockedPackageNames(lock),
      oldSetuptools: locksOldSetuptools(lock),
      nixpkgsRelease: projectNixpkgsRelease(api, ctx),
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
function packagesOf(api: PluginApi, _ctx: EmitContext, python: PythonSection): PythonPackage[] {
  return Object.entries(python.packages).map(([name, entry]) => {
    const pkg = parsePackage(name, entry); // the section check already rejected what does not parse
    if (pkg.source.kind === 'pypi-newest')
      throw new api.errors.UsageError(`[python.packages] ${name} = "pypi" has no version yet`, { hint: 'run `anysnake2 tofu` to ask PyPI for the newest one' });
    return pkg;
  });
}

/** The release of the project's nixpkgs (`[nixpkgs] url`), when its url names one. */
function projectNixpkgsRelease(api: PluginApi, ctx: EmitContext): string | undefined {
  const url = ctx.config.section<{ url?: string }>('nixpkgs')?.url;
  if (!url) return undefined;
  try {
    return nixpkgsRelease(api.vcs.parseVcsUrl(url));
  } catch {
    return undefined;
  }
}
