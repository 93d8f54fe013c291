/**
 * The real upstream sources in ../shared/upstream (uv2nix, pyproject.nix, build-system-pkgs,
 * nixpkgs' lib, flake-utils, rust-overlay, the hammer overrides, nixR), extracted at run time into a
 * temp dir — never into the repository — and handed to Nix as `--override-input NAME path:DIR`.
 * Nixpkgs is test/fixtures/nixpkgs-eval-stub with nixpkgs' real lib copied in.
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, SHARED, testEnv } from './cli.js';
import { NIX_FLAGS } from './nix.js';

/** <repo>/../shared/upstream, or under ANYSNAKE2_TEST_SHARED (support/cli.ts). */
export const UPSTREAM = join(SHARED, 'upstream');

const TARBALLS = {
  uv2nix: 'pyproject-nix--uv2nix',
  pyprojectNix: 'pyproject-nix--pyproject.nix',
  buildSystemPkgs: 'pyproject-nix--build-system-pkgs',
  nixpkgsLib: 'nix-community--nixpkgs.lib',
  flakeUtils: 'numtide--flake-utils',
  rustOverlay: 'oxalica--rust-overlay',
  hammer: 'TyberiusPrime--uv2nix_hammer_overrides',
  nixR: 'TyberiusPrime--nixR',
} as const;

export type Upstreams = { readonly [K in keyof typeof TARBALLS]: string };

/** Why the tier cannot run here, or undefined. */
export function upstreamSkipReason(): string | undefined {
  for (const name of Object.values(TARBALLS))
    if (!existsSync(join(UPSTREAM, `${name}.tar.gz`))) return `needs the real upstream sources: ${join(UPSTREAM, `${name}.tar.gz`)} is absent (a plain clone has no ../shared)`;
  return undefined;
}

let extracted: { root: string; dirs: Upstreams } | undefined;

/** Extract every tarball once per test process (about 2 s). */
export function upstreams(): Upstreams {
  if (!extracted) {
    const root = mkdtempSync(join(tmpdir(), 'as2-upstream-'));
    for (const name of Object.values(TARBALLS)) execFileSync('tar', ['xzf', join(UPSTREAM, `${name}.tar.gz`), '-C', root]);
    const dirs = Object.fromEntries(Object.entries(TARBALLS).map(([k, v]) => [k, join(root, v)])) as Upstreams;
    // Inputs of upstream flakes that nothing here evaluates: an empty flake, and nix-systems' list.
    mkdirSync(join(root, 'empty-flake'));
    writeFileSync(join(root, 'empty-flake', 'flake.nix'), '{ outputs = _: { }; }\n');
    mkdirSync(join(root, 'systems'));
    writeFileSync(join(root, 'systems', 'flake.nix'), '{ outputs = _: { }; }\n');
    writeFileSync(join(root, 'systems', 'default.nix'), '[ "x86_64-linux" "aarch64-linux" "x86_64-darwin" "aarch64-darwin" ]\n');
    extracted = { root, dirs };
  }
  return extracted.dirs;
}

const stubs = new Map<string, string>();

/** The nixpkgs stand-in modelling `release` (see the stub's README), with nixpkgs' real lib. */
export function nixpkgsStub(release = '25.05'): string {
  let dir = stubs.get(release);
  if (!dir) {
    upstreams();
    dir = join(extracted!.root, `nixpkgs-${release}`);
    cpSync(join(FIXTURES, 'nixpkgs-eval-stub'), dir, { recursive: true });
    cpSync(join(upstreams().nixpkgsLib, 'lib'), join(dir, 'lib'), { recursive: true });
    writeFileSync(join(dir, 'release.nix'), `{ version = ${JSON.stringify(release)}; }\n`);
    stubs.set(release, dir);
  }
  return dir;
}

export interface EvalOptions {
  /** The nixpkgs release the stub models (default 25.05). */
  release?: string;
  /** Flake inputs kept as generated (e.g. the fixture nixR, whose real package sets are not in ../shared). */
  keep?: readonly string[];
  /** The attribute to evaluate (default the rootfs, packages.x86_64-linux.default). */
  attr?: string;
}

