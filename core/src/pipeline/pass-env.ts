/**
 * Host variables that reach the container without being asked for, as HPC container runtimes
 * pass them with a clean environment: the terminal type (so editors and colours work), the proxy settings (so downloads
 * inside work behind a proxy), and the locale when set.
 */
import { rawEnv } from '../warm/env-reads.js';

const PROXIES = ['http_proxy', 'https_proxy', 'ftp_proxy', 'all_proxy', 'no_proxy'];

const NAMES = new Set(['TERM', 'LANG', 'LANGUAGE', ...PROXIES, ...PROXIES.map((name) => name.toUpperCase())]);

export const isPassed = (name: string) => NAMES.has(name) || name.startsWith('LC_');

/** The passed variables set on the host, except those the config sets itself. */
export function passEnv(recorded: NodeJS.ProcessEnv, configured: Record<string, string>): Record<string, string> {
  // Listed through the raw environment: the warm key always covers this family (warm-entry.ts).
  const hostEnv = rawEnv(recorded);
  const passed: Record<string, string> = {};
  for (const name of Object.keys(hostEnv).sort()) if (isPassed(name) && !(name in configured) && hostEnv[name] !== undefined) passed[name] = hostEnv[name]!;
  return passed;
}
