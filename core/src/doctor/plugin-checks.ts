/**
 * What the plugins check (`api.doctor.register`, `RuntimeDefinition.doctor`): every registered
 * check, and the doctor of each runtime that is available here or that the project configures —
 * so a configured runtime is checked even when `auto` would pick another. Each is bounded in time:
 * a hung one is a finding, not a hung doctor.
 */
import type { DoctorCheckContext, DoctorFinding } from '../plugin-api.js';
import type { DoctorContext, Finding } from './finding.js';

const CHECK_TIMEOUT_MS = 20_000;

export async function checkPlugins(ctx: DoctorContext): Promise<Finding[]> {
  const host = await ctx.plugins();
  const state = await ctx.project();
  const config = state.kind === 'open' ? state.project.config : undefined;
  const wanted = config?.section<{ runtime?: string }>('container')?.runtime;
  const runtimes = [...host.runtimes.values()].sort((a, b) => b.priority - a.priority || (a.name < b.name ? -1 : 1));
  const available = new Set<string>();
  await Promise.all(runtimes.map(async (r) => (await r.available().catch(() => false)) && available.add(r.name)));
  const chosen = wanted && wanted !== 'auto' ? wanted : runtimes.find((r) => available.has(r.name))?.name;
  const context: DoctorCheckContext = { env: ctx.env, offline: ctx.offline, runtime: chosen, config };
  const guarded = async (name: string, run: () => Promise<readonly DoctorFinding[]>): Promise<Finding[]> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<Finding[]>((resolve) => {
      timer = setTimeout(() => resolve([{ id: name, status: 'warn', summary: `the ${name} check did not finish in ${CHECK_TIMEOUT_MS / 1000} s` }]), CHECK_TIMEOUT_MS);
      timer.unref();
    });
    try {
      return await Promise.race([run().then((findings) => [...findings]), timeout]);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return [{ id: name, status: 'fail', summary: `the ${name} check could not run: ${message}`, fix: "run with --verbose and report it to the plugin's authors" }];
    } finally {
      clearTimeout(timer);
    }
  };
  const results = await Promise.all([
    ...runtimes.filter((r) => r.doctor && (available.has(r.name) || r.name === chosen)).map((r) => guarded(`runtime.${r.name}`, () => r.doctor!(context))),
    ...host.doctorChecks.map((check) => guarded(`${check.owner}.${check.name}`, () => check.run(context))),
  ]);
  return results.flat();
}
