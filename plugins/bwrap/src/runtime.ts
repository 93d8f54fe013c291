/**
 * Runs a RunPlan with bubblewrap. The rootfs is a symlink forest into /nix/store, so the container
 * root is a tmpfs with each top-level entry of the rootfs bound read-only; mount points for
 * volumes and home are created in that tmpfs. Only the plan's environment exists inside.
 *
 * The container has its own PID namespace (`--unshare-pid`) and dies with its parent
 * (`--die-with-parent`): when bwrap ends for any reason — anysnake2 killed, even with KILL,
 * or bwrap itself signalled — the kernel kills every process inside, so nothing of a run
 * survives it with the project mounted read-write.
 *
 * The environment ([container.env] values, proxy variables with their credentials) never goes on
 * bwrap's command line, where `ps` and /proc/<pid>/cmdline show it to every user: its `--setenv`
 * arguments reach bwrap on descriptor 3 as `--args 3` (the LaunchSpec's `inputs`), so bwrap is the
 * one process anysnake2 starts.
 */
import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { LaunchSpec, PluginApi, RunPlan } from '@anysnake2/core/plugin-api';

export const RUNTIME = 'bwrap';

/** `[container] gpu`: the driver directory joins LD_LIBRARY_PATH (after what the config sets). */
export function gpuEnv(plan: Readonly<RunPlan>): Record<string, string> {
  if (!plan.gpu?.libraries.length) return {};
  const current = plan.env.LD_LIBRARY_PATH;
  return { LD_LIBRARY_PATH: current ? `${current}:${plan.gpu.libDir}` : plan.gpu.libDir };
}

/** The `--setenv` triples for a plan, NUL-separated as `bwrap --args FD` reads them. */
export function envArgsText(plan: Readonly<RunPlan>): string {
  const env = { ...plan.passEnv, ...plan.env, ...gpuEnv(plan), HOME: plan.home };
  return Object.keys(env)
    .sort()
    .flatMap((name) => ['--setenv', name, env[name as keyof typeof env]!])
    .map((word) => `${word}\0`)
    .join('');
}

/** The bwrap argument list for a plan (without the bwrap binary itself); the environment comes from `--args 3`. */
export function bwrapArgs(plan: Readonly<RunPlan>, scriptsDir: string): string[] {
  const args = ['--unshare-pid', '--die-with-parent', '--tmpfs', '/'];
  for (const entry of readdirSync(plan.rootfs).sort()) {
    const path = join(plan.rootfs, entry);
    if (lstatSync(path).isSymbolicLink()) args.push('--symlink', readlinkSync(path), `/${entry}`);
    else args.push('--ro-bind', path, `/${entry}`);
  }
  args.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp', '--tmpfs', '/var/tmp');
  // [container] gpu: the NVIDIA device nodes as they are (--dev-bind, into the fresh /dev) and the
  // driver's libraries, each under its ldconfig name (a bind follows the host's symlink).
  for (const device of plan.gpu?.devices ?? []) args.push('--dev-bind', device, device);
  for (const lib of plan.gpu?.libraries ?? []) args.push('--ro-bind', lib.path, `${plan.gpu!.libDir}/${lib.name}`);
  // The host user, as singularity would inject it.
  args.push('--ro-bind', join(scriptsDir, 'passwd'), '/etc/passwd', '--ro-bind', join(scriptsDir, 'group'), '/etc/group');
  args.push('--bind', plan.home, plan.home);
  for (const bind of plan.binds) args.push(bind.mode === 'rw' ? '--bind' : '--ro-bind', bind.source, bind.target);
  // Variables passed in at each start (a Slurm job's SLURM_*) come first from fd 4, so the plan's own (fd 3) win.
  args.push('--clearenv', ...(plan.envAtStart?.length ? ['--args', '4'] : []), '--args', '3');
  args.push('--chdir', plan.workdir, '--', ...plan.argv);
  return args;
}

/**
 * With `envAtStart` prefixes, bash hands bwrap (as fd 4) `--setenv` triples for its own variables
 * with those prefixes, as they are at this start (`${!SLURM_@}` names them), and becomes bwrap
 * (so signals reach bwrap itself); fd 3 passes through it. Without them there is no bash: undefined.
 */
export function openFds(plan: Readonly<RunPlan>): string | undefined {
  const prefixes = plan.envAtStart ?? [];
  if (prefixes.length === 0) return undefined;
  const names = prefixes.map((p) => `\${!${p}@}`).join(' ');
  return `exec "$@" 4< <(for n in ${names}; do printf -- '--setenv\\0%s\\0%s\\0' "$n" "\${!n}"; done)`;
}

export function register(api: PluginApi): void {
  api.runtimes.register({
    name: RUNTIME,
    priority: 10,
    installHint: 'apt-get install bubblewrap',
    available: async () => (await api.which('bwrap')) !== undefined,
    doctor: async (ctx) => (await import('./doctor.js')).bwrapDoctor(api, ctx),
    async plan(plan, ctx): Promise<LaunchSpec> {
      const bwrap = await api.which('bwrap');
      if (!bwrap) throw new api.errors.ToolMissingError('bwrap is not installed', { hint: 'apt-get install bubblewrap' });
      const fds = openFds(plan);
      const wrapper = fds ? [(await api.which('bash')) ?? 'bash', '-c', fds, 'anysnake2-bwrap'] : [];
      const argv = [...wrapper, bwrap, ...bwrapArgs(plan, ctx.scriptsDir)];
      ctx.log.debug(`bwrap: ${api.shellQuote(argv)}`);
      return { argv, inputs: [{ fd: 3, content: envArgsText(plan) }] };
    },
  });
}
