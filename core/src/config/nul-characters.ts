/**
 * A NUL character (`\u0000`) can stand in a TOML string, but no file name, environment variable,
 * command line or Nix string can hold one: every key and string that contains one is a config error
 * at load, so nothing downstream (Nix, bash, a runtime) ever sees it.
 */
import type { TomlPath } from './toml-document.js';

interface Step {
  readonly parent?: Step;
  readonly key?: string | number;
}

function pathOf(step: Step): TomlPath {
  const path: (string | number)[] = [];
  for (let s: Step | undefined = step; s?.key !== undefined; s = s.parent) path.push(s.key);
  return path.reverse();
}

/**
 * The paths of every key and string value containing NUL. Iterative, with paths built only for
 * hits, so a deeply nested value costs neither stack nor quadratic memory.
 */
export function findNulCharacters(root: unknown): TomlPath[] {
  const found: TomlPath[] = [];
  const stack: [unknown, Step][] = [[root, {}]];
  while (stack.length > 0) {
    const [value, step] = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\0')) found.push(pathOf(step));
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => stack.push([item, { parent: step, key: i }]));
    } else if (typeof value === 'object' && value !== null && !(value instanceof Date)) {
      for (const [key, child] of Object.entries(value)) {
        if (key.includes('\0')) found.push(pathOf({ parent: step, key }));
        else stack.push([child, { parent: step, key }]);
      }
    }
  }
  return found.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
}

export const NUL_MESSAGE = 'contains a NUL character (\\u0000), which no file name, environment variable, command line or Nix string can hold';
export const NUL_HINT = 'remove the \\u0000 escape';
