/**
 * The proxy environment git, Nix (curl) and the PyPI client read: values curl would reject or
 * misread, and lower/upper-case pairs that disagree (curl ignores HTTP_PROXY, git does not).
 */
import { stripCredentials } from '../vcs/url.js';
import type { DoctorContext, Finding } from './finding.js';

const PROXY_VARS = ['http_proxy', 'https_proxy', 'all_proxy'];
const SCHEMES = new Set(['http:', 'https:', 'socks4:', 'socks4a:', 'socks5:', 'socks5h:']);

/** Why a proxy value is unusable, or undefined when it is fine. curl reads `host:port` as http. */
export function proxyProblem(value: string): string | undefined {
  if (/\s/.test(value.trim()) || value.trim() === '') return 'contains white space or is empty';
  const text = value.includes('://') ? value.trim() : `http://${value.trim()}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'is no URL (expected e.g. http://proxy.example.com:3128)';
  }
  if (!SCHEMES.has(url.protocol)) return `has the scheme ${url.protocol.slice(0, -1)}, which curl and git do not speak (use http://, https:// or socks5h://)`;
  if (!url.hostname) return 'names no host';
  if (url.pathname !== '/' && url.pathname !== '') return `has a path (${url.pathname}), which proxies do not use`;
  return undefined;
}

/** no_proxy entries curl ignores or misreads: schemes, paths, wildcards inside names. */
export function noProxyProblems(value: string): string[] {
  return value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)
    .flatMap((entry) => {
      if (entry === '*') return [];
      if (entry.includes('://')) return [`'${entry}' has a scheme (write the host only)`];
      if (/\*./.test(entry)) return [`'${entry}' uses a wildcard (write .example.com for the domain and its hosts)`];
      if (entry.includes('/') && !/^[\d.:a-f]+\/\d+$/i.test(entry)) return [`'${entry}' has a path (write the host only)`];
      return [];
    });
}

export async function checkProxy(ctx: DoctorContext): Promise<Finding[]> {
  const findings: Finding[] = [];
  const shown: string[] = [];
  for (const lower of PROXY_VARS) {
    const upper = lower.toUpperCase();
    for (const name of [lower, upper]) {
      const value = ctx.env[name];
      if (value === undefined) continue;
      shown.push(`${name}=${stripCredentials(value)}`);
      const problem = proxyProblem(value);
      if (problem)
        findings.push({
          id: `proxy.${name}`,
          status: 'fail',
          summary: `${name} ${problem}`,
          detail: `${name}=${stripCredentials(value)}`,
          fix: `export ${name}=http://<host>:<port> (or unset ${name})`,
        });
    }
    const [a, b] = [ctx.env[lower], ctx.env[upper]];
    if (a !== undefined && b !== undefined && a.trim() !== b.trim())
      findings.push({
        id: `proxy.${lower}-case`,
        status: 'warn',
        summary: `${lower} and ${upper} differ; curl (Nix) and git may use different proxies`,
        detail: `${lower}=${stripCredentials(a)}\n${upper}=${stripCredentials(b)}`,
        fix: `set both to the same value`,
      });
  }
  for (const name of ['no_proxy', 'NO_PROXY']) {
    const value = ctx.env[name];
    if (value === undefined) continue;
    shown.push(`${name}=${value}`);
    const problems = noProxyProblems(value);
    if (problems.length)
      findings.push({
        id: `proxy.${name}`,
        status: 'warn',
        summary: `${name} has entries curl and git ignore`,
        detail: problems.join('\n'),
        fix: `export ${name}=localhost,127.0.0.1,.example.com (hosts and domains, comma-separated)`,
      });
  }
  if (findings.length === 0)
    findings.push({
      id: 'proxy',
      status: 'ok',
      summary: shown.length ? 'proxy settings are well-formed' : 'no proxy set: direct connections',
      detail: shown.join('\n') || undefined,
    });
  return findings;
}
