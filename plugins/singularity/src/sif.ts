/**
 * `build sif`: apptainer (or singularity) turns the OCI archive of `build oci` into a SIF, the
 * single-file image HPC clusters run. Taken from PATH, else from [outside_nixpkgs] through `nix shell`.
 */
import { join } from 'node:path';
import { exec, NIX_FLAGS, nixCli, outsideNixpkgs, ToolMissingError, which, type Project } from '@anysnake2/core/plugin-command.js';

const DEFAULT_SIF_FILE = 'anysnake2_container.sif';
const BUILDERS = ['apptainer', 'singularity'] as const;

/** In the project, like the OCI archive. */
export function defaultSifPath(project: Project): string {
  return join(project.paths.projectDir, DEFAULT_SIF_FILE);
}

/** The argv prefix that runs apptainer or singularity; exit 69 when neither can be had. */
export async function sifBuilder(project: Project): Promise<string[]> {
  for (const name of BUILDERS) {
    const local = await which(name);
    if (local) return [local];
  }
  const outside = await outsideNixpkgs(project);
  for (const name of BUILDERS) {
    // Only asks whether the attribute exists; `nix shell` builds it when the SIF is written.
    const probe = await nixCli.try(['eval', '--raw', `${outside}#${name}.name`]);
    if (probe.exitCode === 0) return ['nix', ...NIX_FLAGS, 'shell', `${outside}#${name}`, '-c', name];
    project.log.debug(`${outside}#${name}: ${probe.stderr.trim().split('\n').pop() ?? ''}`);
  }
  throw new ToolMissingError(`building a SIF needs apptainer or singularity: neither is on PATH, and ${outside} provides neither`, {
    hint: 'install apptainer (https://apptainer.org/docs/admin/main/installation.html; on HPC clusters often `module load apptainer`), or point [outside_nixpkgs] url at a nixpkgs that has it',
  });
}

/** Writes `sif` from the OCI archive `oci`; --force because a previous SIF is simply replaced. */
export async function buildSif(builder: readonly string[], sif: string, oci: string): Promise<void> {
  const [command, ...prefix] = builder;
  await exec.run(command!, [...prefix, 'build', '--force', sif, `oci-archive:${oci}`]);
}
