/** Schema pieces shared by sections: VCS URLs, dates, string maps. */
import { Type, type TSchema } from '../vendor/typebox.js';
import type { IssueReporter } from '../plugin-api.js';
import { parseVcsUrl, VcsUrlError, type VcsSource } from '../vcs/url.js';
import { findNixCodeProblem } from '../nix/raw-code.js';
import { missingLocalPath } from './local-path.js';

export const StringMap = (description: string) => Type.Record(Type.String(), Type.String(), { description });

export function checkVcsUrl(report: IssueReporter, path: readonly (string | number)[], value: unknown): void {
  if (typeof value !== 'string') return;
  let source: VcsSource;
  try {
    source = parseVcsUrl(value);
  } catch (error) {
    if (error instanceof VcsUrlError) return report.error(path, error.message, error.hint);
    throw error;
  }
  const missing = missingLocalPath(source);
  if (missing) report.error(path, missing.message, missing.hint);
  if ((source.kind === 'git' || source.kind === 'hg') && hasSecret(source.url))
    report.warn(
      path,
      'has credentials in the url: Nix needs the url as written in .anysnake2_flake/flake.nix and flake.lock, which it copies into the world-readable /nix/store. ' +
        'Keep the url without them and give git a credential helper or ~/.netrc entry for the host instead (docs/configuration.md)',
    );
}

/** A user name or password in an http(s) url; an ssh user (`ssh://git@host`) is no secret. */
function hasSecret(url: string): boolean {
  try {
    const parsed = new URL(url);
    return /^(https?|ftps?):$/.test(parsed.protocol) && (parsed.username !== '' || parsed.password !== '');
  } catch {
    return false;
  }
}

/** A `url`-only tool pin section such as [flake-util] or [outside_nixpkgs]. */
export function toolPinSchema(description: string, defaultUrl: string, extra: Record<string, TSchema> = {}) {
  return Type.Object(
    {
      url: Type.String({ description: `${description} (default ${defaultUrl}; the revision is pinned on first use)`, default: defaultUrl }),
      ...extra,
    },
    { description },
  );
}

/** Keys that are Nix code by definition must be exactly one Nix expression (checked by a real Nix parser). */
export function checkNixCode(report: IssueReporter, path: readonly (string | number)[], code: string): void {
  const problem = findNixCodeProblem(code);
  if (problem)
    report.error(
      path,
      problem,
      'this key holds Nix code, which must be one expression: check its quotes and brackets; a word with a colon such as a:b is a URI in Nix — write it as a string "a:b"',
    );
}
