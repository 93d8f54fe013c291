/**
 * `build rootfs --push`: copy the rootfs closure to `[nix] cache`, signed with `[nix] signing_key`,
 * so machines with an empty store (cluster nodes) fetch it instead of building it. Nodes trust the
 * key's public half (`trusted-public-keys`) and list the cache as a substituter (docs/hpc.md).
 */
import { isAbsolute, resolve } from 'node:path';
import { access } from 'node:fs/promises';
import { ConfigError, TemporaryError, UsageError } from '../errors.js';
import { isNetworkFailure } from '../network-failure.js';
import { nixCli } from '../nix-cli/nix.js';
import type { Project } from './project.js';

export interface PushResult {
  cache: string;
  storePath: string;
  signedWith?: string;
}

/** Before building: --push without a cache is a usage error, not something to find out afterwards. */
export function assertPushTarget(project: Project): void {
  if (!project.config.section<{ cache?: string }>('nix')?.cache)
    throw new UsageError('--push needs a binary cache', { hint: 'add [nix] cache = "file:///shared/nix-cache" (and signing_key) to anysnake2.toml' });
}

export async function pushClosure(project: Project, storePath: string): Promise<PushResult> {
  assertPushTarget(project);
  const section = project.config.section<{ cache: string; signing_key?: string }>('nix')!;
  let key: string | undefined;
  if (section.signing_key) {
    key = isAbsolute(section.signing_key) ? section.signing_key : resolve(project.paths.projectDir, section.signing_key);
    await access(key).catch(() => {
      throw new ConfigError([
        {
          path: 'nix.signing_key',
          message: `names ${key}, which cannot be read`,
          hint: 'make one with: nix key generate-secret --key-name mycache-1 > cache.secret',
          location: project.config.locate(['nix', 'signing_key']),
        },
      ]);
    });
    // Signatures live in the local store's database; `nix copy` carries them into the cache.
    await nixCli.run(['store', 'sign', '--key-file', key, '--recursive', storePath]);
  }
  const copied = await nixCli.try(['copy', '--to', section.cache, storePath]);
  if (copied.exitCode !== 0) {
    const output = copied.stderr.trim().split('\n').slice(-10).join('\n');
    if (isNetworkFailure(copied.stderr)) throw new TemporaryError(`could not copy to ${section.cache}:\n${output}`, { hint: 'check the network, then run again' });
    throw new UsageError(`nix copy --to ${section.cache} failed:\n${output}`, { hint: 'check [nix] cache: the location must exist and be writable' });
  }
  return { cache: section.cache, storePath, signedWith: key };
}
