/**
 * What `[anysnake2] url2` may say (behaviour reference §2.2, §12), parsed into the kind of
 * anysnake2 it pins: "dev" (never switch), an npm package version, a git/GitHub flake of this
 * project, or a pin of the original 2.x tool, which this project succeeds and never switches to.
 */
import { parseVcsUrl, toNixForm, toTomlForm, VcsUrlError, type VcsSource } from '../vcs/url.js';

export const NPM_PACKAGE = '@anysnake2/core';

export type VersionPin =
  | { kind: 'dev' }
  /** `npm:<package>@<exact version>`. */
  | { kind: 'npm'; pkg: string; version: string }
  /**
   * A flake of this project; `nixShown` is `nixForm` without credentials (for messages); `version`
   * when its ref or rev is a release tag (`1.2.3`, `v1.2.3`).
   */
  | { kind: 'nix'; nixForm: string; nixShown: string; shown: string; version?: string }
  /** `…/anysnake2_release_flakes/…` or `github:TyberiusPrime/anysnake2/…`: the original 2.x tool. */
  | { kind: 'legacy'; shown: string };

/** A url2 that cannot be used; `hint` says what to write instead. */
export class PinError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** The url2 that pins the running version (what trust on first use writes). */
export function npmPin(version: string): string {
  return `npm:${NPM_PACKAGE}@${version}`;
}

/** An exact npm version: no ranges or tags, or the project would float. */
const EXACT_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
/** An npm package name, optionally scoped. */
const PACKAGE_NAME = /^(?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;
const RELEASE_TAG = /^v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/;
const RUST_REPOS = new Set(['tyberiusprime/anysnake2', 'tyberiusprime/anysnake2_release_flakes']);

export function parseVersionPin(url2: string): VersionPin {
  if (url2 === 'dev') return { kind: 'dev' };
  if (url2.startsWith('npm:')) return parseNpm(url2);
  let source: VcsSource;
  try {
    source = parseVcsUrl(url2);
  } catch (error) {
    if (!(error instanceof VcsUrlError)) throw error;
    throw new PinError(error.message, error.hint ?? `write "dev", "${npmPin('X.Y.Z')}" or a git/GitHub flake url`);
  }
  if (source.kind === 'hg') throw new PinError('anysnake2 itself must be hosted on a git repo, not Mercurial', `write "${npmPin('X.Y.Z')}" or a git/GitHub flake url`);
  if (isRustOriginal(source)) return { kind: 'legacy', shown: toTomlForm(source) };
  const tag = source.kind === 'path' ? undefined : RELEASE_TAG.exec(source.rev ?? (source.kind === 'git' ? (source.ref ?? '') : ''));
  // For git, the TOML form is the Nix form without credentials.
  const nixShown = source.kind === 'git' ? toTomlForm(source) : toNixForm(source);
  return { kind: 'nix', nixForm: toNixForm(source), nixShown, shown: toTomlForm(source), version: tag?.[1] };
}

function parseNpm(url2: string): VersionPin {
  const spec = url2.slice('npm:'.length);
  // The version follows the last @; a scope's @ is the first character.
  const at = spec.lastIndexOf('@');
  const pkg = at > 0 ? spec.slice(0, at) : spec;
  const version = at > 0 ? spec.slice(at + 1) : '';
  if (!PACKAGE_NAME.test(pkg)) throw new PinError(`not an npm package name: ${pkg}`, `write "${npmPin('X.Y.Z')}"`);
  if (!EXACT_VERSION.test(version)) throw new PinError(`an npm pin needs an exact version, not "${version}"`, `write "npm:${pkg}@X.Y.Z" (see npm view ${pkg} versions)`);
  return { kind: 'npm', pkg, version };
}

function isRustOriginal(source: VcsSource): boolean {
  if (source.kind === 'github') return RUST_REPOS.has(`${source.owner}/${source.repo}`.toLowerCase());
  if (source.kind !== 'git') return false;
  const match = /^(?:https?|ssh|git):\/\/(?:[^@/]*@)?github\.com[/:](.+?)(?:\.git)?\/?$/i.exec(source.url);
  return match !== null && RUST_REPOS.has(match[1]!.toLowerCase());
}
