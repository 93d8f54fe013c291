/**
 * Whether a string may name a new npm package (npm's own rules, as `npm init` applies them): what
 * `anysnake2 plugins new NAME` accepts, so the scaffold can be installed and published as named.
 */
import { builtinModules } from 'node:module';

const PATTERN = /^(?:@[a-z0-9~-][a-z0-9._~-]*\/)?[a-z0-9~-][a-z0-9._~-]*$/;

/** Why `name` cannot be a new package's name, or undefined when it can. */
export function npmNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'is empty';
  if (name.length > 214) return 'is longer than 214 characters';
  if (name !== name.toLowerCase()) return 'has capital letters';
  if (/^[._]/.test(name)) return 'starts with "." or "_"';
  if (!PATTERN.test(name)) return 'may hold only a-z, 0-9 and - . _ ~ (scoped: @scope/name)';
  const bare = unscoped(name);
  if (bare === 'node_modules' || bare === 'favicon.ico' || builtinModules.includes(name)) return 'is reserved';
  return undefined;
}

/** `@scope/name` → `name`. */
export function unscoped(name: string): string {
  return name.slice(name.indexOf('/') + 1);
}
