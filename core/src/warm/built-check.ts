/**
 * Whether the environment a warm record was made for is still the built one: the rootfs is there
 * (no unfinished build) and the flake files hash to the build state's hash. Shared by the run warm
 * path (warm-run.ts) and plugin warm commands (warm-command.ts); synchronous, reads each file once.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { flakeFilesHash } from './warm-entry.js';

export const ROOTFS_NEEDS_BUILD = 'the rootfs needs a build';
export const FLAKE_CHANGED = 'the flake changed since the last build';

export function rootfsMissing(flakeDir: string): boolean {
  return existsSync(join(flakeDir, '.build_unfinished')) || !existsSync(join(flakeDir, 'result', 'rootfs'));
}

/** True when `.build_state.json` and the flake files both still give `buildHash`. */
export function flakeStillBuilt(flakeDir: string, flakeFiles: readonly string[], buildHash: string): boolean {
  let state: { hash?: string } | undefined;
  try {
    state = JSON.parse(readFileSync(join(flakeDir, '.build_state.json'), 'utf8')) as { hash?: string };
  } catch {
    return false;
  }
  if (state?.hash !== buildHash) return false;
  try {
    return flakeFilesHash(flakeDir, flakeFiles) === buildHash;
  } catch {
    return false;
  }
}
