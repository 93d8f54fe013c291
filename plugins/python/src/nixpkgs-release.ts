/**
 * Which nixpkgs release the project's `[nixpkgs] url` names, and whether uv2nix may run on that
 * release's `lib`. uv2nix and pyproject.nix call `lib.isPath`, `lib.path.subpath` (new in 23.05)
 * and follow nixpkgs-unstable closely; the original anysnake2 never let them follow the project's
 * nixpkgs. We let them follow from 24.05 on (one nixpkgs download instead of two) and, for older
 * releases, leave them on the nixpkgs uv2nix pins itself — its `lib` only, nothing is built from it.
 */
import type { VcsSource } from '@anysnake2/core/plugin-api';

/** The oldest nixpkgs release whose `lib` uv2nix and pyproject.nix are given. */
export const OLDEST_FOLLOWED_RELEASE = '24.05';

/**
 * `24.05` from `github:NixOS/nixpkgs/master/24.05` (a release tag as the rev, as trust-on-first-use
 * pins it), `…/nixos-24.05`, `?ref=release-23.11&rev=…`; undefined when the url names no release.
 */
export function nixpkgsRelease(source: VcsSource): string | undefined {
  const names = source.kind === 'github' ? [source.rev, source.branch] : source.kind === 'git' ? [source.rev, source.ref] : [];
  for (const name of names) {
    const release = name ? /(?:^|[-/])(\d\d\.\d\d)(?:$|-)/.exec(name)?.[1] : undefined;
    if (release) return release;
  }
  return undefined;
}

/** Unknown releases (unstable, a commit, a local checkout) follow: they are as new as uv2nix or the user's choice. */
export function uv2nixFollowsNixpkgs(release: string | undefined): boolean {
  return release === undefined || release >= OLDEST_FOLLOWED_RELEASE;
}
