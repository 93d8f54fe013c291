/**
 * Jupyter has no config section: it reacts to jupyter/notebook/jupyterlab among the Python
 * packages, IRkernel among the R packages and evcxr among nixpkgs packages (behaviour reference
 * §15.3), all read from the environments other plugins register — never by importing them.
 */
import type { PluginApi } from '@anysnake2/core/plugin-api';
import { emitKernels } from './kernels.js';

export function register(api: PluginApi): void {
  // Consumer stage: after python, R, rust and third-party plugins have registered their environments.
  api.hooks.emitFlake.tap({ name: 'jupyter', stage: api.Stage.consumer }, (flake) => emitKernels(api, flake));
}
