/**
 * Config keys that name attributes of nixpkgs (FlakeBuilder.expectNixpkgsAttribute), checked
 * against the names the pinned nixpkgs has: `nixpkgs.packages[1]: no package "helo" in nixpkgs
 * 24.05; did you mean hello?` instead of Nix's `undefined variable 'helo'` in the generated flake.
 *
 * Before a build, only a cached list is used (no Nix); when the build then fails to evaluate, the
 * list is asked of Nix once (nix-cli/nixpkgs-names.ts) and the failure blamed on the keys.
 */
import type { FlakeBuilder } from '../nix/flake.js';
import { ConfigError, type ConfigIssue, type SourceLocation } from '../errors.js';
import { closest } from '../config/suggest.js';
import { formatPath } from '../config/toml-document.js';
import { cachedNames, evaluateNames, namesCacheFile, type NixpkgsNames } from '../nix-cli/nixpkgs-names.js';

/** Names Nix itself puts in scope (a `with pkgs;` cannot shadow them). */
const NIX_GLOBALS = new Set([
  'abort',
  'baseNameOf',
  'break',
  'builtins',
  'derivation',
  'derivationStrict',
  'dirOf',
  'false',
  'fetchGit',
  'fetchMercurial',
  'fetchTarball',
  'fetchTree',
  'fromTOML',
  'import',
  'isNull',
  'map',
  'null',
  'placeholder',
  'removeAttrs',
  'scopedImport',
  'throw',
  'toString',
  'true',
]);

type Locate = (path: readonly (string | number)[]) => SourceLocation | undefined;

/** The config keys naming attributes this nixpkgs does not have. */
export function unknownAttributeIssues(builder: FlakeBuilder, nixpkgs: NixpkgsNames, locate: Locate): ConfigIssue[] {
  const names = new Set(nixpkgs.names);
  const bound = builder.boundNames;
  const issues: ConfigIssue[] = [];
  for (const attribute of builder.nixpkgsAttributes) {
    if (names.has(attribute.name)) continue;
    if (attribute.withPkgs && (bound.has(attribute.name) || NIX_GLOBALS.has(attribute.name))) continue;
    const described = attribute.missing?.(nixpkgs) ?? defaultMessage(attribute.name, nixpkgs);
    issues.push({ path: formatPath([...attribute.tomlPath]), message: described.message, hint: described.hint, location: locate(attribute.tomlPath) });
  }
  return issues;
}

function defaultMessage(name: string, nixpkgs: NixpkgsNames): { message: string; hint?: string } {
  const suggestion = closest(name, nixpkgs.names);
  return {
    message: `no package "${name}" in nixpkgs ${nixpkgs.release}${suggestion ? `; did you mean ${suggestion}?` : ''}`,
    hint: 'nixpkgs attribute names are case-sensitive; search them with `nix search nixpkgs <word>` or on https://search.nixos.org',
  };
}

export interface AttributeCheck {
  readonly builder: FlakeBuilder;
  readonly flakeDir: string;
  readonly system: string;
  readonly locate: Locate;
}

/** Before building: blame unknown names from the cache alone (no Nix); nothing when nothing is cached. */
export async function checkCachedAttributes(check: AttributeCheck): Promise<void> {
  if (check.builder.nixpkgsAttributes.length === 0) return;
  const cache = await namesCacheFile(check.flakeDir, check.builder.pkgsDefinition(), check.system);
  const names = cache && (await cachedNames(cache.file));
  if (!names) return;
  const issues = unknownAttributeIssues(check.builder, names, check.locate);
  if (issues.length) throw new ConfigError(issues);
}

/** After the flake failed to evaluate: the config errors that explain it, if any (asks Nix once per nixpkgs). */
export async function explainEvaluationFailure(check: AttributeCheck, failure: Error): Promise<ConfigError | undefined> {
  if (check.builder.nixpkgsAttributes.length === 0) return undefined;
  const cache = await namesCacheFile(check.flakeDir, check.builder.pkgsDefinition(), check.system);
  if (!cache) return undefined;
  const names = (await cachedNames(cache.file)) ?? (await evaluateNames(check.flakeDir, check.system, cache));
  if (!names) return undefined;
  const issues = unknownAttributeIssues(check.builder, names, check.locate);
  return issues.length ? new ConfigError(issues, { cause: failure }) : undefined;
}
