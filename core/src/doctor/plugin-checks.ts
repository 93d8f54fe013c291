/** The installed plugins' own checks (`api.doctor.register`), each bounded in time: a hung one is a finding, not a hung doctor. */
import type { DoctorContext, Finding } from './finding.js';

const PLUGIN_CHECK_TIMEOUT_MS = 20_000;

export async function checkPlugins(ctx: DoctorContext): Promise<Finding[]> {
  const host = await ctx.plugins();
  const state = await ctx.project();
  const config = state.kind === 'open' ? state.project.config : undefined;
  const results = await Promise.all(
    host.doctorChecks.map(async (check): Promise<Finding[]> => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<Finding[]>((resolve) => {
        timer = setTimeout(
          () => resolve([{ id: `${check.owner}.${check.name}`, status: 'warn', summary: `the ${check.owner} plugin's ${check.name} check did not finish in ${PLUGIN_CHECK_TIMEOUT_MS / 1000} s` }]),
          PLUGIN_CHECK_TIMEOUT_MS,
        );
        timer.unref();
      });
      try {
        return await Promise.race([check.run({ config, offline: ctx.offline, env: ctx.env }), timeout]);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return [{ id: `${check.owner}.${check.name}`, status: 'fail', summary: `the ${check.owner} plugin's ${check.name} check failed: ${message}` }];
      } finally {
        clearTimeout(timer);
      }
    }),
  );
  return results.flat();
}
