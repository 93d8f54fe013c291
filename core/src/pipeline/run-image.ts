/**
 * A run given an image file instead of a build: a batch job on a node without /nix/store starts
 * `anysnake2 <cmd>` with the image named in its environment (the job script sets these variables;
 * they are no command-line option, so help and argv parsing stay as they are). The run then builds
 * nothing and runs no Nix: it checks the file's sha256 against the one recorded when the job was made and
 * hands the file to a runtime that can start its kind (RuntimeDefinition.imageKinds).
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { crypto } from '../lazy-builtins.js';
import { isAbsolute } from 'node:path';
import { AnysnakeError, ExitCode, UsageError } from '../errors.js';
import type { RunImage } from '../plugin-api.js';

/** The image file (absolute path). */
export const IMAGE_ENV = 'ANYSNAKE2_IMAGE';
/** Its format, as runtimes name it in `imageKinds`. */
export const IMAGE_KIND_ENV = 'ANYSNAKE2_IMAGE_KIND';
/** The sha256 (hex) the file must have. */
export const IMAGE_SHA256_ENV = 'ANYSNAKE2_IMAGE_SHA256';

/** The image file is gone (66, like a missing input file). */
export class ImageMissingError extends AnysnakeError {
  override readonly exitCode = ExitCode.noInput;
}

/** The image file is not the one the job was made for (65: the data changed under it). */
export class ImageChangedError extends AnysnakeError {
  override readonly exitCode = ExitCode.dataErr;
}

/** The image this run is given, or undefined (the usual run from the built rootfs). */
export function runImageFromEnv(env: NodeJS.ProcessEnv = process.env): RunImage | undefined {
  const path = env[IMAGE_ENV];
  if (!path) return undefined;
  const kind = env[IMAGE_KIND_ENV] ?? '';
  const sha256 = env[IMAGE_SHA256_ENV] ?? '';
  const hint = `set all three: ${IMAGE_ENV}=/absolute/file ${IMAGE_KIND_ENV}=<kind> ${IMAGE_SHA256_ENV}=<64 hex digits> (the job script of an image job does)`;
  if (!isAbsolute(path)) throw new UsageError(`${IMAGE_ENV} must be an absolute path, not ${JSON.stringify(path)}`, { hint });
  if (!/^[a-z0-9][a-z0-9_-]*$/.test(kind)) throw new UsageError(`${IMAGE_KIND_ENV} must name the image's format (e.g. oci), not ${JSON.stringify(kind)}`, { hint });
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new UsageError(`${IMAGE_SHA256_ENV} must be a sha256 in lower-case hex, not ${JSON.stringify(sha256)}`, { hint });
  return { kind, path, sha256 };
}

/** The sha256 of a file's bytes, streamed (images are large). */
export async function sha256File(path: string): Promise<string> {
  const hash = crypto().createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Refuses a missing file (66) or one whose bytes changed since the digest was taken (65). */
export async function verifyRunImage(image: RunImage): Promise<void> {
  const info = await stat(image.path).catch(() => undefined);
  if (!info?.isFile())
    throw new ImageMissingError(`the image ${image.path} is missing`, {
      hint: 'it must be on a file system the node sees at the same path; make the job again to build it',
    });
  const actual = await sha256File(image.path);
  if (actual !== image.sha256)
    throw new ImageChangedError(`the image ${image.path} changed since this job was made: its sha256 is ${actual}, the job expects ${image.sha256}`, {
      hint: 'a later build replaced it; make the job again (it then runs the current image)',
    });
}
