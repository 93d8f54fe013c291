/** [rust] (behaviour reference §2.9): a rust-overlay stable toolchain. Building it comes later. */
import type { PluginApi } from '@anysnake2/core/plugin-api';

export function register(api: PluginApi): void {
  const T = api.schema;
  const schema = T.Object(
    {
      url: T.String({ description: 'The rust-overlay flake (default github:oxalica/rust-overlay)', default: 'github:oxalica/rust-overlay' }),
      version: T.Optional(
        T.String({
          pattern: '^\\d+\\.\\d+\\.\\d+$',
          errorMessage: 'must be a stable version such as "1.80.0" (nightlies go into nixpkgs.packages)',
          description: 'Stable toolchain version (newest stable on first use)',
        }),
      ),
    },
    { description: 'A Rust toolchain (cargo, rustc, rustfmt, clippy) from rust-overlay' },
  );
  api.sections.register({
    name: 'rust',
    schema,
    description: schema.description!,
    check: (value, report) => api.checks.vcsUrl(report, ['url'], value.url),
  });
  api.hooks.resolve.tap('rust', (ctx) => {
    const rust = ctx.config.section<{ url: string }>('rust');
    if (rust) ctx.pinNewest(['rust', 'url'], rust.url, { checkExportSubst: true });
  });
}
