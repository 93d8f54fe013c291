/**
 * Running Slurm's client tools (sbatch, squeue, scancel, scontrol, sacct): a missing tool is 69
 * with what to install, a controller that does not answer is 75 (try again later), anything
 * else Slurm refuses is shown with its own words.
 */
import { exec, TemporaryError, ToolFailedError, ToolMissingError, type ExecResult } from '@anysnake2/core/plugin-command.js';

export const INSTALL_HINT = 'install the Slurm client tools (Debian: apt-get install slurm-client; on a cluster: module load slurm), or run on a login node';

/** What Slurm's tools print when the controller (or munge, which authenticates to it) is not there. */
const UNREACHABLE = /Unable to contact slurm controller|Connection refused|Socket timed out|Zero Bytes were transmitted|Communication connection failure|Munge encode failed|Unable to setup connection/i;
/** This host is no Slurm client: no slurm.conf, and no configless controller to ask. */
const NOT_CONFIGURED = /Could not establish a configuration source|Unable to process configuration file|Could not open configuration file/i;

export const isUnreachable = (output: string) => UNREACHABLE.test(output);

export async function slurmTry(tool: string, args: readonly string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<ExecResult> {
  return exec.try(tool, args, { cwd: options.cwd, timeoutMs: options.timeoutMs ?? 60_000, installHint: INSTALL_HINT });
}

export async function slurmRun(tool: string, args: readonly string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<ExecResult> {
  const result = await slurmTry(tool, args, options);
  if (result.exitCode === 0) return result;
  const output = `${result.stderr}\n${result.stdout}`.trim();
  if (isUnreachable(output))
    throw new TemporaryError(`the Slurm cluster does not answer (${tool}): ${firstError(output)}`, {
      hint: 'is slurmctld running and SLURM_CONF right? `anysnake2 doctor` checks it; try again when the cluster is back',
    });
  if (NOT_CONFIGURED.test(output))
    throw new ToolMissingError(`${tool} finds no Slurm configuration on this host: ${firstError(output)}`, {
      hint: 'run on a login node of the cluster, or point SLURM_CONF at its slurm.conf',
    });
  throw new ToolFailedError(`${tool} failed with exit code ${result.exitCode}:\n${output.split('\n').slice(-20).map((l) => `  ${l}`).join('\n')}`);
}

const firstError = (output: string) => output.split('\n').find((line) => /error|fatal/i.test(line))?.trim() ?? output.split('\n')[0]!;
