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
  // build oci reports the file's sha256 itself (taken while writing, or recorded when the archive was
  // already up to date): no second read of gigabytes. build sif prints the path alone.
  const json = kind === 'oci';
  const result = await exec.try(process.execPath, [CLI_ENTRY, '--no-version-switch', '-c', project.paths.configFile, 'build', kind, ...(json ? ['--json'] : [])], {
    cwd: project.paths.projectDir,
    onStderrLine: (line) => process.stderr.write(`${line}\n`),
  });
  if (result.exitCode !== 0) throw new ImageBuildFailed(`anysnake2 build ${kind} failed (exit status ${result.exitCode}): nothing was submitted`, result.exitCode);
  const reported = json ? reportedImage(result.stdout) : { path: result.stdout.split('\n')[0]!.trim() };
  if (!isAbsolute(reported.path)) throw new ToolFailedError(`anysnake2 build ${kind} did not print the image's path: ${JSON.stringify(result.stdout.trim())}`);
  return { kind, path: reported.path, sha256: reported.sha256 ?? (await fileSha256(reported.path)) };
}

/** `build oci --json`'s path and file sha256 (an older core prints no sha256: then it is taken here). */
function reportedImage(stdout: string): { path: string; sha256?: string } {
  try {
    const { path, sha256 } = JSON.parse(stdout) as { path?: unknown; sha256?: unknown };
    return { path: typeof path === 'string' ? path : '', ...(typeof sha256 === 'string' && /^[0-9a-f]{64}$/.test(sha256) ? { sha256 } : {}) };
  } catch {
    return { path: '' };
  }
}
