/**
 * Inside a Slurm job, the job's own variables (SLURM_JOB_ID, SLURM_ARRAY_TASK_ID, SLURM_CPUS_PER_TASK …)
 * reach the container, as they would reach a job run without one. Outside a job there are none,
 * so ordinary runs are unchanged. `[container] env` still wins.
 */
import type { PluginApi } from '@anysnake2/core/plugin-api';

export function slurmVariables(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  if (env.SLURM_JOB_ID === undefined) return out;
  for (const name of Object.keys(env).sort()) if (name.startsWith('SLURM_') && env[name] !== undefined) out[name] = env[name]!;
  return out;
}

export function passSlurmEnv(api: PluginApi): void {
  api.hooks.enrichRun.tap({ name: 'slurm', stage: api.Stage.default }, (plan) => {
    const env = Object.fromEntries(Object.entries(slurmVariables(process.env)).filter(([name]) => !(name in plan.env)));
    return Object.keys(env).length > 0 ? { env } : undefined;
  });
}
