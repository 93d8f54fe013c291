/**
 * [R] in the flake (behaviour reference §5.4, §15.1): the nixR input, `R_tracked =
 * nixR.R_by_date { … }`, an overlay that makes pkgs.R / pkgs.rPackages the tracked ones, and R
 * plus the R it wraps in the rootfs, with every package's lib/R/library linked into /R_libs and
 * libR.so's directory into /lib64. Other plugins find it through the registered environment.
 */
import type { FlakeBuilder, NixExpr, PluginApi } from '@anysnake2/core/plugin-api';

export const R_BINDING = 'R_tracked';

export interface RSection {
  date?: string;
  packages: string[];
  url: string;
  override_attrs?: Record<string, string>;
  dependency_overrides?: Record<string, string>;
  additional_packages?: Record<string, string>;
  use_inside_nix_pkgs: boolean;
}

/** `packages` plus the names of `additional_packages` ("name_version" keys), sorted, once each. */
export function rPackageNames(r: RSection): string[] {
  const names = new Set(r.packages);
  for (const key of Object.keys(r.additional_packages ?? {})) names.add(key.slice(0, key.indexOf('_')));
  return [...names].sort();
}

export function emitRFlake(api: PluginApi, flake: FlakeBuilder, r: RSection & { date: string }): void {
  const { nix } = api;
  const codeMap = (map: Record<string, string> | undefined, key: string): NixExpr =>
    nix.attrs(Object.fromEntries(Object.entries(map ?? {}).map(([name, code]) => [name, nix.code(code, `R.${key}.${name}`)])));
  const names = rPackageNames(r);

  // nixR has no nixpkgs input of its own to follow (it imports one nixpkgs per release).
  flake.addInput('nixR', { url: api.vcs.toNixForm(api.vcs.parseVcsUrl(r.url)) });
  flake.let(
    R_BINDING,
    nix.apply(
      nix.select(nix.id('nixR'), ['R_by_date']),
      nix.attrs({
        date: nix.str(r.date),
        r_pkg_names: nix.list(names.map(nix.str)),
        packageOverrideAttrs: codeMap(r.override_attrs, 'override_attrs'),
        r_dependency_overrides: codeMap(r.dependency_overrides, 'dependency_overrides'),
        additional_packages: codeMap(r.additional_packages, 'additional_packages'),
        // The container's nixpkgs: the same glibc as python, which rpy2 needs.
        nix_pkgs_pkgs: r.use_inside_nix_pkgs ? nix.id('pkgs') : nix.null(),
      }),
    ),
  );
  const tracked = nix.id(R_BINDING);
  flake.addOverlay(
    nix.lambda(
      'final',
      nix.lambda(
        'prev',
        nix.attrs({
          // nixR's wrapper has no meta; packages that check R's platforms keep working.
          R: nix.op('//', tracked, nix.attrs({ meta: nix.attrs({ platforms: nix.select(nix.id('prev'), ['R', 'meta', 'platforms']) }) })),
          rPackages: nix.select(tracked, ['rPackages']),
        }),
      ),
    ),
    { owner: 'r' },
  );
  // The wrapper (bin/R setting R_LIBS_SITE, lib/R/library) and the R it wraps (lib/R/lib/libR.so).
  // Later rootfs entries win and entries sort by their text: `pkgs.R` sorts after
  // `builtins.elemAt …`, so the wrapper's bin/R is the one in /bin.
  const R = nix.select(nix.id('pkgs'), ['R']);
  flake.addPackage(nix.apply(nix.select(nix.id('builtins'), ['elemAt']), nix.select(R, ['buildInputs']), nix.int(0)));
  flake.addPackage(R);
  // R_LIBS_SITE in the container names /R_libs: it exists even before the first package links into it.
  flake.linkIntoRootfs({ from: 'lib/R/library', to: 'R_libs', always: true });
  flake.linkIntoRootfs({ from: 'lib/R/lib', to: 'lib64', when: 'lib/R/lib/libR.so' });
  // `anysnake2 develop` sees the same R packages as the container (2.x exported this too).
  flake.setDevShellEnv('R_LIBS_SITE', nix.interp`${tracked}/lib/R/library`);
  flake.registerEnvironment({ kind: 'R', binding: R_BINDING, facts: { date: r.date, packages: names } });
}
