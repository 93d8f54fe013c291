/**
 * The Python environment in the generated flake (behaviour reference §14.3): uv2nix reads the lock,
 * pyproject-nix builds it for `pkgs.pythonXY`, build-system-pkgs provides PEP 517 backends, the
 * community override collection and the per-package escape hatches are overlays on the package set,
 * and the resulting virtualenv joins the rootfs (the venv special case of the rootfs forest).
 */
import type { FlakeBuilder, NixExpr, PluginApi } from '@anysnake2/core/plugin-api';
import type { PythonPackage } from './requirement.js';
import { uv2nixFollowsNixpkgs } from './nixpkgs-release.js';
import { rEnvironment, rpy2Overrides } from './rpy2.js';
import { missingPython } from './nixpkgs-pythons.js';

export interface PythonFlakeInput {
  readonly pythonVersion: string;
  readonly packages: readonly PythonPackage[];
  readonly pyproject: string;
  readonly lock: string;
  readonly uv2nixUrl: string;
  readonly buildSystemsUrl: string;
  /** Unset when `[uv2nix_override_collection] enabled = false`. */
  readonly overrideCollectionUrl?: string;
  readonly preferWheels: boolean;
  /** Names uv locked (normalised), so overrides only name packages that exist in the set. */
  readonly lockedNames: ReadonlySet<string>;
  /** The lock has setuptools < 70.1, which cannot build wheels without the `wheel` package. */
  readonly oldSetuptools: boolean;
  /** The release `[nixpkgs] url` names (`24.05`), undefined when it names none. */
  readonly nixpkgsRelease?: string;
}

/** The let-binding of the virtualenv derivation, registered as the `python` environment. */
export const PYTHON_BINDING = 'python_package';

export function emitPythonFlake(api: PluginApi, flake: FlakeBuilder, input: PythonFlakeInput): void {
  const { nix } = api;
  const nixForm = (url: string) => api.vcs.toNixForm(api.vcs.parseVcsUrl(url));
  // Before 24.05 nixpkgs' lib lacks what uv2nix calls (lib.isPath in 22.05): uv2nix keeps its own nixpkgs then.
  const follows = uv2nixFollowsNixpkgs(input.nixpkgsRelease);
  flake.addInput('uv2nix', { url: nixForm(input.uv2nixUrl), follows: follows ? { nixpkgs: 'nixpkgs' } : {} });
  flake.addInput('pyproject-build-systems', {
    url: nixForm(input.buildSystemsUrl),
    follows: { nixpkgs: follows ? 'nixpkgs' : 'uv2nix/nixpkgs', uv2nix: 'uv2nix', 'pyproject-nix': 'uv2nix/pyproject-nix' },
  });
  flake.addOverlay(uvFromUv2nix(api), { owner: 'python' });
  if (input.overrideCollectionUrl) flake.addInput('uv2nix_override_collection', { url: nixForm(input.overrideCollectionUrl) });
  flake.addFile('uv/pyproject.toml', input.pyproject);
  flake.addFile('uv/uv.lock', input.lock);

  const id = nix.id;
  const pkgs = id('pkgs');
  const [major, minor] = input.pythonVersion.split('.');
  flake.let('pyproject-nix', nix.select(id('uv2nix'), ['inputs', 'pyproject-nix']));
  flake.let('python_workspace', nix.apply(nix.select(id('uv2nix'), ['lib', 'workspace', 'loadWorkspace']), nix.attrs({ workspaceRoot: nix.path('./uv') })));
  flake.let(
    'python_overlay',
    nix.apply(nix.select(id('python_workspace'), ['mkPyprojectOverlay']), nix.attrs({ sourcePreference: nix.str(input.preferWheels ? 'wheel' : 'sdist') })),
  );
  flake.let('python_interpreter', nix.select(pkgs, [`python${major}${minor}`]));
  flake.expectNixpkgsAttribute({
    name: `python${major}${minor}`,
    tomlPath: ['python', 'version'],
    missing: (nixpkgs) => missingPython(input.pythonVersion, `python${major}${minor}`, nixpkgs),
  });
  const anysnakeOverrides = buildSystemOverrides(api, input);
  flake.let('python_anysnake_overrides', overridesOverlay(api, anysnakeOverrides));
  // rpy2's own layer on top: its `old` already has the build_systems the user gave rpy2, so both stay.
  const r = rEnvironment(flake.environments);
  if (r) flake.let('python_rpy2_overrides', overridesOverlay(api, rpy2Overrides(api, r, input.lockedNames)));
  flake.let('python_user_overrides', overridesOverlay(api, userOverrides(api, input)));

  const overlays: NixExpr[] = [nix.select(id('pyproject-build-systems'), ['overlays', 'default']), id('python_overlay')];
  if (input.oldSetuptools) overlays.push(setuptoolsNeedsWheel(api));
  if (input.overrideCollectionUrl) overlays.push(nix.apply(nix.select(id('uv2nix_override_collection'), ['overrides']), pkgs));
  overlays.push(id('python_anysnake_overrides'), ...(r ? [id('python_rpy2_overrides')] : []), id('python_user_overrides'));
  const baseSet = nix.apply(nix.select(pkgs, ['callPackage']), nix.select(id('pyproject-nix'), ['build', 'packages']), nix.attrs({ python: id('python_interpreter') }));
  flake.let('python_set', nix.apply(nix.select(baseSet, ['overrideScope']), nix.apply(nix.select(pkgs, ['lib', 'composeManyExtensions']), nix.list(overlays))));
  flake.let(PYTHON_BINDING, nix.apply(nix.select(id('python_set'), ['mkVirtualEnv']), nix.str('anysnake2-venv'), nix.select(id('python_workspace'), ['deps', 'default'])));
  flake.addPackage(id(PYTHON_BINDING));
  // The uv2nix virtualenv: python finds /pyvenv.cfg and /lib/pythonX.Y/site-packages.
  flake.linkIntoRootfs({ from: 'pyvenv.cfg', to: 'pyvenv.cfg' });
  flake.linkIntoRootfs({ from: 'lib', to: 'lib', when: 'pyvenv.cfg' });
  flake.registerEnvironment({
    kind: 'python',
    binding: PYTHON_BINDING,
    facts: {
      version: input.pythonVersion,
      interpreter: 'python_interpreter',
      /** The [python.packages] keys (normalised); `packages` is everything uv locked. */
      requested: input.packages.map((p) => p.normalized).sort(),
      packages: [...input.lockedNames].sort(),
    },
  });
}

