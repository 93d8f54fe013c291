/** Reading what uv wrote into uv.lock (its `[[package]]` tables), without a TOML parser: uv's layout is fixed. */

/** Whether the lock pins a setuptools older than 70.1 (see flake-python.ts). */
export function locksOldSetuptools(lock: string): boolean {
  const version = /^\[\[package\]\]\r?\nname = "setuptools"\r?\nversion = "(\d+)\.(\d+)/m.exec(lock);
  return version !== null && (Number(version[1]) < 70 || (Number(version[1]) === 70 && Number(version[2]) < 1));
}

/** The normalised names of the packages in a uv.lock (its `[[package]]` tables). */
export function lockedPackageNames(lock: string): Set<string> {
  return new Set([...lock.matchAll(/^\[\[package\]\]\r?\nname = "([^"]+)"/gm)].map((m) => m[1]!));
}

/** The sdist uv locked for a package: `sdist = { url = "…", hash = "sha256:…", … }`. */
export function lockedSdist(lock: string, normalized: string): { url: string; sha256?: string } | undefined {
  for (const block of lock.split(/^\[\[package\]\]$/m).slice(1)) {
    if (!new RegExp(`^name = "${normalized.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&')}"$`, 'm').test(block)) continue;
    const match = /^sdist = \{ url = "([^"]+)"(?:, hash = "sha256:([0-9a-f]{64})")?/m.exec(block);
    return match ? { url: match[1]!, sha256: match[2] } : undefined;
  }
  return undefined;
}
