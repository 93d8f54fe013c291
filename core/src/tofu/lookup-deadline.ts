/**
 * One bound on the whole lookup phase of trust on first use. Each remote query keeps its own
 * timeout and retries (vcs/git-remote.ts), but a host that never answers would otherwise cost
 * attempts × timeout (93 s by default) per run. After a few seconds a line names the host that is
 * slow; when the bound is reached every query is stopped and the run ends with exit 75, naming the
 * hosts, before anything was written.
 */
import { TemporaryError, UsageError } from '../errors.js';
import type { QueryInFlight } from '../vcs/git-remote.js';

export const LOOKUP_TIMEOUT_ENV = 'ANYSNAKE2_LOOKUP_TIMEOUT_MS';
export const DEFAULT_LOOKUP_TIMEOUT_MS = 20_000;
/** When a query counts as slow enough to name its host (earlier when the whole bound is short). */
const SLOW_AFTER_MS = 3_000;

/** The bound from the environment (docs/configuration.md), or the default. */
export function lookupTimeoutMs(env: NodeJS.ProcessEnv = process.env): number {
  const text = env[LOOKUP_TIMEOUT_ENV];
  if (text === undefined || text === '') return DEFAULT_LOOKUP_TIMEOUT_MS;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0)
    throw new UsageError(`${LOOKUP_TIMEOUT_ENV}=${text} is not a number of milliseconds`, {
      hint: `unset it (default ${DEFAULT_LOOKUP_TIMEOUT_MS}) or write e.g. ${LOOKUP_TIMEOUT_ENV}=60000`,
    });
  return value;
}

export interface LookupWatch {
  /** Rejects with exit 75 when the bound is reached (after aborting `controller`). Never resolves. */
  readonly expired: Promise<never>;
  stop(): void;
}

/**
 * Watch the phase: `waiting()` lists what has not answered yet (remote queries with their host,
 * or a plugin lookup described by its source); `say` prints one line on stderr.
 */
export function watchLookups(options: { timeoutMs: number; controller: AbortController; waiting: () => QueryInFlight[]; say: (line: string) => void; file: string }): LookupWatch {
  const { timeoutMs, controller, waiting, say } = options;
  const started = Date.now();
  const slowAfter = Math.min(SLOW_AFTER_MS, timeoutMs / 2);
  const named = new Set<string>();
  const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;
  const ticker = setInterval(
    () => {
      const now = Date.now();
      for (const query of waiting()) {
        if (now - query.since < slowAfter || named.has(query.host)) continue;
        named.add(query.host);
        say(`waiting for ${query.host} (${query.command}): no answer for ${seconds(now - query.since)}; giving up ${seconds(timeoutMs - (now - started))} from now`);
      }
    },
    Math.max(100, Math.min(1_000, slowAfter / 2)),
  );
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const hosts = [...new Set(waiting().map((q) => q.host))];
      controller.abort();
      reject(
        new TemporaryError(
          `looking up floating values took longer than ${seconds(timeoutMs)}${hosts.length ? `: no answer from ${hosts.join(', ')}` : ''}; ${options.file} was not changed`,
          { hint: `check the network and proxy settings (https_proxy, no_proxy), or allow more time: ${LOOKUP_TIMEOUT_ENV}=${Math.max(60_000, timeoutMs * 3)}` },
        ),
      );
    }, timeoutMs);
  });
  expired.catch(() => {}); // reported by whoever awaits it; no unhandled rejection after stop()
  return {
    expired,
    stop() {
      clearInterval(ticker);
      clearTimeout(timer);
    },
  };
}
