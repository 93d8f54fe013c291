/**
 * Running Slurm's client tools (sbatch, squeue, scancel, scontrol, sacct): a missing tool is 69
 * with what to install, a controller that does not answer is 75 (try again later), anything
 * else Slurm refuses is shown with its own words.
 */
import { exec, TemporaryError, ToolFailedError, ToolMissingError, type ExecResult } from '@anysnake2/core/plugin-warm.js';
import { existsSync } from 'node:fs';
import { INSTALL_HINT, isUnreachable, missingSlurmConf, NOT_CONFIGURED } from './slurm-messages.js';

export async function slurmTry(tool: string, args: readonly string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<ExecResult> {
  return exec.try(tool, args, { cwd: options.cwd, timeoutMs: options.timeoutMs ?? 60_000, installHint: INSTALL_HINT });
}

export async function slurmRun(tool: string, args: readonly string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<ExecResult> {
  const noConf = missingSlurmConf(process.env, existsSync);
  if (noConf) throw new ToolMissingError(`${tool}: ${noConf}`, { hint: "point SLURM_CONF at the cluster's slurm.conf, or unset it" });
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
  throw new ToolFailedError(
    `${tool} failed with exit code ${result.exitCode}:\n${output
      .split('\n')
      .slice(-20)
      .map((l) => `  ${l}`)
      .join('\n')}`,
  );
}

const firstError = (output: string) =>
  output
    .split('\n')
    .find((line) => /error|fatal/i.test(line))
    ?.trim() ?? output.split('\n')[0]!;
