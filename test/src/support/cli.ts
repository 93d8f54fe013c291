/** Running the real CLI (core/bin/run.js) in temporary project directories. */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const BIN = join(REPO, 'core', 'bin', 'run.js');
/** ../shared beside the clone: upstream reference files are read from there, never copied in. */
export const SHARED = resolve(REPO, '..', 'shared');
export const FIXTURES = join(REPO, 'test', 'fixtures');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    encoding: 'utf8',
  });
  return { code: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export function tempProject(toml?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'as2-project-'));
  if (toml !== undefined) writeFileSync(join(dir, 'anysnake2.toml'), toml);
  return dir;
}

export function copyToTemp(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'as2-copy-'));
  cpSync(source, dir, { recursive: true });
  return dir;
}
