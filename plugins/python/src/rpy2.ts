/**
 * rpy2 with [R] (behaviour reference §15.1): when the R plugin registered an environment, rpy2 joins
 * the Python packages (not written back), and its `rinterface_lib/__init__.py` learns where R and
 * its libraries are (R_HOME, R_LIBS_SITE, unless the user set them), so rpy2 sees exactly the R
 * packages of [R] — in the container and in `develop` alike. The R plugin is found through the
 * data model (its `R` environment), never imported.
 */
import type { FlakeEnvironment, NixExpr, PluginApi } from '@anysnake2/core/plugin-api';

export function rEnvironment(environments: readonly FlakeEnvironment[]): FlakeEnvironment | undefined {
  return environments.find((e) => e.kind === 'R');
}

/**
 * `postInstall` for every rpy2 package uv locked. rpy2 ≥ 3.6 is a meta-package over
 * rpy2-rinterface (which holds `rpy2/rinterface_lib/__init__.py`) and rpy2-robjects: each package
 * that has the file gets the lines, the others are left alone. R_HOME is the R nixR's wrapper
 * wraps (the wrapper's lib/R holds only library/, no libR.so or etc/); R_LIBS_SITE is the
 * wrapper's library. R is also a build input, for builds from sdist (rpy2's setup asks `R CMD config`).
 */
export function rpy2Overrides(api: PluginApi, r: FlakeEnvironment, lockedNames: ReadonlySet<string>): Map<string, Map<string, NixExpr>> {
  const { nix } = api;
  const wrapper = nix.id(r.binding);
  const realR = nix.apply(nix.select(nix.id('builtins'), ['elemAt']), nix.select(wrapper, ['buildInputs']), nix.int(0));
  const sitePackages = nix.select(nix.id('python_interpreter'), ['sitePackages']);
  const script: (string | NixExpr)[] = [
    'f="$out/',
    sitePackages,
    '/rpy2/rinterface_lib/__init__.py"\n',
    'if [ -e "$f" ]; then\n',
    'cat >> "$f" <<\'ANYSNAKE2_RPY2\'\n',
    '\n# Added by anysnake2: the R of [R] and its packages.\nimport os as _anysnake2_os\n',
    '_anysnake2_os.environ.setdefault("R_HOME", "',
    realR,
    '/lib/R")\n_anysnake2_os.environ.setdefault("R_LIBS_SITE", "',
    wrapper,
    '/lib/R/library")\nANYSNAKE2_RPY2\n',
    // Bytecode compiled at install time (unchecked-hash, so never revalidated) would hide the lines above.
    'rm -f "$(dirname "$f")"/__pycache__/__init__.*.pyc\n',
    'else\n',
    'echo "anysnake2: $name has no rpy2/rinterface_lib/__init__.py (rpy2 >= 3.6 keeps it in rpy2-rinterface); not patched"\n',
    'fi\n',
  ];
  const postInstall = nix.op('+', nix.select(nix.id('old'), ['postInstall'], nix.str('')), { kind: 'str', parts: script } as NixExpr);
  const nativeBuildInputs = nix.op('++', nix.select(nix.id('old'), ['nativeBuildInputs'], nix.list([])), nix.list([realR]));
  const out = new Map<string, Map<string, NixExpr>>();
  for (const name of RPY2_PACKAGES)
    if (lockedNames.has(name))
      out.set(
        name,
        new Map([
          ['postInstall', postInstall],
          ['nativeBuildInputs', nativeBuildInputs],
        ]),
      );
  return out;
}

/** rpy2 up to 3.5 is one package; from 3.6 on a meta-package over the other two. */
const RPY2_PACKAGES = ['rpy2', 'rpy2-rinterface', 'rpy2-robjects'];