/** `--override-input` for every input the generated flake names that has a real upstream. */
export function overrideArgs(flakeNix: string, options: EvalOptions = {}): string[] {
  const u = upstreams();
  const root = extracted!.root;
  const has = (name: string) => new RegExp(`^    ${name.replace(/[-]/g, '\\-')} = \\{`, 'm').test(flakeNix) && !(options.keep ?? []).includes(name);
  const follows = (input: string, sub: string) => new RegExp(`${input} = \\{[^}]*inputs\\.${sub}\\.follows`).test(flakeNix);
  const args: [string, string][] = [];
  if (has('nixpkgs')) args.push(['nixpkgs', nixpkgsStub(options.release)]);
  if (has('flake-utils')) args.push(['flake-utils', u.flakeUtils], ['flake-utils/systems', join(root, 'systems')]);
  if (has('uv2nix')) {
    args.push(['uv2nix', u.uv2nix], ['uv2nix/pyproject-nix', u.pyprojectNix]);
    // Not following ours, uv2nix takes lib from its own (current) nixpkgs.
    if (!follows('uv2nix', 'nixpkgs')) args.push(['uv2nix/nixpkgs', nixpkgsStub()]);
  }
  if (has('pyproject-build-systems')) args.push(['pyproject-build-systems', u.buildSystemPkgs]);
  if (has('uv2nix_override_collection'))
    args.push(
      ['uv2nix_override_collection', u.hammer],
      ['uv2nix_override_collection/nixpkgs', nixpkgsStub()],
      ['uv2nix_override_collection/systems', join(root, 'systems')],
      ['uv2nix_override_collection/treefmt-nix', join(root, 'empty-flake')],
    );
  if (has('rust-overlay')) {
    args.push(['rust-overlay', u.rustOverlay]);
    if (!follows('rust-overlay', 'nixpkgs')) args.push(['rust-overlay/nixpkgs', nixpkgsStub()]);
  }
  return args.flatMap(([name, dir]) => ['--override-input', name, `path:${dir}`]);
}

export interface EvalResult {
  code: number;
  /** The .drv path on success. */
  drv: string;
  stderr: string;
}

/** `nix eval --raw path:FLAKE#ATTR.drvPath` with the real upstreams; async so two run at once. */
export function evalDrv(flakeDir: string, options: EvalOptions = {}): Promise<EvalResult> {
  const flakeNix = readFileSync(join(flakeDir, 'flake.nix'), 'utf8');
  const attr = options.attr ?? 'packages.x86_64-linux.default';
  const args = [
    ...NIX_FLAGS,
    'eval',
    ...(process.env.AS2_TRACE ? ['--show-trace'] : []),
    '--raw',
    '--no-eval-cache',
    '--no-write-lock-file',
    ...overrideArgs(flakeNix, options),
    `path:${flakeDir}#${attr}.drvPath`,
  ];
  return new Promise((resolve) => {
    // testEnv: offline Nix and the local git host (uv2nix fetches git sources with builtins.fetchGit).
    const child = spawn('nix', args, { env: testEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, drv: stdout.trim(), stderr: stderr.replace(/^(• .*|    ('|follows ).*)\n/gm, '') }));
  });
}

/** Every derivation in the closure of `drv`, by path, as `nix show-derivation --recursive` gives them. */
export function derivationClosure(drv: string): Record<string, { builder: string; env: Record<string, string>; inputDrvs: Record<string, string[]> }> {
  return JSON.parse(execFileSync('nix', [...NIX_FLAGS, 'show-derivation', '--recursive', drv], { env: testEnv(), encoding: 'utf8', maxBuffer: 256 << 20 }));
}

/** The files fetched with fetchurl in the closure (wheels and sdists), by file name. */
export function fetchedFiles(drv: string): string[] {
  return Object.values(derivationClosure(drv))
    .filter((d) => d.builder === 'builtin:fetchurl')
    .map((d) => decodeURIComponent((d.env.url ?? '').split('/').pop() ?? ''))
    .sort();
}

/** A copy of a generated flake dir to vary (a different uv lock, …) without touching the original. */
export function copyFlake(flakeDir: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'as2-flake-copy-'));
  cpSync(flakeDir, dir, { recursive: true, filter: (src) => !src.endsWith('/.git') });
  return dir;
}
