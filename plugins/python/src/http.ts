/**
 * HTTP for the Python plugin (PyPI's JSON API, sdist downloads): proxy-aware (http_proxy,
 * https_proxy, no_proxy), retried, and a TemporaryError (exit 75) when the server stays unreachable.
 * undici is loaded only when a request is made: pinned configs never pay for it.
 */
import type { PluginApi } from '@anysnake2/core/plugin-api';

const ATTEMPTS = 3;
const TIMEOUT_MS = 30_000;

export class NotFound extends Error {}

/** The proxy for a URL from http_proxy/https_proxy/no_proxy (either case), as curl reads them. */
export function proxyFor(url: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const target = new URL(url);
  const pick = (name: string) => env[name.toLowerCase()] || env[name.toUpperCase()] || undefined;
  const proxy = target.protocol === 'https:' ? (pick('https_proxy') ?? pick('all_proxy')) : (pick('http_proxy') ?? pick('all_proxy'));
  if (!proxy) return undefined;
  const host = target.hostname.toLowerCase();
  const bypass = (pick('no_proxy') ?? '')
    .split(',')
    .map((entry) => entry.trim().toLowerCase().replace(/:\d+$/, ''))
    .filter(Boolean)
    .some((entry) => entry === '*' || host === entry.replace(/^\./, '') || host.endsWith(entry.startsWith('.') ? entry : `.${entry}`));
  return bypass ? undefined : proxy;
}

export async function httpGet(api: PluginApi, url: string, what: string, hint: string): Promise<Buffer> {
  const { fetch, ProxyAgent } = await import('undici');
  const proxy = proxyFor(url);
  const dispatcher = proxy ? new ProxyAgent(proxy) : undefined;
  let lastError = '';
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      const response = await fetch(url, { dispatcher, signal: AbortSignal.timeout(TIMEOUT_MS) });
      if (response.status === 404) throw new NotFound(`${url}: 404 Not Found`);
      if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
      return Buffer.from(await response.arrayBuffer());
    } catch (error) {
      if (error instanceof NotFound) throw error;
      lastError = error instanceof Error ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}` : String(error);
      if (attempt < ATTEMPTS) await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
  throw new api.errors.TemporaryError(`could not ${what}: ${url}: ${lastError}`, { hint });
}
