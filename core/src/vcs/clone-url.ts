/** clone_regexps: rewriting [clones] urls, e.g. `@gh/owner/repo` → a real url. */

/** The first pattern (in byte order of the patterns, so the same on every machine) that matches rewrites the url. */
export function rewriteCloneUrl(url: string, regexps: Readonly<Record<string, string>>): string {
  for (const pattern of Object.keys(regexps).sort()) {
    if (new RegExp(pattern).test(url)) return url.replace(new RegExp(pattern, 'g'), regexps[pattern]!);
  }
  return url;
}
