/**
 * @anysnake2/plugin-slurm — `anysnake2 submit`, `anysnake2 jobs`: [cmd.*] as Slurm batch jobs.
 * This hook module registers the `[slurm]` and `[cmd.<name>.slurm]` sections and passes the job's
 * Slurm variables into the container; the commands live in ./commands (oclif loads them itself).
 */
import type { AnysnakePlugin } from '@anysnake2/core/plugin-api';

const plugin: AnysnakePlugin = {
  name: 'slurm',
  async apply(api) {
    const [{ registerSections }, { passSlurmEnv }, { registerDoctor }] = await Promise.all([import('./sections.js'), import('./job-env.js'), import('./doctor.js')]);
    registerSections(api);
    passSlurmEnv(api);
    registerDoctor(api);
  },
};

export default async function anysnake2Plugin(): Promise<AnysnakePlugin> {
  return plugin;
}
