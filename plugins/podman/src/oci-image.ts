/**
 * `[podman] image = "oci"`: the OCI image of `build oci` in podman's storage, tagged by the rootfs's
 * store hash (`localhost/anysnake2-run:<hash>`). The image holds no environment or command (the
 * run gives those), so that hash names its whole content: a build that changes nothing reuses it,
 * and the image is packed and loaded only after a rebuild.
 */
import { rm } from 'node:fs/promises';
import { realpath } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { PluginApi, RunContext, RunPlan } from '@anysnake2/core/plugin-api';

export const IMAGE_REPOSITORY = 'localhost/anysnake2-run';

/** The tag for a rootfs at `/nix/store/<hash>-<name>/rootfs`. */
export function imageTag(rootfsStorePath: string): string {
  const hash = basename(dirname(rootfsStorePath)).split('-')[0]!;
  if (!/^[0-9a-z]{32}$/.test(hash)) throw new Error(`the rootfs is not in the Nix store: ${rootfsStorePath}`);
  return `${IMAGE_REPOSITORY}:${hash}`;
}

/** The image's name in podman, loaded first when podman does not have it. */
export async function ensureImage(api: PluginApi, podman: string, plan: Readonly<RunPlan>, ctx: RunContext): Promise<string> {
  const tag = imageTag(await realpath(plan.rootfs));
  if ((await api.exec.try(podman, ['image', 'exists', tag])).exitCode === 0) return tag;
  const archive = join(ctx.scriptsDir, 'podman-image.oci.tar');
  try {
    await ctx.ociImage(archive);
    ctx.log.info('loading the image into podman…');
    const loaded = await api.exec.run(podman, ['load', '--quiet', '--input', archive]);
    // "Loaded image: NAME" (or "Loaded image(s): NAME,…"): the name the archive gives it.
    const name = /Loaded image(?:\(s\))?: *([^,\s]+)/.exec(loaded.stdout)?.[1];
    if (!name) throw new api.errors.ToolFailedError(`podman load did not say which image it loaded: ${loaded.stdout.trim() || loaded.stderr.trim()}`);
    await api.exec.run(podman, ['tag', name, tag]);
    // The name the archive gave it (`localhost/anysnake2:latest`) is only a step: the store hash is
    // the image's name. `untag IMAGE NAME` removes just that name (`untag IMAGE` alone would remove
    // every name, ours too); an image ID is no name at all.
    if (name !== tag && !/^(sha256:)?[0-9a-f]{12,64}$/.test(name)) await api.exec.try(podman, ['untag', tag, name]);
  } finally {
    await rm(archive, { force: true });
  }
  return tag;
}
