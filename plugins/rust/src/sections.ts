/** [rust] (behaviour reference §2.9): a rust-overlay stable toolchain; the taps are in rust-env.ts. */
import type { PluginApi } from '@anysnake2/core/plugin-api';

export interface RustSection {
  url: string;
  version?: string;
}

export function register(api: PluginApi): void {
  const T = api.schema;
  const schema = T.Object(
    {
      url: T.String({ description: 'The rust-overlay flake (default github:oxalica/rust-overlay)', default: 'github:oxalica/rust-overlay' }),
      version: T.Optional(
        T.String({
          pattern: '^\\d+\\.\\d+\\.\\d+$',
          errorMessage: 'must be a stable version such as "1.80.0" (nightlies go into nixpkgs.packages)',
          description: 'Stable toolchain version (newest stable of the pinned rust-overlay on first use)',
        }),
      ),
    },
    { description: 'A Rust toolchain (cargo, rustc, rustfmt, clippy) from rust-overlay' },
  );
  api.sections.register({
    name: 'rust',
    order: 13000,
    chosenWhenMissing: [['version']],
    schema,
    description: schema.description!,
    check: (value, report) => api.checks.vcsUrl(report, ['url'], value.url),
  });
}