/**
 * pyproject.nix's build hooks run `uv build`/`uv pip install` from `buildPackages.uv`: nixpkgs before
 * 24.05 has no uv and 24.05's predates `uv build`. The uv the pinned uv2nix ships (the one that
 * wrote the lock) is always new enough: `final: prev: { uv = (builtins.getAttr system uv2nix.packages).uv-bin; }`.
 */
function uvFromUv2nix(api: PluginApi): NixExpr {
  const { nix } = api;
  const perSystem = nix.apply(nix.select(nix.id('builtins'), ['getAttr']), nix.id('system'), nix.select(nix.id('uv2nix'), ['packages']));
  return nix.lambda('final', nix.lambda('prev', nix.attrs({ uv: nix.select(perSystem, ['uv-bin']) })));
}

/**
 * setuptools before 70.1 needs `wheel` to build wheels but does not declare it; when the lock pins
 * such a setuptools (old ecosystem dates), every `setuptools` build system also gets `wheel`.
 */
function setuptoolsNeedsWheel(api: PluginApi): NixExpr {
  const { nix } = api;
  const spec = nix.id('spec');
  const withWheel = nix.if(nix.apply(nix.select(nix.id('builtins'), ['hasAttr']), nix.str('setuptools'), spec), nix.op('//', spec, nix.attrs({ wheel: nix.list([]) })), spec);
  return nix.lambda('final', nix.lambda('prev', nix.attrs({ resolveBuildSystem: nix.lambda('spec', nix.apply(nix.select(nix.id('prev'), ['resolveBuildSystem']), withWheel)) })));
}

type Overrides = Map<string, Map<string, NixExpr>>;

/** `build_systems = ["setuptools"]` → `nativeBuildInputs = old.nativeBuildInputs ++ final.resolveBuildSystem { setuptools = []; }`. */
function buildSystemOverrides(api: PluginApi, input: PythonFlakeInput): Overrides {
  const { nix } = api;
  const out: Overrides = new Map();
  for (const pkg of input.packages) {
    if (pkg.buildSystems.length === 0 || !input.lockedNames.has(pkg.normalized)) continue;
    const systems = nix.attrs(Object.fromEntries(pkg.buildSystems.map((name) => [name, nix.list([])])));
    const resolved = nix.apply(nix.select(nix.id('final'), ['resolveBuildSystem']), systems);
    const old = nix.select(nix.id('old'), ['nativeBuildInputs'], nix.list([]));
    out.set(pkg.normalized, new Map([['nativeBuildInputs', nix.op('++', old, resolved)]]));
  }
  return out;
}

/** `override_attrs.<attr> = "<nix>"`: raw Nix through the one raw door; `old`, `final`, `prev`, `pkgs` are in scope. */
function userOverrides(api: PluginApi, input: PythonFlakeInput): Overrides {
  const out: Overrides = new Map();
  for (const pkg of input.packages) {
    const attrs = Object.entries(pkg.overrideAttrs);
    if (attrs.length === 0) continue;
    out.set(pkg.normalized, new Map(attrs.map(([attr, code]) => [attr, api.nix.code(code, `python.packages.${pkg.name}.override_attrs.${attr}`)])));
  }
  return out;
}

/** `final: prev: { name = prev.name.overrideAttrs (old: { … }); }`, sorted by package and attribute. */
function overridesOverlay(api: PluginApi, overrides: Overrides): NixExpr {
  const { nix } = api;
  const entries = Object.fromEntries(
    [...overrides].map(([name, attrs]) => [name, nix.apply(nix.select(nix.id('prev'), [name, 'overrideAttrs']), nix.lambda('old', nix.attrs(Object.fromEntries(attrs))))]),
  );
  return nix.lambda('final', nix.lambda('prev', nix.attrs(entries)));
}
