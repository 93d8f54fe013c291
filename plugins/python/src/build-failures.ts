/**
 * The build failure every uv2nix user meets: an sdist whose PEP 517 backend is not in the build
 * environment (uv.lock does not record build dependencies). Python says "No module named
 * 'setuptools'"; we say which `build_systems` entry fixes it, for which package.
 */
import type { BuildFailure } from '@anysnake2/core/plugin-api';

/** Import names of build backends whose distribution name differs by more than `_` → `-`. */
const DISTRIBUTION_OF: Readonly<Record<string, string>> = {
  mesonpy: 'meson-python',
  'poetry.core': 'poetry-core',
  'pdm.backend': 'pdm-backend',
  Cython: 'cython',
  skbuild: 'scikit-build',
};

const MISSING_MODULE = /(?:ModuleNotFoundError|ImportError): No module named '([\w.]+)'|Cannot import '([\w.]+)'|\b(setuptools|wheel|hatchling|flit_core) not found/;

export function explainMissingBuildSystem(failure: BuildFailure): string | undefined {
  for (const line of failure.log) {
    const match = MISSING_MODULE.exec(line);
    if (!match) continue;
    const module = match[1] ?? match[2] ?? match[3]!;
    const top = DISTRIBUTION_OF[module] ?? DISTRIBUTION_OF[module.split('.')[0]!] ?? module.split('.')[0]!.replace(/_/g, '-');
    const pkg = failure.derivation.replace(/-\d[^-]*$/, '');
    return `${failure.derivation} needs the build system ${top}: add build_systems = ["${top}"] to [python.packages.${pkg}] (add the entry if ${pkg} is only a dependency)`;
  }
  return undefined;
}
