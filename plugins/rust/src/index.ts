/**
 * @anysnake2/plugin-rust — oclif hook module answering `anysnake2:plugin`.
 * Kept tiny: the rest is imported only when the plugin is applied.
 */
import type { AnysnakePlugin } from '@anysnake2/core/plugin-api';

const plugin: AnysnakePlugin = {
  name: 'rust',
  async apply(api) {
    const [{ register }, { registerRustEnvironment }] = await Promise.all([import('./sections.js'), import('./rust-env.js')]);
    register(api);
    registerRustEnvironment(api);
  },
};

export default async function anysnake2Plugin(): Promise<AnysnakePlugin> {
  return plugin;
}
