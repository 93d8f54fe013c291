/**
 * @anysnake2/plugin-singularity — oclif hook module answering `anysnake2:plugin`.
 * Kept tiny: the rest is imported only when the plugin is applied.
 */
import type { AnysnakePlugin } from '@anysnake2/core/plugin-api';

const plugin: AnysnakePlugin = {
  name: 'singularity',
  async apply(api) {
    const { register } = await import('./sections.js');
    register(api);
  },
};

export default async function anysnake2Plugin(): Promise<AnysnakePlugin> {
  return plugin;
}
