/**
 * Names from the config that become paths: `[cmd.<name>]` (→ .anysnake2_flake/run_scripts/<name>)
 * and `[clones.<dir>] <name>` (→ <project>/<dir>/<name>). A cloned anysnake2.toml is someone
 * else's text, so these are checked lexically at load — nothing here touches the file system —
 * and the writers check again against the real directories (pipeline/inside-project.ts).
 */
import { isAbsolute, posix, relative, resolve, sep } from 'node:path';
import { CantCreateError } from '../errors.js';
import { DEFAULT_CONFIG_NAME } from './default-name.js';
import { FLAKE_DIR_NAME } from '../pipeline/project-paths.js';

/** Words: letters, digits, `-`, `_`, `.`, not starting with `.`; short enough for any file system. */
const COMMAND_NAME = /^[\p{L}\p{N}_-][\p{L}\p{N}._-]*$/u;
const MAX_NAME = 100;

/** Why `name` cannot name a command, or undefined when it can. */
export function commandNameProblem(name: string): string | undefined {
  if (name.length > MAX_NAME) return `is longer than ${MAX_NAME} characters`;
  if (!COMMAND_NAME.test(name))
    return name.startsWith('.') ? 'must not start with "."' : 'must be one word: letters, digits, "-", "_" and "." (not first) only, because it names a directory';
  return undefined;
}

/** Why `[clones.<dir>]` is no place to clone into, or undefined when it is. */
export function cloneDirProblem(dir: string): string | undefined {
  if (dir === '') return 'is empty; write "." for the project directory itself';
  if (dir.startsWith('/') || dir.startsWith('~')) return 'must be relative to the project directory (no absolute paths, no ~)';
  if (dir.split('/').includes('..')) return 'must stay inside the project directory (no ".." in it)';
  if (dir.includes('\\')) return 'must not contain a backslash';
  return targetProblem(dir);
}

/** Why `<name>` is no name for a checkout in `[clones.<dir>]`, or undefined when it is. */
export function cloneNameProblem(dir: string, name: string): string | undefined {
  if (name === '' || name === '.' || name === '..') return 'must name a directory (not empty, ".", or "..")';
  if (name.includes('/') || name.includes('\\')) return 'must be one directory name, without "/" (put the path into the [clones.<dir>] header)';
  if (name.length > MAX_NAME * 2) return `is longer than ${MAX_NAME * 2} characters`;
  if (name === '.clone_info.json') return 'is the file anysnake2 records the clones in';
  return cloneDirProblem(dir) ? undefined : targetProblem(posix.join(dir, name));
}

/** The project's own files: the config, and the state directory. */
function targetProblem(relativePath: string): string | undefined {
  const normal = posix.normalize(relativePath);
  const first = normal.split('/')[0];
  if (first === FLAKE_DIR_NAME) return `must not be inside ${FLAKE_DIR_NAME}, which anysnake2 manages`;
  if (normal === DEFAULT_CONFIG_NAME) return `must not be the config file ${DEFAULT_CONFIG_NAME}`;
  return undefined;
}

/**
 * `base/<parts…>`, refusing (exit 73) anything that leaves `base` — the writers' second line of
 * defence behind the checks at load. Lexical on purpose: a directory the user symlinked elsewhere
 * (clones on a scratch disk) stays usable. `allowBase` accepts `base` itself (`[clones."."]`).
 */
export function pathInside(base: string, parts: readonly string[], options: { allowBase?: boolean } = {}): string {
  const path = resolve(base, ...parts);
  const rel = relative(base, path);
  const escapes = rel === '' ? !options.allowBase : rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel);
  if (escapes || parts.some((p) => p.includes('\0')))
    throw new CantCreateError(`refusing to write ${JSON.stringify(parts.join('/'))}: it is not inside ${base}`, {
      hint: 'names in anysnake2.toml must stay inside the project; run anysnake2 check',
    });
  return path;
}
