/**
 * The top-level attribute names of the configured nixpkgs (the generated flake's
 * `legacyPackages.<system>`: the pinned nixpkgs with the flake's overlays and config), so that a
 * typo in `nixpkgs.packages` or a language version nixpkgs lacks can be blamed on its config key.
 *
 * Asked of Nix only when needed — after a build failed to evaluate — with one `nix eval`
 * (`builtins.attrNames` forces no package), and cached in the user's cache directory per nixpkgs
 * revision (its narHash in flake.lock), the other inputs and the overlays; a later build reads the
 * cache without Nix.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { crypto } from '../lazy-builtins.js';
import { join } from 'node:path';
import { exec } from '../exec.js';
import { writeFileAtomic } from '../fs-atomic.js';
import { NIX_FLAGS, flakeRef } from './nix.js';
import { cacheDir } from '../user-cache.js';

export interface NixpkgsNames {
  readonly names: readonly string[];
  /** `lib.trivial.release` (e.g. `24.05`), else `lib.version`, else the short revision. */
  readonly release: string;
}

/** Fixed Nix: the names, and what the release calls itself. Nothing from the config. */
const SUMMARY = 'pkgs: { names = builtins.attrNames pkgs; release = pkgs.lib.trivial.release or (pkgs.lib.version or null); }';

interface LockedNixpkgs {
  narHash: string;
  rev?: string;
  /** Every locked input: overlays from other inputs add names too. */
  inputs: string;
}

async function lockedNixpkgs(flakeDir: string): Promise<LockedNixpkgs | undefined> {
  try {
    const text = await readFile(join(flakeDir, 'flake.lock'), 'utf8');
    const lock = JSON.parse(text) as {
      root: string;
      nodes: Record<string, { inputs?: Record<string, string | string[]>; locked?: { narHash?: string; rev?: string } }>;
    };
    const node = lock.nodes[lock.root]?.inputs?.nixpkgs;
    const locked = typeof node === 'string' ? lock.nodes[node]?.locked : undefined;
    const inputs = Object.values(lock.nodes)
      .map((n) => n.locked?.narHash ?? '')
      .sort()
      .join(',');
    return locked?.narHash ? { narHash: locked.narHash, rev: locked.rev, inputs } : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The cache entry for this flake: nixpkgs' narHash, the other inputs' (an overlay from another
 * input adds names too) and the overlays and config that shape `pkgs`.
 */
export async function namesCacheFile(flakeDir: string, pkgsDefinition: string, system: string): Promise<{ file: string; rev?: string } | undefined> {
  const locked = await lockedNixpkgs(flakeDir);
  if (!locked) return undefined;
  const key = crypto().createHash('sha256').update(`${locked.narHash}\n${locked.inputs}\n${system}\n${pkgsDefinition}`).digest('hex').slice(0, 32);
  return { file: join(cacheDir(), 'nixpkgs-names', `${key}.json`), rev: locked.rev };
}

export async function cachedNames(file: string): Promise<NixpkgsNames | undefined> {
  try {
    const value = JSON.parse(await readFile(file, 'utf8')) as NixpkgsNames;
    return Array.isArray(value.names) && typeof value.release === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** One `nix eval` of the flake's `legacyPackages.<system>`; undefined when even that fails (an overlay that does not evaluate). */
export async function evaluateNames(flakeDir: string, system: string, cache: { file: string; rev?: string }): Promise<NixpkgsNames | undefined> {
  const result = await exec.try('nix', [...NIX_FLAGS, 'eval', '--json', flakeRef(flakeDir, `legacyPackages.${system}`), '--apply', SUMMARY], {
    timeoutMs: 300_000,
  });
  if (result.exitCode !== 0) return undefined;
  let value: { names: string[]; release: string | null };
  try {
    value = JSON.parse(result.stdout) as typeof value;
  } catch {
    return undefined;
  }
  const names: NixpkgsNames = { names: value.names, release: value.release ?? cache.rev?.slice(0, 7) ?? 'as pinned' };
  try {
    await mkdir(join(cacheDir(), 'nixpkgs-names'), { recursive: true });
    await writeFileAtomic(cache.file, `${JSON.stringify(names)}\n`);
  } catch {
    // A cache that cannot be written only costs the next failure one more evaluation.
  }
  return names;
}
