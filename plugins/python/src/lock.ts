/**
 * Locking with uv (behaviour reference §14.2, improved): the lock lives in the project, next to
 * anysnake2.toml (`<config name>.uv.lock`), so it is committed with it; uv runs only when the lock
 * inputs changed, and it starts from the existing lock, so unrelated pins stay where they are.
 */
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { Logger, PluginApi, ProjectPaths, SourceLocation } from '@anysnake2/core/plugin-api';
import { explainUvFailure } from './uv-errors.js';

export interface LockRequest {
  readonly pyproject: string;
  /** `[python] uv_lock_env`. */
  readonly env: Readonly<Record<string, string>>;
  /** Flake reference of the uv to run, e.g. `github:pyproject-nix/uv2nix/<rev>#uv-bin`. */
  readonly uv: string;
  readonly ecosystemDate: string;
  readonly cutoff: string;
  /** More lock inputs that are not in the pyproject (patch_before_lock scripts). */
  readonly extraInputs?: string;
  /** Lays out what the pyproject's path sources point to, inside the lock's working directory. */
  readonly prepare?: (workDir: string) => Promise<void>;
  /** Files (relative to the working directory) that must exist to skip locking, e.g. Mercurial checkouts. */
  readonly needs?: readonly string[];
  /** Removed after locking: the writable copies only uv needs. */
  readonly scratch?: readonly string[];
  /** `--offline`: relocking (uv reaches the index) is an error instead. */
  readonly offline: boolean;
  /** Where `[python.packages]` is in the config, for uv's "no solution" error. */
  readonly packagesLocation?: SourceLocation;
}

export interface LockOutcome {
  readonly lock: string;
  readonly relocked: boolean;
  readonly lockFile: string;
}

/** Host variables that change what uv resolves against: part of the lock inputs. */
const INDEX_VARIABLES = ['UV_INDEX', 'UV_INDEX_URL', 'UV_DEFAULT_INDEX', 'UV_EXTRA_INDEX_URL', 'UV_FIND_LINKS'];

interface LockState {
  inputs: string;
  lock: string;
}

// node:crypto on first use (process.getBuiltinModule): loading it costs ~8 ms, and most commands hash nothing.
const sha256 = (text: string) => process.getBuiltinModule('node:crypto').createHash('sha256').update(text).digest('hex');

export function lockFileFor(paths: ProjectPaths): string {
  const config = paths.configFile;
  return join(dirname(config), `${basename(config, extname(config))}.uv.lock`);
}

function lockInputs(request: LockRequest): string {
  const env = Object.fromEntries(Object.entries(request.env).sort(([a], [b]) => (a < b ? -1 : 1)));
  const index = Object.fromEntries(INDEX_VARIABLES.filter((v) => process.env[v] !== undefined).map((v) => [v, process.env[v]]));
  return sha256(JSON.stringify({ pyproject: request.pyproject, env, index, uv: request.uv, extra: request.extraInputs ?? '' }));
}

export async function ensureLock(api: PluginApi, paths: ProjectPaths, log: Logger, request: LockRequest): Promise<LockOutcome> {
  const lockFile = lockFileFor(paths);
  const statePath = join(paths.flakeDir, '.uv-lock-state.json');
  // uv works where the flake reads the lock (`./uv`): relative path sources are recorded the same
  // way on every machine, and what they point to is where uv2nix looks for it.
  const work = join(paths.flakeDir, 'uv');
  const inputs = lockInputs(request);
  const existing = await readFile(lockFile, 'utf8').catch(() => undefined);
  const state = (await readFile(statePath, 'utf8').then(JSON.parse, () => undefined)) as LockState | undefined;
  const complete = (request.needs ?? []).every((path) => existsSync(join(work, path)));
  if (existing !== undefined && complete && state?.inputs === inputs && state.lock === sha256(existing)) return { lock: existing, relocked: false, lockFile };

  if (request.offline)
    throw new api.errors.UsageError(
      `--offline, but the Python lock must be made ${existing === undefined ? '' : 'again '}(${existing === undefined ? `${basename(lockFile)} does not exist` : 'its inputs changed'}), and uv needs the package index`,
      { hint: 'run once without --offline; afterwards the lock is reused offline' },
    );
  log.info(`Locking Python packages with uv as of ${request.ecosystemDate} (files uploaded before ${request.cutoff})…`);
  await mkdir(work, { recursive: true });
  try {
    await writeFile(join(work, 'pyproject.toml'), request.pyproject);
    await request.prepare?.(work);
    // uv keeps the versions of an existing lock that still satisfy the project: minimal changes.
    if (existing !== undefined) await copyFile(lockFile, join(work, 'uv.lock'));
    else await rm(join(work, 'uv.lock'), { force: true });
    const args = ['shell', request.uv, '-c', 'uv', 'lock'];
    const progress = api.progress();
    const result = await api.nixCli.try(args, {
      cwd: work,
      env: { ...process.env, ...request.env },
      onStderrLine: (line) => line.trim() && progress.update(`uv lock: ${line.trim()}`),
    });
    progress.done();
    if (result.exitCode !== 0) throw explainUvFailure(api, ['nix', ...args], result, request.packagesLocation);
    const lock = await readFile(join(work, 'uv.lock'), 'utf8');
    await api.writeFileAtomic(lockFile, lock);
    await writeFile(statePath, JSON.stringify({ inputs, lock: sha256(lock) } satisfies LockState));
    const count = (lock.match(/^\[\[package\]\]$/gm) ?? []).length - 1;
    log.info(`Locked ${count} Python package${count === 1 ? '' : 's'} into ${basename(lockFile)}`);
    return { lock, relocked: true, lockFile };
  } finally {
    for (const path of request.scratch ?? []) await rm(join(work, path), { recursive: true, force: true });
  }
}
