/**
 * Nix: installed and new enough (2.8, what the generated flakes and `--json` builds need), flakes
 * usable, the store reachable and writable, and build users that exist when Nix wants them.
 */
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { exec, type ExecResult } from '../exec.js';
import { NIX_FLAGS } from '../nix-cli/nix.js';
import { buildUsersProblem, groupMembers } from '../nix-cli/build-users.js';
import { which } from '../which.js';
import type { DoctorContext, Finding } from './finding.js';

const MINIMUM = [2, 8] as const;
const TIMEOUT_MS = 20_000;
const INSTALL = 'install Nix: https://nixos.org/download (Debian/Ubuntu: apt-get install nix-bin)';

interface NixSetting {
  value: unknown;
}

export async function checkNix(ctx: DoctorContext): Promise<Finding[]> {
  const nix = await which('nix', ctx.env.PATH);
  if (!nix) return [{ id: 'nix.present', status: 'fail', summary: 'nix is not on PATH', fix: INSTALL }];
  const run = (args: string[]) => exec.try(nix, args, { env: ctx.env, timeoutMs: TIMEOUT_MS });
  const [plain, withFlakes, ownConfig, settings, ping] = await Promise.all([
    run(['--version']),
    run([...NIX_FLAGS, '--version']),
    run(['show-config', '--json']),
    run([...NIX_FLAGS, 'show-config', '--json']),
    run([...NIX_FLAGS, 'store', 'ping']),
  ]);
  const findings = [versionFinding(nix, plain), flakesFinding(withFlakes)];
  if (withFlakes.exitCode !== 0) return findings;
  findings.push(userConfigFinding(ownConfig));
  const config = parseSettings(settings);
  findings.push(await storeFinding(ping));
  findings.push(await buildUsersFinding(config, ctx.env));
  return findings;
}

function lastLines(result: ExecResult): string {
  return (result.stderr + result.stdout).trim().split('\n').slice(-5).join('\n');
}

function versionFinding(nix: string, result: ExecResult): Finding {
  const match = result.stdout.match(/(\d+)\.(\d+)(?:\.(\d+))?/);
  if (result.exitCode !== 0 || !match) return { id: 'nix.version', status: 'fail', summary: `${nix} --version failed`, detail: lastLines(result), fix: INSTALL };
  const [major, minor] = [Number(match[1]), Number(match[2])];
  const version = match[0];
  if (major < MINIMUM[0] || (major === MINIMUM[0] && minor < MINIMUM[1]))
    return {
      id: 'nix.version',
      status: 'fail',
      summary: `Nix ${version} is too old (anysnake2 needs ${MINIMUM.join('.')} or newer)`,
      detail: nix,
      fix: 'upgrade Nix: https://nixos.org/download, or nix-env -iA nixpkgs.nixVersions.stable',
    };
  return { id: 'nix.version', status: 'ok', summary: `Nix ${version} (${nix})` };
}

function flakesFinding(result: ExecResult): Finding {
  if (result.exitCode === 0) return { id: 'nix.flakes', status: 'ok', summary: `flakes usable (nix ${NIX_FLAGS.join(' ')})` };
  return {
    id: 'nix.flakes',
    status: 'fail',
    summary: 'this Nix does not accept the flakes feature flags anysnake2 passes',
    detail: lastLines(result),
    fix: 'upgrade to Nix 2.8 or newer',
  };
}

/** anysnake2 passes the flags itself; this only matters for the `nix` commands people type. */
function userConfigFinding(result: ExecResult): Finding {
  const fix = "add 'experimental-features = nix-command flakes' to ~/.config/nix/nix.conf (or /etc/nix/nix.conf) to use them in your own nix commands";
  if (result.exitCode !== 0)
    return {
      id: 'nix.config-flakes',
      status: 'warn',
      summary: 'your Nix configuration does not enable nix-command and flakes (anysnake2 enables them for itself)',
      detail: lastLines(result),
      fix,
    };
  const features = parseSettingsText(result.stdout)['experimental-features']?.value;
  const list = Array.isArray(features) ? features.map(String) : String(features ?? '').split(/\s+/);
  if (list.includes('flakes')) return { id: 'nix.config-flakes', status: 'ok', summary: 'your Nix configuration enables nix-command and flakes' };
  return { id: 'nix.config-flakes', status: 'warn', summary: 'your Nix configuration enables nix-command but not flakes (anysnake2 enables them for itself)', fix };
}

function parseSettingsText(text: string): Record<string, NixSetting> {
  try {
    return JSON.parse(text) as Record<string, NixSetting>;
  } catch {
    return {};
  }
}

function parseSettings(result: ExecResult): Record<string, NixSetting> {
  return result.exitCode === 0 ? parseSettingsText(result.stdout) : {};
}

async function writable(path: string): Promise<boolean> {
  try {
    await access(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

async function storeFinding(ping: ExecResult): Promise<Finding> {
  if (ping.exitCode !== 0)
    return {
      id: 'nix.store',
      status: 'fail',
      summary: 'the Nix store is not reachable (nix store ping failed)',
      detail: lastLines(ping),
      fix: 'start the daemon (systemctl start nix-daemon) or, for a single-user install, make /nix writable for this user',
    };
  // Nix 2.8 prints the answer on stderr, later versions on stdout.
  const url = `${ping.stdout}\n${ping.stderr}`.match(/Store URL:\s*(\S+)/)?.[1] ?? 'unknown';
  if (url === 'daemon' || url.startsWith('unix://')) return { id: 'nix.store', status: 'ok', summary: `the Nix daemon answers (store ${url})` };
  if (url === 'local') {
    const blocked = [];
    for (const dir of ['/nix/store', '/nix/var/nix/db']) if (!(await writable(dir))) blocked.push(dir);
    if (blocked.length)
      return {
        id: 'nix.store',
        status: 'fail',
        summary: `the local Nix store is not writable: ${blocked.join(', ')}`,
        fix: 'run the Nix daemon (systemctl enable --now nix-daemon) or give this user ownership of /nix (single-user install)',
      };
    return { id: 'nix.store', status: 'ok', summary: 'the local Nix store is writable' };
  }
  // Without a daemon and with /nix not writable, Nix 2.4+ falls back to a store under ~/.local/share/nix/root.
  if (/^local\?root=|^\//.test(url))
    return {
      id: 'nix.store',
      status: 'warn',
      summary: `Nix uses the store ${url}`,
      detail: 'a store under your home directory works, but nothing is shared with other users and binary caches rarely apply',
      fix: 'install Nix with its daemon: https://nixos.org/download',
    };
  return { id: 'nix.store', status: 'ok', summary: `the Nix store answers (${url})` };
}

/** The failure seen on fresh Debian installs: root, the default `build-users-group = nixbld`, no such group. */
async function buildUsersFinding(settings: Record<string, NixSetting>, env: NodeJS.ProcessEnv): Promise<Finding> {
  const group = String(settings['build-users-group']?.value ?? '');
  if (process.getuid?.() !== 0) return { id: 'nix.build-users', status: 'ok', summary: 'not root: builds run as this user or through the daemon' };
  if (!group) return { id: 'nix.build-users', status: 'ok', summary: 'root without build users (build-users-group is empty): builds run as root' };
  const problem = await buildUsersProblem(group, env);
  if (problem) return { id: 'nix.build-users', status: 'fail', summary: problem.summary, detail: problem.detail, fix: problem.fix };
  const members = (await groupMembers(group, env)) ?? [];
  return { id: 'nix.build-users', status: 'ok', summary: `build users: group '${group}' with ${members.length} members` };
}
