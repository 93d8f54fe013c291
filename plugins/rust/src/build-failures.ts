/**
 * rust-overlay and nixpkgs move separately, and a pair too far apart fails with messages that do not
 * name either: rust-overlay too new for the project's nixpkgs ("cannot coerce a set to a string",
 * 2.x's FAQ; "called without required argument 'bintools'", oxalica/rust-overlay#83), or too old
 * for it (ld-wrapper's "darwin-sdk-setup.bash: No such file or directory", #195). We say which pin
 * to move.
 */
import type { BuildFailure } from '@anysnake2/core/plugin-api';

const TOO_NEW = /cannot coerce a set to a string|called without required argument 'bintools'/;
const TOO_OLD = /nix-support\/darwin-sdk-setup\.bash: No such file or directory/;

export function explainRustOverlayMismatch(failure: BuildFailure): string | undefined {
  const log = failure.log.join('\n');
  if (TOO_OLD.test(log))
    return `${failure.derivation}: this rust-overlay is older than the nixpkgs in [nixpkgs] url; pin a newer one (drop the revision from [rust] url and run \`anysnake2 tofu\`)`;
  if (TOO_NEW.test(log) && (/\brust|mk-component-set\.nix|rust-overlay/.test(log) || /^(rust|cargo|clippy)/.test(failure.derivation)))
    return `${failure.derivation}: this rust-overlay is too new for the nixpkgs in [nixpkgs] url; pin an older rust-overlay revision in [rust] url, or a newer nixpkgs`;
  return undefined;
}
