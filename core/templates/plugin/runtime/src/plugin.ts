/**
 * The container runtime "__SHORT__" (`[container] runtime = "__SHORT__"`). anysnake2 picks one
 * runtime per run, calls its plan() once and starts the LaunchSpec it returns (in dtach when
 * enabled, passing signals on); the warm path replays that spec without loading this plugin.
 *
 * TOOL and the flags in launchSpec() stand for your runtime's; what it must do is in
 * docs/plugins.md, "Runtime plugins": bind plan.home read-write and plan.binds in order (/nix/store
 * first, so the rootfs' symlinks resolve), give the container exactly the environment below, start
 * plan.argv in plan.workdir as the host user, and end the container on TERM/HUP/INT.
 */
import type { AnysnakePlugin, DoctorFinding, LaunchSpec, RunContext, RunPlan } from '@anysnake2/core/plugin-api';

export const RUNTIME = '__SHORT__';
/** The runtime's executable, looked up on PATH. */
export const TOOL = '__SHORT__';
const INSTALL_HINT = `install ${TOOL} and put it on PATH`;

/** Plain data, the same for every start with this plan: no temp names, no PIDs, no clock. */
export function launchSpec(plan: Readonly<RunPlan>, ctx: RunContext, tool: string): LaunchSpec {
  // Values may be secrets ([container.env], proxies): an owner-only file, never the command line.
  const envFile = `${ctx.scriptsDir}/${RUNTIME}-env.json`;
  const env = { ...plan.passEnv, ...plan.env, HOME: plan.home };
  const binds = [{ source: plan.home, target: plan.home, mode: 'rw' as const }, ...plan.binds];
  return {
    argv: [
      tool,
      '--root',
      plan.rootfs,
      ...binds.flatMap((b) => [b.mode === 'rw' ? '--bind' : '--ro-bind', b.source, b.target]),
      '--env-file',
      envFile,
      '--chdir',
      plan.workdir,
      '--',
      ...plan.argv,
    ],
    // In cleanup: it lives for one launch (two starts at once each get their own copy).
    files: [{ path: envFile, content: `${JSON.stringify(env)}\n`, mode: 0o600 }],
    cleanup: [envFile],
  };
}

const plugin: AnysnakePlugin = {
  name: RUNTIME,
  apply(api) {
    api.runtimes.register({
      name: RUNTIME,
      priority: 1, // for runtime = "auto": apptainer 100, singularity 90, bwrap 10, podman 5
      installHint: INSTALL_HINT,
      available: async () => (await api.which(TOOL)) !== undefined, // cheap: no processes
      async plan(plan, ctx) {
        const tool = await api.which(TOOL);
        if (!tool) throw new api.errors.ToolMissingError(`${TOOL} is not on PATH`, { hint: INSTALL_HINT });
        return launchSpec(plan, ctx, tool);
      },
      // `anysnake2 doctor` asks when this runtime is available or the project names it.
      async doctor(): Promise<DoctorFinding[]> {
        const tool = await api.which(TOOL);
        return [
          tool
            ? { id: `runtime.${RUNTIME}.tool`, status: 'ok', summary: `${TOOL} is ${tool}` }
            : { id: `runtime.${RUNTIME}.tool`, status: 'fail', summary: `${TOOL} is not on PATH`, fix: INSTALL_HINT },
        ];
      },
    });
  },
};

export default plugin;
