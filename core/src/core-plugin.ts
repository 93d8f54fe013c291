/**
 * The core answers `anysnake2:plugin` like any other plugin: its sections and its nixpkgs
 * emitFlake tap arrive through the same API third-party plugins use.
 */
import type { AnysnakePlugin } from './plugin-api.js';

const corePlugin: AnysnakePlugin = {
  name: 'core',
  async apply(api) {
    const [{ registerCoreSections }, { emitNixpkgs }, { resolveCore }] = await Promise.all([
      import('./sections/core-sections.js'),
      import('./sections/nixpkgs-flake.js'),
      import('./sections/core-resolve.js'),
    ]);
    registerCoreSections(api.sections);
    api.hooks.resolve.tap({ name: 'core', stage: api.Stage.foundation }, resolveCore);
    api.hooks.emitFlake.tap({ name: 'core', stage: api.Stage.foundation }, emitNixpkgs);
  },
};

export default async function anysnake2Plugin(): Promise<AnysnakePlugin> {
  return corePlugin;
}
