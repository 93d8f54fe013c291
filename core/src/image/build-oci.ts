/**
 * `build oci`: the built rootfs and its whole Nix closure as one OCI image archive, written by us
 * (not by Nix's dockerTools or umoci), so any nixpkgs works and equal inputs give equal bytes —
 * and an archive already written from the same inputs, unchanged since, is not written again (image-record.ts).
 */
import { realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureBuilt } from '../pipeline/build.js';
import { nix } from '../nix-cli/nix.js';
import type { Project } from '../pipeline/project.js';
import { imageConfig } from './image-config.js';
import { imageEntries, type ExtraFile } from './image-tree.js';
import { writeOciArchive, type ImageConfig, type OciArchive } from './oci-archive.js';
import { assertWritable, explainWriteFailure } from './output-file.js';
import { imageInputs, recordImage, unchangedImage } from './image-record.js';

const DEFAULT_OCI_FILE = 'anysnake2_container.oci.tar';

/** In the project, not in .anysnake2_flake/: Nix copies the flake directory into the store on every evaluation. */
export function defaultOciPath(project: Project): string {
  return join(project.paths.projectDir, DEFAULT_OCI_FILE);
}

export async function buildOciArchive(project: Project, output: string): Promise<OciArchive> {
  await assertWritable(output);
  const built = await ensureBuilt(project);
  // The store path, not the link: a concurrent rebuild may move `result` while we read.
  const storePath = await realpath(built.resultLink);
  const { config, files } = await imageConfig(project);
  return writeImage(project, storePath, output, config, files);
}

/**
 * The image a runtime runs (RunContext.ociImage): the same rootfs and closure as `build oci`, but
 * no environment, scripts or default command — the runtime gives those per run, so no
 * [container.env] value is ever stored in the image. Depends on the store path alone.
 */
export async function buildRunImage(project: Project, output: string): Promise<OciArchive> {
  await assertWritable(output);
  const storePath = await realpath((await ensureBuilt(project)).resultLink);
  return writeImage(project, storePath, output, { env: [], cmd: ['/bin/bash'], workingDir: '/' }, []);
}

async function writeImage(project: Project, storePath: string, output: string, config: ImageConfig, files: ExtraFile[]): Promise<OciArchive> {
  const inputs = imageInputs({ storePath, config, files });
  const unchanged = await unchangedImage(project.paths.flakeDir, output, inputs);
  if (unchanged) {
    project.log.info(`the image is up to date (${output})`);
    return unchanged;
  }
  const rootfs = join(storePath, 'rootfs');
  const storePaths = (await nix(['path-info', '--recursive', storePath])).split('\n').filter(Boolean);
  project.log.info(`writing the image (${storePaths.length} store paths)…`);
  const archive = await writeOciArchive(output, imageEntries({ rootfs, storePaths, extraFiles: files }), config).catch((error: unknown) => {
    throw explainWriteFailure(output, error);
  });
  await recordImage(project.paths.flakeDir, archive, inputs);
  return archive;
}
