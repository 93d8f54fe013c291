/**
 * The core package's folder (package.json, bin/, nix/, examples/), found from this module's place:
 * the nearest folder above with a package.json. The same answer from tsc's dist/ tree and from the
 * bundled lib/ (scripts/bundle.mjs), where a module's code may live in a shared chunk at another depth.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

export function coreRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return (root = dir);
}
