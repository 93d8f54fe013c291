/**
 * The [__SHORT__] section: its schema (what `anysnake2 check` and `anysnake2 schema` know), a
 * semantic check, a value pinned on first use (written back into anysnake2.toml), and what it adds
 * to the flake. Everything at run time comes from `api`; the core is imported for types only.
 */
import type { AnysnakePlugin, PluginApi, Static } from '@anysnake2/core/plugin-api';

export const SECTION = '__SHORT__';

/** `additionalProperties: false` makes a misspelt key an error; `errorMessage` replaces the generic one. */
export function sectionSchema(T: PluginApi['schema']) {
  return T.Object(
    {
      packages: T.Array(T.String(), { default: [], description: 'nixpkgs attributes added to the container, e.g. "hello"' }),
      pinned_on: T.Optional(T.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', errorMessage: 'must be a date such as "2026-01-31"', description: 'written on first use' })),
    },
    { additionalProperties: false },
  );
}

export type Section = Static<ReturnType<typeof sectionSchema>>;

// `ctx.config.section(SECTION)` comes typed.
declare module '@anysnake2/core/plugin-api' {
  interface ConfigSections {
    __SHORT__: Section;
  }
}

const ATTRIBUTE = /^[A-Za-z_][A-Za-z0-9_'-]*(\.[A-Za-z_][A-Za-z0-9_'-]*)*$/;

const plugin: AnysnakePlugin = {
  name: SECTION,
  apply(api) {
    const { nix } = api;
    api.sections.register({
      name: SECTION,
      description: 'Adds nixpkgs packages to the container (__NAME__)',
      schema: sectionSchema(api.schema),
      check(value, report) {
        value.packages.forEach((name, i) => {
          if (!ATTRIBUTE.test(name))
            report.error(['packages', i], `${JSON.stringify(name)} is not a nixpkgs attribute name`, 'write a name such as "hello" or "python3Packages.numpy"');
        });
      },
    });
    // Trust on first use: pin what floats, once; anysnake2 writes every pin back in one atomic rewrite.
    api.hooks.resolve.tap(SECTION, (ctx) => {
      if (ctx.config.section(SECTION) && !ctx.config.isWritten([SECTION, 'pinned_on']))
        ctx.pin({ path: [SECTION, 'pinned_on'], value: new Date().toISOString().slice(0, 10), source: 'the day this project first used it' });
    });
    // Describe Nix with api.nix: user data never becomes Nix text.
    api.hooks.emitFlake.tap(SECTION, (flake, ctx) => {
      const section = ctx.config.section(SECTION);
      if (!section) return;
      section.packages.forEach((name, i) => {
        // When nixpkgs lacks it, the build failure names this key instead of Nix's own message.
        flake.expectNixpkgsAttribute({ name: name.split('.')[0]!, tomlPath: [SECTION, 'packages', i] });
        flake.addPackage(nix.select(nix.id('pkgs'), name.split('.')));
      });
    });
  },
};

export default plugin;
