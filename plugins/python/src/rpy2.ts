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

/** `postInstall` for rpy2 (and rpy2-rinterface, which holds the same module in newer releases). */
export function rpy2Overrides(api: PluginApi, r: FlakeEnvironment, lockedNames: ReadonlySet<string>): Map<string, Map<string, NixExpr>> {
  const { nix } = api;
  const R = nix.id(r.binding);
  const sitePackages = nix.select(nix.id('python_interpreter'), ['sitePackages']);
  const script: (string | NixExpr)[] = [
    'f="$out/',
    sitePackages,
    '/rpy2/rinterface_lib/__init__.py"\n',
    'if [ ! -e "$f" ]; then echo "anysnake2: rpy2 has no rinterface_lib/__init__.py to point at R" >&2; exit 1; fi\n',
    "cat >> \"$f\" <<'ANYSNAKE2_RPY2'\n",
    '\n# Added by anysnake2: the R of [R] and its packages.\nimport os as _anysnake2_os\n',
    '_anysnake2_os.environ.setdefault("R_HOME", "',
    R,
    '/lib/R")\n_anysnake2_os.environ.setdefault("R_LIBS_SITE", "',
    R,
    '/lib/R/library")\nANYSNAKE2_RPY2\n',
    // Bytecode compiled at install time (unchecked-hash, so never revalidated) would hide the lines above.
    'rm -f "$(dirname "$f")"/__pycache__/__init__.*.pyc\n',
  ];
  const postInstall = nix.op('+', nix.select(nix.id('old'), ['postInstall'], nix.str('')), { kind: 'str', parts: script } as NixExpr);
  const out = new Map<string, Map<string, NixExpr>>();
  for (const name of ['rpy2', 'rpy2-rinterface']) if (lockedNames.has(name)) out.set(name, new Map([['postInstall', postInstall]]));
  return out;
}
