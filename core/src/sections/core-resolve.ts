/**
 * The core's `resolve` tap (behaviour reference §2.16): the running anysnake2 version into a
 * missing [anysnake2] url2 (a git/GitHub url2 to its newest commit), nixpkgs and outside_nixpkgs to the newest
 * YY.MM release tag, flake-utils and clones to their newest commit, [dev_shell] defaults written
 * out, and nixpkgs.packages sorted.
 */
import type { Static } from '@sinclair/typebox';
import type { ResolveContext } from '../plugin-api.js';
import { byteOrder } from '../nix/construct.js';
import { rewriteCloneUrl } from '../vcs/clone-url.js';
import { npmPin, parseVersionPin, PinError } from '../self-version/pin.js';
import { runningPackage } from '../self-version/running.js';
import { DEFAULT_FLAKE_UTILS_URL, DEFAULT_NIXPKGS_URL, type clonesSchema, type nixpkgsSchema } from './core-sections.js';

/** nixpkgs releases: 24.05, 24.11, … */
export const NIXPKGS_RELEASE_TAG = /\d\d\.\d\d$/;

export function resolveCore(ctx: ResolveContext): void {
  const config = ctx.config;
  pinSelfVersion(ctx);
  const nixpkgs = config.section<Static<typeof nixpkgsSchema>>('nixpkgs');
  ctx.pinNewestTag(['nixpkgs', 'url'], nixpkgs?.url ?? DEFAULT_NIXPKGS_URL, NIXPKGS_RELEASE_TAG);
  ctx.pinNewestTag(['outside_nixpkgs', 'url'], config.section<{ url: string }>('outside_nixpkgs')?.url ?? DEFAULT_NIXPKGS_URL, NIXPKGS_RELEASE_TAG);
  ctx.pinNewest(['flake-util', 'url'], config.section<{ url: string }>('flake-util')?.url ?? DEFAULT_FLAKE_UTILS_URL, { checkExportSubst: true });

  const packages = nixpkgs?.packages ?? [];
  const sorted = [...packages].sort(byteOrder);
  if (sorted.some((p, i) => p !== packages[i])) ctx.pin({ path: ['nixpkgs', 'packages'], value: sorted, source: 'sorted' });

  // 2.x's `[devshell]` spelling (read as [dev_shell]): its values move into the [dev_shell] written here,
  // which would otherwise hold the defaults and make the old section ignored.
  const devShell = config.section<{ inputs?: string[]; shell?: string }>('dev_shell');
  for (const [key, fallback] of [
    ['inputs', []],
    ['shell', 'bash'],
  ] as const) {
    if (config.isWritten(['dev_shell', key])) continue;
    const old = config.isWritten(['devshell', key]) ? devShell?.[key] : undefined;
    ctx.pin({ path: ['dev_shell', key], value: old ?? fallback, source: old === undefined ? 'default' : `[devshell] ${key}, the old spelling` });
  }

  const clones = config.section<Static<typeof clonesSchema>>('clones') ?? {};
  const regexps = config.section<{ clone_regexps?: Record<string, string> }>('clone_options')?.clone_regexps ?? {};
  for (const [dir, entries] of Object.entries(clones)) for (const [name, url] of Object.entries(entries)) ctx.pinNewest(['clones', dir, name], rewriteCloneUrl(url, regexps));
}

/** §12: the project keeps the anysnake2 it was made with. "dev", npm and pins of the original (2.x) stay as written. */
function pinSelfVersion(ctx: ResolveContext): void {
  const url2 = ctx.config.section<{ url2?: string }>('anysnake2')?.url2;
  if (url2 === undefined) {
    const running = runningPackage();
    ctx.pin({ path: ['anysnake2', 'url2'], value: npmPin(running.version), source: `the running ${running.name}` });
  } else if (/^(github:|git\+)/.test(url2) && isFlakePin(url2)) ctx.pinNewest(['anysnake2', 'url2'], url2);
}

/** A flake of this project (not the original 2.x tool); a url2 that cannot pin is reported by the switch (src/self-version). */
function isFlakePin(url2: string): boolean {
  try {
    return parseVersionPin(url2).kind === 'nix';
  } catch (error) {
    if (error instanceof PinError) return false;
    throw error;
  }
}
