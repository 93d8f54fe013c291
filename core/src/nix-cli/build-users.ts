/**
 * The trap of Debian's nix-bin run as root: Nix's `build-users-group` defaults to `nixbld`, the
 * package creates neither that group nor its users, and every build then fails with "the group
 * 'nixbld' specified in 'build-users-group' does not exist". `doctor` reports it; the build path
 * asks the same question once before the first nix command that builds, so the user gets the
 * exact fix instead of Nix's message halfway through a run.
 */
import { readFile } from 'node:fs/promises';
import { exec } from '../exec.js';
import { NixSetupError } from '../errors.js';

const TIMEOUT_MS = 20_000;

export interface BuildUsersProblem {
  readonly group: string;
  readonly summary: string;
  /** What Nix says when it meets the problem. */
  readonly detail: string;
  readonly fix: string;
}

/** Members of a group as the system's name service knows it (getent), else from /etc/group. */
export async function groupMembers(group: string, env: NodeJS.ProcessEnv = process.env): Promise<string[] | undefined> {
  let line: string | undefined;
  try {
    const entry = await exec.try('getent', ['group', group], { env, timeoutMs: TIMEOUT_MS });
    line = entry.exitCode === 0 ? entry.stdout.trim() : undefined;
  } catch {
    line = (await readFile('/etc/group', 'utf8').catch(() => '')).split('\n').find((l) => l.startsWith(`${group}:`));
  }
  return line === undefined ? undefined : (line.split(':')[3] ?? '').split(',').filter(Boolean);
}

export function buildUsersFix(group: string): string {
  return (
    `create the group and its users: groupadd -r ${group} && for n in $(seq 1 10); do useradd -r -M -N -g ${group} -G ${group} -s /usr/sbin/nologin ${group}$n; done` +
    " — or, for a single-user install, put 'build-users-group =' into /etc/nix/nix.conf"
  );
}

/** Whether root's builds will fail for want of build users; undefined when not root or all is well. */
export async function buildUsersProblem(group: string, env: NodeJS.ProcessEnv = process.env, uid = process.getuid?.()): Promise<BuildUsersProblem | undefined> {
  if (uid !== 0 || !group) return undefined;
  const members = await groupMembers(group, env);
  if (!members)
    return {
      group,
      summary: `build-users-group is '${group}', but that group does not exist`,
      detail: `as root, every Nix build fails with: error: the group '${group}' specified in 'build-users-group' does not exist`,
      fix: buildUsersFix(group),
    };
  if (members.length === 0)
    return {
      group,
      summary: `the build users group '${group}' has no members`,
      detail: `Nix fails with: error: the build users group '${group}' has no members`,
      fix: buildUsersFix(group),
    };
  return undefined;
}

/** The same problem recognised in Nix's own output (when the check before could not ask Nix). */
export function buildUsersFailure(output: string): NixSetupError | undefined {
  const match = /the group '([^']+)' specified in 'build-users-group' does not exist|the build users group '([^']+)' has no members/.exec(output);
  if (!match) return undefined;
  const group = match[1] ?? match[2]!;
  return new NixSetupError(`Nix cannot build as root here: ${match[0]}`, { hint: buildUsersFix(group) });
}

let checked: Promise<void> | undefined;

/**
 * Before the first nix command of this process that builds: as root, is `build-users-group` a
 * group with members? Costs one `nix show-config` (as root only, once); everyone else pays nothing.
 */
export function assertNixCanBuild(nixFlags: readonly string[]): Promise<void> {
  if (process.getuid?.() !== 0) return Promise.resolve();
  checked ??= (async () => {
    const settings = await exec.try('nix', [...nixFlags, 'show-config', '--json'], { timeoutMs: TIMEOUT_MS }).catch(() => undefined);
    if (settings?.exitCode !== 0) return; // Nix itself will say what is wrong
    let group = '';
    try {
      group = String((JSON.parse(settings.stdout) as Record<string, { value?: unknown }>)['build-users-group']?.value ?? '');
    } catch {
      return;
    }
    const problem = await buildUsersProblem(group);
    if (problem) throw new NixSetupError(`Nix cannot build as root here: ${problem.summary} (${problem.detail.replace(/^as root, /, '')})`, { hint: problem.fix });
  })();
  return checked;
}
