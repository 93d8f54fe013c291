/** Schema pieces shared by sections: VCS URLs, dates, string maps. */
import { Type, type TSchema } from '@sinclair/typebox';
import type { IssueReporter } from '../plugin-api.js';
import { parseVcsUrl, VcsUrlError } from '../vcs/url.js';
import { findImbalance } from '../nix/raw-code.js';

export const StringMap = (description: string) => Type.Record(Type.String(), Type.String(), { description });

export function checkVcsUrl(report: IssueReporter, path: readonly (string | number)[], value: unknown): void {
  if (typeof value !== 'string') return;
  try {
    parseVcsUrl(value);
  } catch (error) {
    if (error instanceof VcsUrlError) report.error(path, error.message, error.hint);
    else throw error;
  }
}

/** A `url`-only tool pin section such as [flake-util] or [uv2nix]. */
export function toolPinSchema(description: string, defaultUrl: string, extra: Record<string, TSchema> = {}) {
  return Type.Object(
    {
      url: Type.String({ description: `${description} (default ${defaultUrl}; the revision is pinned on first use)`, default: defaultUrl }),
      ...extra,
    },
    { description },
  );
}

/** Keys that are Nix code by definition must at least be one balanced expression. */
export function checkNixCode(report: IssueReporter, path: readonly (string | number)[], code: string): void {
  const problem = code.trim() === '' ? 'is empty' : findImbalance(code);
  if (problem) report.error(path, `is not a valid Nix expression: it ${problem}`, 'this key holds Nix code; check its brackets and quotes');
}
