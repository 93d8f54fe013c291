/** Running the real CLI (core/bin/run.js) in temporary project directories. */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NIX_OFFLINE_CONFIG } from './nix.js';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const BIN = join(REPO, 'core', 'bin', 'run.js');
/**
 * ../shared beside the clone (or ANYSNAKE2_TEST_SHARED, e.g. for a worktree elsewhere): upstream
 * reference files are read from there, never copied in.
 */
export const SHARED = resolve(process.env.ANYSNAKE2_TEST_SHARED ?? join(REPO, '..', 'shared'));
export const FIXTURES = join(REPO, 'test', 'fixtures');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment every CLI run in the tests gets: offline Nix, GitHub/codeberg mapped onto the local git host. */
export function testEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { ...process.env, NO_COLOR: '1', NIX_CONFIG: NIX_OFFLINE_CONFIG, GIT_CONFIG_GLOBAL: join(gitHost(), 'gitconfig'), GIT_CONFIG_NOSYSTEM: '1', ...extra };
}

let githost: string | undefined;

/** The local stand-in for GitHub and codeberg (test/fixtures/prepare-githost.sh), once per test process. */
export function gitHost(): string {
  if (!githost) {
    githost = mkdtempSync(join(tmpdir(), 'as2-githost-'));
    execFileSync('bash', [join(FIXTURES, 'prepare-githost.sh'), githost], { stdio: 'inherit' });
  }
  return githost;
}

/** Longer than any single CLI run in the suite takes on a loaded CI machine (the slowest builds take ~3 min). */
const RUN_CLI_TIMEOUT_MS = 15 * 60_000;

export function runCli(args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): CliResult {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd: options.cwd,
    env: testEnv(options.env),
    encoding: 'utf8',
    // spawnSync blocks the test's event loop, so the test's own timeout cannot end a hung CLI: this does.
    timeout: RUN_CLI_TIMEOUT_MS,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.error && (result.error as NodeJS.ErrnoException).code === 'ETIMEDOUT')
    return {
      code: -1,
      stdout: result.stdout ?? '',
      stderr: `${result.stderr ?? ''}\n[test support] anysnake2 ${args.join(' ')} was killed after ${RUN_CLI_TIMEOUT_MS / 60_000} min`,
    };
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

let universe: string | undefined;

/** The offline fixture universe (mini-nixpkgs, flake-utils), prepared once per test process. */
export function fixtureUniverse(): string {
  if (!universe) {
    universe = mkdtempSync(join(tmpdir(), 'as2-universe-'));
    execFileSync('bash', [join(FIXTURES, 'prepare-universe.sh'), universe], { stdio: 'inherit' });
  }
  return universe;
}

/** A project whose nixpkgs and flake-utils are the local fixtures; `extra` is appended TOML. */
export function containerProject(extra = '', packages: string[] = ['hello', 'fixture-only']): string {
  const u = fixtureUniverse();
  return tempProject(
    [
      '[anysnake2]',
      'dtach = false',
      '[nixpkgs]',
      `url = "${u}/mini-nixpkgs"`,
      `packages = ${JSON.stringify(packages)}`,
      '[flake-util]',
      `url = "${u}/flake-utils"`,
      '[outside_nixpkgs]',
      `url = "${u}/mini-nixpkgs"`,
      extra,
    ].join('\n'),
  );
}
