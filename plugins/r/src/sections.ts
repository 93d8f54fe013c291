/** [R] (behaviour reference §2.8): nixR's R_by_date. The schema and its checks; the taps are in r-env.ts. */
import type { PluginApi } from '@anysnake2/core/plugin-api';
import { registerREnvironment } from './r-env.js';

export function register(api: PluginApi): void {
  const T = api.schema;
  const NixMap = (description: string) => T.Record(T.String(), T.String(), { description });
  const schema = T.Object(
    {
      date: T.Optional(
        T.String({
          pattern: '^\\d{4}-\\d{2}-\\d{2}$',
          errorMessage: 'must be a date written as "YYYY-MM-DD"',
          description: 'nixR ecosystem date: R version, Bioconductor release and package versions (newest on first use)',
        }),
      ),
      packages: T.Array(T.String(), { description: 'CRAN and Bioconductor package names' }),
      url: T.String({ description: 'The nixR flake (default github:TyberiusPrime/nixR)', default: 'github:TyberiusPrime/nixR' }),
      override_attrs: T.Optional(NixMap('package = Nix function for overrideAttrs, e.g. old: { … }')),
      dependency_overrides: T.Optional(NixMap('package = Nix function over its dependency list')),
      additional_packages: T.Optional(NixMap('"name_version" = Nix attribute set with src etc.')),
      use_inside_nix_pkgs: T.Boolean({ description: "Build R against the container's nixpkgs (needed for rpy2)", default: true }),
    },
    { description: 'R and Bioconductor packages as of a date, via nixR' },
  );
  api.sections.register({
    name: 'R',
    order: 12000,
    chosenWhenMissing: [['date']],
    schema,
    description: schema.description!,
    check(value, report) {
      api.checks.vcsUrl(report, ['url'], value.url);
      for (const [key, code] of Object.entries(value.override_attrs ?? {})) api.checks.nixCode(report, ['override_attrs', key], code);
      for (const [key, code] of Object.entries(value.dependency_overrides ?? {})) api.checks.nixCode(report, ['dependency_overrides', key], code);
      for (const [key, code] of Object.entries(value.additional_packages ?? {})) {
        // nixR splits the key at "_" into name and version (the original panicked on a key without one).
        if (!/^[^_]+_[^_]+$/.test(key)) report.error(['additional_packages', key], 'must be named "<package>_<version>"', `e.g. "${key.split('_')[0] || 'kedd'}_1.0.3"`);
        api.checks.nixCode(report, ['additional_packages', key], code);
      }
    },
  });
  registerREnvironment(api);
}
