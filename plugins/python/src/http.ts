/**
 * HTTP for the Python plugin (PyPI's JSON API, sdist downloads): proxy-aware (http_proxy,
 * https_proxy, no_proxy), retried, and a TemporaryError (exit 75) when the server stays unreachable.
 * undici is loaded only when a request is made: pinned configs never pay for it.
 */
import type { PluginApi } from '@anysnake2/core/plugin-api';

const ATTEMPTS = 3;
const TIMEOUT_MS = 30_000;

export class NotFound extends Error {}

export async function httpGet(api: PluginApi, url: string, what: string, hint: string): Promise<Buffer> {
  const { fetch, EnvHttpProxyAgent } = await import('undici');
  const dispatcher = new EnvHttpProxyAgent();
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
