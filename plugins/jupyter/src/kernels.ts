/**
 * Jupyter kernelspecs in the rootfs. The python3 kernel comes with ipykernel inside the Python
 * environment; the rootfs forest merges every package's share/jupyter/kernels directory, so other
 * kernels never shadow it (the original needed a re-link for that). This plugin adds what does not
 * install itself there: IRkernel's kernelspec from the R environment, evcxr's from the Rust one,
 * and any kernel a plugin registers as an environment of kind `jupyter-kernel`:
 *
 *   flake.registerEnvironment({ kind: 'jupyter-kernel', binding: '<let name>', facts: { name: 'mykernel', directory: 'share/mykernel' } })
 *
 * (`directory`: the kernelspec directory inside that derivation, with its kernel.json.)
 */
import type { FlakeBuilder, NixExpr, PluginApi } from '@anysnake2/core/plugin-api';

/** Python packages that mean "this environment has Jupyter" (2.x: exactly these keys). */
const JUPYTER_PACKAGES = ['jupyter', 'notebook', 'jupyterlab'];
const KERNEL_NAME = /^[a-z0-9][a-z0-9._-]*$/;

export const KERNELS_BINDING = 'anysnake2_jupyter_kernels';

interface Kernel {
  name: string;
  /** Shell lines that put the kernelspec into $out/share/jupyter/kernels/<name>. */
  install: NixExpr;
}

export function emitKernels(api: PluginApi, flake: FlakeBuilder): void {
  const python = flake.environmentsOf('python')[0];
  const requested = stringList(python?.facts.requested);
  if (!requested.some((name) => JUPYTER_PACKAGES.includes(name))) return;
  const kernels = [...rKernel(api, flake), ...rustKernel(api, flake), ...pluginKernels(api, flake)];
  if (kernels.length === 0) return;
  const { nix } = api;
  const script: (string | NixExpr)[] = ['mkdir -p $out/share/jupyter/kernels\n'];
  for (const kernel of kernels.sort((a, b) => (a.name < b.name ? -1 : 1))) script.push(kernel.install, '\n');
  flake.let(KERNELS_BINDING, nix.apply(nix.select(nix.id('pkgs'), ['runCommand']), nix.str('anysnake2-jupyter-kernels'), nix.attrs({}), shellLine(script)));
  flake.addPackage(nix.id(KERNELS_BINDING));
}

/** `cp -r <binding>/<directory> $out/share/jupyter/kernels/<name>`, the store path interpolated. */
function copyKernel(api: PluginApi, binding: string, directory: string, name: string): NixExpr {
  return shellLine(['cp -r ', api.nix.id(binding), `/${api.shellQuote([directory])} $out/share/jupyter/kernels/${name}`]);
}

/** A Nix string of text and interpolated expressions (store paths). */
const shellLine = (parts: (string | NixExpr)[]): NixExpr => ({ kind: 'str', parts }) as NixExpr;

/** Facts come from other packages (maybe other versions): typed by EnvironmentKinds, checked here. */
const stringList = (value: unknown): readonly string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);

function rKernel(api: PluginApi, flake: FlakeBuilder): Kernel[] {
  const r = flake.environmentsOf('R')[0];
  const packages = stringList(r?.facts.packages);
  if (!r || !packages.includes('IRkernel')) return [];
  return [{ name: 'ir', install: copyKernel(api, r.binding, 'lib/R/library/IRkernel/kernelspec', 'ir') }];
}

function rustKernel(api: PluginApi, flake: FlakeBuilder): Kernel[] {
  const rust = flake.environmentsOf('rust')[0];
  if (rust?.facts.evcxr !== true) return [];
  const { nix } = api;
  // evcxr writes its kernelspec (argv: its own store path) into $JUPYTER_PATH/kernels/rust, the whole value as one path.
  const evcxr = nix.select(nix.id('pkgs'), ['evcxr']);
  return [{ name: 'rust', install: shellLine(['JUPYTER_PATH=$out/share/jupyter ', evcxr, '/bin/evcxr_jupyter --install']) }];
}

function pluginKernels(api: PluginApi, flake: FlakeBuilder): Kernel[] {
  return flake.environmentsOf('jupyter-kernel').map((e) => {
    const { name, directory } = e.facts as { name?: unknown; directory?: unknown };
    if (typeof name !== 'string' || !KERNEL_NAME.test(name) || typeof directory !== 'string')
      throw new api.errors.AnysnakeError(`a jupyter-kernel environment (binding ${e.binding}) needs facts { name: lowercase kernel name, directory: path of its kernelspec }`);
    return { name, install: copyKernel(api, e.binding, directory, name) };
  });
}
