/**
 * __NAME__: the hook module anysnake2 loads for its `anysnake2:plugin` event (package.json
 * "oclif.hooks"). Keep it tiny: the plugin itself is imported only when anysnake2 applies plugins.
 */
import type { AnysnakePlugin } from '@anysnake2/core/plugin-api';

export default async function anysnake2Plugin(): Promise<AnysnakePlugin> {
  return (await import('./plugin.js')).default;
}
