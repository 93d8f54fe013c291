/**
 * `pypi` (trust on first use): the newest release on PyPI, from its JSON API
 * (`GET <base>/pypi/<name>/json` → `info.version`). `ANYSNAKE2_PYPI_URL` points it at a mirror
 * (or the test suite's local index).
 */
import type { PluginApi } from '@anysnake2/core/plugin-api';
import { httpGet, NotFound } from './http.js';

export function pypiBase(): string {
  return (process.env.ANYSNAKE2_PYPI_URL ?? 'https://pypi.org').replace(/\/+$/, '');
}

export async function newestOnPypi(api: PluginApi, name: string): Promise<string> {
  const url = `${pypiBase()}/pypi/${encodeURIComponent(name)}/json`;
  let body: Buffer;
  try {
    body = await httpGet(
      api,
      url,
      `ask PyPI for the newest ${name}`,
      'check the network and proxy settings (https_proxy, no_proxy), or write the version yourself: { version = "pypi:X" }',
    );
  } catch (error) {
    if (!(error instanceof NotFound)) throw error;
    throw new api.errors.ConfigError([{ path: `python.packages.${name}`, message: `PyPI has no package of that name (${url})`, hint: 'check the spelling of the key' }]);
  }
  const version = (JSON.parse(body.toString('utf8')) as { info?: { version?: unknown } }).info?.version;
  if (typeof version !== 'string' || version === '') throw new api.errors.ToolFailedError(`PyPI's answer for ${name} has no info.version (${url})`);
  return version;
}
