/**
 * Inside a Slurm job, the job's own variables (SLURM_JOB_ID, SLURM_ARRAY_TASK_ID, SLURM_CPUS_PER_TASK …)
 * reach the container, as they would reach a job run without one. Outside a job there are none,
 * so ordinary runs are unchanged. `[container] env` still wins.
 *
 * They are declared as `envAtStart` (the runtime takes their values when the container starts),
 * not put into the plan: the plan of every job is then the same, and so the warm path, whose
 * fingerprint leaves SLURM_* values out, starts the next job of the project at once.
 */
import type { PluginApi } from '@anysnake2/core/plugin-api';

export function passSlurmEnv(api: PluginApi): void {
  api.hooks.enrichRun.tap({ name: 'slurm', stage: api.Stage.default }, () => {
    return process.env.SLURM_JOB_ID === undefined ? undefined : { envAtStart: ['SLURM_'] };
  });
}
