/**
 * The core's emitFlake tap: the nixpkgs and flake-utils inputs, nixpkgs config (allowUnfree,
 * permittedInsecurePackages), overlays, the always-present packages, user packages and the
 * devShell inputs.
 */
import { Value } from '../vendor/typebox.js';
import type { Static } from '@sinclair/typebox';
import type { EmitContext, FlakeBuilder, NixExpr } from '../plugin-api.js';
import type { FlakeBuilder as FlakeBuilderImpl } from '../nix/flake.js';
import { nix } from '../nix/construct.js';
import { isAttrPath } from '../nix/escape.js';
import { parseVcsUrl, toNixForm } from '../vcs/url.js';
import { devShellSchema, flakeUtilSchema, nixpkgsSchema } from './core-sections.js';

type Nixpkgs = Static<typeof nixpkgsSchema>;

/** A `nixpkgs.packages` entry: an attribute path, or Nix code by definition (through the raw door). */
export function packageExpr(entry: string, origin: string): NixExpr {
  if (isAttrPath(entry)) {
    const [head, ...rest] = entry.split('.');
    return rest.length ? nix.select(nix.id(head!), rest) : nix.id(head!);
  }
  return nix.code(entry, origin);
}

function sectionOrDefault<T>(ctx: EmitContext, name: string, schema: Parameters<typeof Value.Default>[0]): T {
  return (ctx.config.section<T>(name) ?? Value.Default(schema, {})) as T;
}

export function emitNixpkgs(flake: FlakeBuilder, ctx: EmitContext): void {
  const nixpkgs = sectionOrDefault<Nixpkgs>(ctx, 'nixpkgs', nixpkgsSchema);
  const flakeUtil = sectionOrDefault<Static<typeof flakeUtilSchema>>(ctx, 'flake-util', flakeUtilSchema);
  const devShell = sectionOrDefault<Static<typeof devShellSchema>>(ctx, 'dev_shell', devShellSchema);

  flake.addInput('nixpkgs', { url: toNixForm(parseVcsUrl(nixpkgs.url)) });
  flake.addInput('flake-utils', { url: toNixForm(parseVcsUrl(flakeUtil.url)) });

  // nixpkgs' config is the core's own: not in the published FlakeBuilder interface.
  const { nixpkgsConfig } = flake as FlakeBuilderImpl;
  nixpkgsConfig.set('allowUnfree', nix.bool(nixpkgs.allow_unfree));
  if (nixpkgs.permitted_insecure_packages.length > 0) nixpkgsConfig.set('permittedInsecurePackages', nix.list(nixpkgs.permitted_insecure_packages.map(nix.str)));

  // Old nixpkgs spelled pkg-config as pkgconfig; configs written for them keep working.
  flake.addOverlay(nix.lambda('final', nix.lambda('prev', nix.attrs({ pkgconfig: nix.select(nix.id('final'), ['pkg-config']) }))), { order: -100, owner: 'core' });
  if (nixpkgs.overlay !== undefined) flake.addOverlay(nix.code(nixpkgs.overlay, 'nixpkgs.overlay'), { order: -50, owner: 'core' });

  for (const always of ['cacert', 'coreutils', 'bashInteractive']) flake.addPackage(nix.id(always));
  nixpkgs.packages.forEach((entry, i) => {
    flake.addPackage(packageExpr(entry, `nixpkgs.packages[${i}]`));
    expectAttribute(flake, entry, ['nixpkgs', 'packages', i]);
  });
  devShell.inputs.forEach((entry, i) => {
    flake.addDevShellInput(packageExpr(entry, `dev_shell.inputs[${i}]`));
    expectAttribute(flake, entry, ['dev_shell', 'inputs', i]);
  });
}

/** An attribute-path entry names a top-level attribute of pkgs (its first part); Nix code is left to Nix. */
function expectAttribute(flake: FlakeBuilder, entry: string, tomlPath: (string | number)[]): void {
  if (isAttrPath(entry)) flake.expectNixpkgsAttribute({ name: entry.split('.')[0]!, tomlPath, withPkgs: true });
}
