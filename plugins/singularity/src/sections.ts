/**
 * The singularity/apptainer runtime reads [container]; it has no section of its own. Running
 * containers comes later; today the plugin registers nothing.
 */
import type { PluginApi } from '@anysnake2/core/plugin-api';

export function register(_api: PluginApi): void {}
