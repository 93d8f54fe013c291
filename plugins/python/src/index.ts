/**
 * @anysnake2/plugin-python — oclif hook module answering `anysnake2:plugin`.
 * Kept tiny: the schema module is imported only when the plugin is applied.
 */
import type { AnysnakePlugin } from '@anysnake2/core/plugin-api';

const plugin: AnysnakePlugin = {
  name: 'python',
  async apply(api) {
    const [{ registerPythonSections }, { registerPythonEnvironment }] = await Promise.all([import('./sections.js'), import('./python-env.js')]);
    registerPythonSections(api);
    registerPythonEnvironment(api);
  },
};

export default async function anysnake2Plugin(): Promise<AnysnakePlugin> {
  return plugin;
}
