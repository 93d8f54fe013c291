/**
 * Which host variables a launch depends on, so the warm path fingerprints only those (a new
 * terminal or an unrelated variable keeps it): while the plan is built, `process.env` is a proxy
 * that records every name read — by the core, by enrichers and by the runtime alike, with no list
 * to keep. Code that lists the whole environment (e.g. spreads it into a child's) makes the
 * launch depend on all of it; the pass-env family is listed through the raw object, because
 * warm-entry.ts always fingerprints that family.
 */

/** The proxy answers this key with the environment object it wraps, without recording a read. */
export const RAW_ENV = Symbol.for('anysnake2.rawEnv');

/** A name list; `null` when the whole environment was listed (then all of it counts). */
export type EnvReads = string[] | null;

export function rawEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return ((env as Record<symbol, unknown>)[RAW_ENV] as NodeJS.ProcessEnv | undefined) ?? env;
}

/** Runs `fn` with process.env recording reads; nothing else may run meanwhile that reads it for another purpose. */
export async function recordEnvReads<T>(fn: () => Promise<T>): Promise<{ value: T; reads: EnvReads }> {
  const target = process.env;
  const names = new Set<string>();
  let listed = false;
  const proxy = new Proxy(target, {
    get(env, key) {
      if (key === RAW_ENV) return env;
      if (typeof key === 'string') names.add(key);
      return Reflect.get(env, key);
    },
    has(env, key) {
      if (typeof key === 'string') names.add(key);
      return Reflect.has(env, key);
    },
    getOwnPropertyDescriptor(env, key) {
      if (typeof key === 'string') names.add(key);
      return Reflect.getOwnPropertyDescriptor(env, key);
    },
    ownKeys(env) {
      listed = true;
      return Reflect.ownKeys(env);
    },
  });
  process.env = proxy;
  try {
    const value = await fn();
    return { value, reads: listed ? null : [...names].sort() };
  } finally {
    process.env = target;
  }
}
