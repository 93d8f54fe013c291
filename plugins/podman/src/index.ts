/**
 * @anysnake2/plugin-podman — the podman container runtime: oclif hook module answering
 * `anysnake2:plugin`. Kept tiny: the runtime is imported only when the plugin is applied.
 */
import type { AnysnakePlugin } from '@anysnake2/core/plugin-api';

const plugin: AnysnakePlugin = {
  name: 'podman',
  async apply(api) {
    const { register } = await import('./runtime.js');
    register(api);
  },
};

export default async function anysnake2Plugin(): Promise<AnysnakePlugin> {
  return plugin;
}
