/**
 * A url naming a local directory (an absolute path, `git+file://…`) must name one that exists:
 * otherwise `check` would call the config valid and Nix would fail later with "getting status of
 * '…': No such file or directory" about its own copy of the flake.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { VcsSource } from '../vcs/url.js';
import { closest } from '../config/suggest.js';

/** The local directory a url names, if it names one. */
export function localPathOf(source: VcsSource): string | undefined {
  if (source.kind === 'path') return source.path;
  if (source.kind === 'git' && source.url.startsWith('file:')) {
    try {
      return fileURLToPath(source.url);
    } catch {
      return undefined; // Nix says what is wrong with a malformed file url
    }
  }
  return undefined;
}

export function missingLocalPath(source: VcsSource): { message: string; hint: string } | undefined {
  const path = localPathOf(source);
  if (path === undefined || existsSync(path)) return undefined;
  const parent = dirname(path);
  let suggestion: string | undefined;
  try {
    if (statSync(parent).isDirectory()) {
      const near = closest(basename(path), readdirSync(parent));
      if (near) suggestion = `${parent === '/' ? '' : parent}/${near}`;
    }
  } catch {
    // the parent is missing too: nothing close to suggest
  }
  return {
    message: `the local path ${path} does not exist${suggestion ? `; did you mean ${suggestion}?` : ''}`,
    hint: 'a local flake or repository is written as the absolute path of an existing directory',
  };
}
