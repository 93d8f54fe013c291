/**
 * Jupyter has no config section: it reacts to jupyter/notebook/jupyterlab among the Python
 * packages, IRkernel among the R packages and evcxr among nixpkgs packages. Installing the
 * kernelspecs comes later; today the plugin registers nothing.
 */
import type { PluginApi } from '@anysnake2/core/plugin-api';

export function register(_api: PluginApi): void {}
