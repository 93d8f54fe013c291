/**
 * Runs a RunPlan with bubblewrap. The rootfs is a symlink forest into /nix/store, so the container
 * root is a tmpfs with each top-level entry of the rootfs bound read-only; mount points for
 * volumes and home are created in that tmpfs. Only the plan's environment exists inside.
 *
 * The container has its own PID namespace (`--unshare-pid`) and dies with its parent
 * (`--die-with-parent`): when bwrap ends for any reason — anysnake2 killed, even with KILL,
 * or bwrap itself signalled — the kernel kills every process inside, so nothing of a run
 * survives it with the project mounted read-write.
 */
import { lstatSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { PluginApi, RunPlan } from '@anysnake2/core/plugin-api';

export const RUNTIME = 'bwrap';

/** The bwrap argument list for a plan (without the bwrap binary itself). */
export function bwrapArgs(plan: RunPlan, scriptsDir: string): string[] {
  const args = ['--unshare-pid', '--die-with-parent', '--tmpfs', '/'];
  for (const entry of readdirSync(plan.rootfs).sort()) {
    const path = join(plan.rootfs, entry);
    if (lstatSync(path).isSymbolicLink()) args.push('--symlink', readlinkSync(path), `/${entry}`);
    else args.push('--ro-bind', path, `/${entry}`);
  }
  args.push('--proc', '/proc', '--dev', '/dev', '--tmpfs', '/tmp', '--tmpfs', '/var/tmp');
  // The host user, as singularity would inject it.
  args.push('--ro-bind', join(scriptsDir, 'passwd'), '/etc/passwd', '--ro-bind', join(scriptsDir, 'group'), '/etc/group');
  args.push('--bind', plan.home, plan.home);
  for (const bind of plan.binds) args.push(bind.mode === 'rw' ? '--bind' : '--ro-bind', bind.source, bind.target);
  args.push('--clearenv');
  const env = { ...plan.passEnv, ...plan.env, HOME: plan.home };
  for (const name of Object.keys(env).sort()) args.push('--setenv', name, env[name as keyof typeof env]!);
  args.push('--chdir', plan.workdir, '--', ...plan.argv);
  return args;
}

export function register(api: PluginApi): void {
  api.runtimes.register({
    name: RUNTIME,
    priority: 10,
    installHint: 'apt-get install bubblewrap',
    available: async () => (await api.which('bwrap')) !== undefined,
  });
  api.hooks.run.tapPromise({ name: RUNTIME, stage: api.Stage.runtime }, async (plan, ctx) => {
    if (ctx.runtime !== RUNTIME) return undefined;
    const bwrap = await api.which('bwrap');
    if (!bwrap) throw new api.errors.ToolMissingError('bwrap is not installed', { hint: 'apt-get install bubblewrap' });
    const argv = [bwrap, ...bwrapArgs(plan, ctx.scriptsDir)];
    ctx.log.debug(`bwrap: ${api.shellQuote(argv)}`);
    return ctx.launch(argv);
  });
}
