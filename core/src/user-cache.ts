/** The user's cache directory for anysnake2: what can be rebuilt at any time, shared by every project. */
import { join } from 'node:path';

/** `$XDG_CACHE_HOME/anysnake2` (default `~/.cache/anysnake2`). node:os only without HOME: the code cache (code-cache.ts) asks on every light start. */
export function cacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME?.startsWith('/') ? env.XDG_CACHE_HOME : join(env.HOME || process.getBuiltinModule('node:os').homedir(), '.cache');
  return join(base, 'anysnake2');
}
