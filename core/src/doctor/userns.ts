/**
 * Unprivileged user namespaces, which rootless containers (bwrap --unshare-user, apptainer
 * --userns) need: the kernel switches, then a real bubblewrap probe, since AppArmor or a
 * seccomp policy can still refuse what the switches allow.
 */
import { readFile } from 'node:fs/promises';
import { exec } from '../exec.js';
import { which } from '../which.js';
import type { DoctorContext, Finding } from './finding.js';

async function sysctl(path: string): Promise<number | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : Number(text.trim());
}

export async function checkUserNamespaces(ctx: DoctorContext): Promise<Finding[]> {
  const [clone, max, apparmor] = await Promise.all([
    sysctl('/proc/sys/kernel/unprivileged_userns_clone'),
    sysctl('/proc/sys/user/max_user_namespaces'),
    sysctl('/proc/sys/kernel/apparmor_restrict_unprivileged_userns'),
  ]);
  const findings: Finding[] = [];
  const root = process.getuid?.() === 0;
  if (max === 0)
    findings.push({
      id: 'runtime.userns',
      status: 'fail',
      summary: 'user namespaces are switched off (/proc/sys/user/max_user_namespaces is 0)',
      fix: "sysctl -w user.max_user_namespaces=15000, and keep it with 'user.max_user_namespaces = 15000' in /etc/sysctl.d/90-userns.conf",
    });
  else if (clone === 0 && !root)
    findings.push({
      id: 'runtime.userns',
      status: 'fail',
      summary: 'unprivileged user namespaces are switched off (/proc/sys/kernel/unprivileged_userns_clone is 0)',
      fix: "sysctl -w kernel.unprivileged_userns_clone=1, and keep it with 'kernel.unprivileged_userns_clone = 1' in /etc/sysctl.d/90-userns.conf (or make bwrap setuid root: chmod u+s $(command -v bwrap))",
    });
  else
    findings.push({
      id: 'runtime.userns',
      status: apparmor === 1 && !root ? 'warn' : 'ok',
      summary: `user namespaces enabled (max_user_namespaces ${max ?? 'unknown'}${clone === undefined ? '' : `, unprivileged_userns_clone ${clone}`})`,
      ...(apparmor === 1 && !root
        ? {
            detail: 'AppArmor restricts unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns = 1); programs without an AppArmor profile that allows them cannot create one',
            fix: 'keep the distribution bwrap (it has a profile), or sysctl -w kernel.apparmor_restrict_unprivileged_userns=0',
          }
        : {}),
    });

  const bwrap = await which('bwrap', ctx.env.PATH);
  if (bwrap) {
    const probe = await exec.try(bwrap, ['--unshare-user', '--ro-bind', '/', '/', 'true'], { env: ctx.env, timeoutMs: 20_000 });
    findings.push(
      probe.exitCode === 0
        ? { id: 'runtime.bwrap-probe', status: 'ok', summary: `${bwrap} --unshare-user --ro-bind / / true works` }
        : {
            id: 'runtime.bwrap-probe',
            status: 'fail',
            summary: 'bubblewrap cannot create a user namespace here',
            detail: `${bwrap} --unshare-user --ro-bind / / true exited ${probe.exitCode}: ${probe.stderr.trim().split('\n').slice(-3).join('\n')}`,
            fix: 'enable unprivileged user namespaces (sysctl -w kernel.unprivileged_userns_clone=1 and user.max_user_namespaces=15000), or inside a container start it with --privileged or a seccomp profile that allows unshare/clone(CLONE_NEWUSER)',
          },
    );
  }
  return findings;
}
