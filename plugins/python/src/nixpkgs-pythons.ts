/**
 * The CPython versions a nixpkgs offers, read from its top-level attribute names (`python311` →
 * `3.11`): what a `python.version` that nixpkgs lacks is told to choose from.
 */
export function pythonVersionsIn(names: readonly string[]): string[] {
  const versions = names.flatMap((name) => {
    const match = /^python(\d)(\d+)$/.exec(name);
    return match ? [{ major: Number(match[1]), minor: Number(match[2]) }] : [];
  });
  return versions.sort((a, b) => a.major - b.major || a.minor - b.minor).map((v) => `${v.major}.${v.minor}`);
}

/** The message for `python.version` when nixpkgs has no `python<major><minor>`. */
export function missingPython(version: string, attribute: string, nixpkgs: { readonly names: readonly string[]; readonly release: string }): { message: string; hint: string } {
  const available = pythonVersionsIn(nixpkgs.names);
  return {
    message: `nixpkgs ${nixpkgs.release} has no Python ${version} (no attribute ${attribute})`,
    hint: available.length
      ? `the Python versions of this nixpkgs: ${available.join(', ')}; or pin a nixpkgs that has ${version} in [nixpkgs] url`
      : `this nixpkgs has no pythonXY attributes; pin one that has Python ${version} in [nixpkgs] url`,
  };
}
