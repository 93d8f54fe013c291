/** The opt-in online suite (`npm run test:online`): real GitHub, PyPI and Nix, the user's own Nix configuration. */
import { spawnSync } from 'node:child_process';
import { BIN } from './cli.js';

async function reachable(url: string): Promise<boolean> {
  try {
    return (await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(10_000) })).ok;
  } catch {
    return false;
  }
}

/** Why the online tests cannot run here, or undefined when they can. */
export async function onlineSkipReason(): Promise<string | undefined> {
  if (spawnSync('nix', ['--version']).status !== 0) return 'needs Nix';
  for (const url of ['https://github.com', 'https://pypi.org/simple/', 'https://cache.nixos.org/nix-cache-info'])
    if (!(await reachable(url))) return `needs the network (${url} is unreachable)`;
  return undefined;
}

/** The real CLI with the user's environment (substituters, sandbox, proxies). */
export function anysnake2(args: string[], cwd: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
