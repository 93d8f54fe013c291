/**
 * `pypi` (trust on first use): the newest release on PyPI, from its JSON API
 * (`GET <base>/pypi/<name>/json` → `info.version`). Honours http(s)_proxy/no_proxy, retries
 * transient failures, and fails with exit 75 (try again later) when PyPI stays unreachable.
 * `ANYSNAKE2_PYPI_URL` points it at a mirror (or the test suite's local index).
 */
import type { PluginApi } from '@anysnake2/core/plugin-api';

const ATTEMPTS = 3;
const TIMEOUT_MS = 20_000;

export function pypiBase(): string {
  return (process.env.ANYSNAKE2_PYPI_URL ?? 'https://pypi.org').replace(/\/+$/, '');
}

export async function newestOnPypi(api: PluginApi, name: string): Promise<string> {
  const url = `${pypiBase()}/pypi/${encodeURIComponent(name)}/json`;
  // undici is only loaded on this path: pinned configs never pay for it.
  const { fetch, EnvHttpProxyAgent } = await import('undici');
  const dispatcher = new EnvHttpProxyAgent();
  let lastError = '';
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      const response = await fetch(url, { dispatcher, signal: AbortSignal.timeout(TIMEOUT_MS), headers: { accept: 'application/json' } });
      if (response.status === 404)
        throw new api.errors.ConfigError([
          { path: `python.packages.${name}`, message: `PyPI has no package of that name (${url})`, hint: 'check the spelling of the key' },
        ]);
      if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`);
      const body = (await response.json()) as { info?: { version?: unknown } };
      const version = body.info?.version;
      if (typeof version !== 'string' || version === '') throw new api.errors.ToolFailedError(`PyPI's answer for ${name} has no info.version (${url})`);
      return version;
    } catch (error) {
      if (error instanceof api.errors.AnysnakeError) throw error;
      lastError = error instanceof Error ? `${error.message}${error.cause instanceof Error ? `: ${error.cause.message}` : ''}` : String(error);
      if (attempt < ATTEMPTS) await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
  throw new api.errors.TemporaryError(`could not ask PyPI for the newest ${name}: ${url}: ${lastError}`, {
    hint: 'check the network and proxy settings (https_proxy, no_proxy), or write the version yourself: { version = "pypi:X" }',
  });
}
