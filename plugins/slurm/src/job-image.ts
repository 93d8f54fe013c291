/**
 * `[slurm] image = "sif"|"oci"`: the job starts the image file `build sif`/`build oci` writes
 * instead of the rootfs, for nodes without /nix/store. `submit` runs that very command (so the file
 * is the one those commands make, at their default place in the project) and takes its sha256,
 * which the job script records and checks before the job starts (image-check.ts).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { isAbsolute } from 'node:path';
import { AnysnakeError, CLI_ENTRY, exec, ToolFailedError, type Project } from '@anysnake2/core/plugin-command.js';

/** `build <kind>` failed: it said why on stderr already; submit ends with its exit status (69: no apptainer, …). */
class ImageBuildFailed extends AnysnakeError {
  override readonly exitCode: number;
  constructor(message: string, exitCode: number) {
    super(message);
    this.exitCode = exitCode;
  }
}

export interface JobImage {
  /** `sif` or `oci`: the `build` subcommand that writes it, and the runtime's image kind. */
  readonly kind: string;
  readonly path: string;
  readonly sha256: string;
}

/** The sha256 (hex) of a file's bytes, streamed: images are large. */
export async function fileSha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** `anysnake2 build <kind>` for this project (its progress on our stderr); the file it wrote, hashed. */
export async function buildJobImage(project: Project, kind: string): Promise<JobImage> {
  project.log.info(`building the ${kind} image for the job (anysnake2 build ${kind})…`);
  const result = await exec.try(process.execPath, [CLI_ENTRY, '--no-version-switch', '-c', project.paths.configFile, 'build', kind], {
    cwd: project.paths.projectDir,
    onStderrLine: (line) => process.stderr.write(`${line}\n`),
  });
  if (result.exitCode !== 0) throw new ImageBuildFailed(`anysnake2 build ${kind} failed (exit status ${result.exitCode}): nothing was submitted`, result.exitCode);
  // Both print the file's path as their first line (build oci adds the manifest digest).
  const path = result.stdout.split('\n')[0]!.trim();
  if (!isAbsolute(path)) throw new ToolFailedError(`anysnake2 build ${kind} did not print the image's path: ${JSON.stringify(result.stdout.trim())}`);
  return { kind, path, sha256: await fileSha256(path) };
}
