/** Test helpers around the real Nix on this machine. */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const NIX_FLAGS = ['--extra-experimental-features', 'nix-command flakes'];

/**
 * Offline: no substituters, no registry lookups, no network. No build users either: root without
 * the nixbld group (Debian's nix-bin before its daemon is set up) then builds as itself.
 */
export const NIX_OFFLINE_CONFIG = ['substituters =', 'substitute = false', 'flake-registry =', 'sandbox = false', 'build-users-group ='].join('\n');

export function nixEnv(): NodeJS.ProcessEnv {
  return { ...process.env, NIX_CONFIG: NIX_OFFLINE_CONFIG };
}

/** Evaluate a Nix expression file strictly and return its JSON value. */
export function nixEvalJson(source: string): unknown {
  const dir = mkdtempSync(join(tmpdir(), 'as2-nix-eval-'));
  const file = join(dir, 'expr.nix');
  writeFileSync(file, source);
  const out = execFileSync('nix-instantiate', ['--eval', '--strict', '--json', file], { env: nixEnv(), encoding: 'utf8', maxBuffer: 64 << 20 });
  return JSON.parse(out);
}

export function nixParses(file: string): { ok: boolean; stderr: string } {
  const result = spawnSync('nix-instantiate', ['--parse', file], { env: nixEnv(), encoding: 'utf8' });
  return { ok: result.status === 0, stderr: result.stderr };
}
