/**
 * Unprivileged user namespaces, which rootless container runtimes need: the kernel switches. Each runtime plugin's doctor then probes
 * its own tool, since AppArmor or a seccomp policy can still refuse what the switches allow.
 */
import { readFile } from 'node:fs/promises';
import type { DoctorContext, Finding } from './finding.js';

async function sysctl(path: string): Promise<number | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : Number(text.trim());
}

export async function checkUserNamespaces(_ctx: DoctorContext): Promise<Finding[]> {
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
      fix: "sysctl -w kernel.unprivileged_userns_clone=1, and keep it with 'kernel.unprivileged_userns_clone = 1' in /etc/sysctl.d/90-userns.conf (or use a runtime installed setuid root)",
    });
  else
    findings.push({
      id: 'runtime.userns',
      status: apparmor === 1 && !root ? 'warn' : 'ok',
      summary: `user namespaces enabled (max_user_namespaces ${max ?? 'unknown'}${clone === undefined ? '' : `, unprivileged_userns_clone ${clone}`})`,
      ...(apparmor === 1 && !root
        ? {
            detail:
              'AppArmor restricts unprivileged user namespaces (kernel.apparmor_restrict_unprivileged_userns = 1); programs without an AppArmor profile that allows them cannot create one',
            fix: "use your distribution's package of the runtime (it has a profile), or sysctl -w kernel.apparmor_restrict_unprivileged_userns=0",
          }
        : {}),
    });

  return findings;
}
