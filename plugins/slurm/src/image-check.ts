/**
 * The job script's lines for a job that starts an image (job-image.ts): the record (path and
 * sha256 in the header), and before the command a check that the file is still the one submitted —
 * 66 when it is gone, 65 naming both digests when a later build replaced it — then the variables
 * that make `anysnake2 <cmd>` start that file instead of building (core: pipeline/run-image.ts,
 * which checks the digest once more).
 */
import type { JobImage } from './job-image.js';

// The names core/src/pipeline/run-image.ts reads (spelled out: this module stays free of core
// imports, so writing a script loads nothing; unit/slurm-job-script checks they agree).
export const IMAGE_ENV = 'ANYSNAKE2_IMAGE';
export const IMAGE_KIND_ENV = 'ANYSNAKE2_IMAGE_KIND';
export const IMAGE_SHA256_ENV = 'ANYSNAKE2_IMAGE_SHA256';

/** Comment lines for the script's header; `plain` shows a path with control characters as JSON. */
export function imageHeader(image: JobImage, plain: (text: string) => string): string[] {
  return [`# image: ${plain(image.path)}`, `# image sha256: ${image.sha256}`, `# image kind: ${image.kind}`];
}

export function imageCheck(image: JobImage, q: (word: string) => string): string[] {
  return [
    `image=${q(image.path)}`,
    `expected=${q(image.sha256)}`,
    'if [ ! -f "$image" ]; then',
    '  echo "anysnake2: the image $image of this job is missing on $(hostname) (it must be on a file system the nodes share; submit again to build it)" >&2',
    '  exit 66',
    'fi',
    'actual=$(sha256sum < "$image") || exit 66',
    'actual="${actual%% *}"',
    'if [ "$actual" != "$expected" ]; then',
    '  echo "anysnake2: the image $image changed since this job was submitted: its sha256 is $actual, the job expects $expected (submit again)" >&2',
    '  exit 65',
    'fi',
    `export ${IMAGE_ENV}="$image" ${IMAGE_KIND_ENV}=${q(image.kind)} ${IMAGE_SHA256_ENV}="$expected"`,
  ];
}
