/** `anysnake2 doctor` for bwrap: a real probe, since AppArmor or seccomp can refuse what the kernel switches allow. */
import type { DoctorCheckContext, DoctorFinding, PluginApi } from '@anysnake2/core/plugin-api';

export async function bwrapDoctor(api: PluginApi, ctx: DoctorCheckContext): Promise<DoctorFinding[]> {
  const bwrap = await api.which('bwrap', ctx.env.PATH);
  if (!bwrap)
    return ctx.runtime === 'bwrap'
      ? [{ id: 'runtime.bwrap', status: 'fail', summary: '[container] runtime = "bwrap", but bwrap is not installed', fix: 'apt-get install bubblewrap' }]
      : [];
  const probe = await api.exec.try(bwrap, ['--unshare-user', '--ro-bind', '/', '/', 'true'], { env: ctx.env, timeoutMs: 20_000 });
  return [
    probe.exitCode === 0
      ? { id: 'runtime.bwrap-probe', status: 'ok', summary: `${bwrap} --unshare-user --ro-bind / / true works` }
      : {
          id: 'runtime.bwrap-probe',
          status: 'fail',
          summary: 'bubblewrap cannot create a user namespace here',
          detail: `${bwrap} --unshare-user --ro-bind / / true exited ${probe.exitCode}: ${probe.stderr.trim().split('\n').slice(-3).join('\n')}`,
          fix: 'enable unprivileged user namespaces (sysctl -w kernel.unprivileged_userns_clone=1 and user.max_user_namespaces=15000), or inside a container start it with --privileged or a seccomp profile that allows unshare/clone(CLONE_NEWUSER)',
        },
  ];
}
