/**
 * The typed tapable hooks (enrichRun wraps one: its taps return additions the core merges). Created with argument names (tapable compiles its callers from
 * them), frozen so plugins can tap but not replace them, and intercepted so every tap failure is
 * attributed to the plugin that registered it: `[node] emitFlake: …`.
 */
import { AsyncSeriesHook } from './vendor/tapable.js';
import type { Bind, CoreHooks, EnrichRunHook, HookName, RunAdditions, RunContext, RunPlan } from './plugin-api.js';
import { IncompatiblePluginError, PluginHookError } from './errors.js';
import { API_VERSION } from './plugin-api.js';

export interface HookOwnerTracker {
  /** The plugin whose `apply()` is running: taps registered now belong to it. */
  current(): string;
}

export function createCoreHooks(owner: HookOwnerTracker): CoreHooks {
  const hooks: CoreHooks = {
    resolve: new AsyncSeriesHook(['context']),
    emitFlake: new AsyncSeriesHook(['flake', 'context']),
    postBuild: new AsyncSeriesHook(['result', 'context']),
    enrichRun: new EnrichRunHookImpl(),
  };
  for (const name of Object.keys(hooks) as HookName[]) {
    const hook = hooks[name];
    attributeErrors(name, hook instanceof EnrichRunHookImpl ? hook.inner : (hook as { intercept(i: object): void }), owner);
  }
  // API 1's bail hook: a plugin that still taps it learns what replaced it, at load.
  Object.defineProperty(hooks, 'run', {
    enumerable: false,
    get() {
      throw new IncompatiblePluginError(
        `uses hooks.run, which plugin API ${API_VERSION} replaced: a runtime registers plan() with api.runtimes.register, an enricher taps hooks.enrichRun`,
        {
          hint: 'update the plugin (see docs/plugins.md), or remove it with anysnake2 plugins uninstall',
        },
      );
    },
  });
  return Object.freeze(hooks);
}

type TapOptions = string | { name: string; stage?: number };

/**
 * Enrichers see the plan frozen and return what they add, so none can remove or rewrite what
 * another contributed, and the order of taps (stage, then plugin name) decides what later ones see.
 */
export class EnrichRunHookImpl implements EnrichRunHook {
  /** Each tap reads `state.plan` when it runs (tapable passes the same arguments to all taps). */
  readonly inner = new AsyncSeriesHook<[{ plan: Readonly<RunPlan> }, RunContext]>(['state', 'context']);

  tap(options: TapOptions, fn: (plan: Readonly<RunPlan>, context: RunContext) => RunAdditions | undefined | void): void {
    this.inner.tapPromise(options, async (state, context) => merge(state, fn(state.plan, context)));
  }

  tapPromise(options: TapOptions, fn: (plan: Readonly<RunPlan>, context: RunContext) => Promise<RunAdditions | undefined | void>): void {
    this.inner.tapPromise(options, async (state, context) => merge(state, await fn(state.plan, context)));
  }

  /** The plan with every tap's additions merged; each tap sees a frozen copy of what came before. */
  async promise(plan: RunPlan, context: RunContext): Promise<RunPlan> {
    const state = { plan: freezePlan(plan) };
    await this.inner.promise(state, context);
    const final = state.plan;
    return {
      ...final,
      binds: [...final.binds],
      env: { ...final.env },
      argv: [...final.argv],
      passEnv: final.passEnv && { ...final.passEnv },
      envAtStart: final.envAtStart && [...final.envAtStart],
    };
  }
}

function merge(state: { plan: Readonly<RunPlan> }, additions: RunAdditions | undefined | void): void {
  if (additions) state.plan = freezePlan(mergeAdditions(state.plan, additions));
}

function mergeAdditions(plan: Readonly<RunPlan>, additions: RunAdditions): RunPlan {
  const binds: Bind[] = [...plan.binds, ...(additions.binds ?? []).map((b) => ({ source: b.source, target: b.target, mode: b.mode }))];
  const merged: RunPlan = { ...plan, binds, env: { ...plan.env, ...additions.env } };
  for (const prefix of additions.envAtStart ?? []) {
    // A prefix becomes part of a shell word in the runtimes' wrappers: a name's characters only.
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(prefix)) throw new Error(`envAtStart: ${JSON.stringify(prefix)} is not the start of a variable name`);
    if (!merged.envAtStart?.includes(prefix)) merged.envAtStart = [...(merged.envAtStart ?? []), prefix];
  }
  return merged;
}

function freezePlan(plan: RunPlan | Readonly<RunPlan>): Readonly<RunPlan> {
  return Object.freeze({
    ...plan,
    binds: Object.freeze(plan.binds.map((b) => Object.freeze({ ...b }))) as Bind[],
    env: Object.freeze({ ...plan.env }),
    passEnv: plan.passEnv && Object.freeze({ ...plan.passEnv }),
    envAtStart: plan.envAtStart && (Object.freeze([...plan.envAtStart]) as string[]),
    argv: Object.freeze([...plan.argv]) as string[],
  });
}

type AnyTap = { type: string; name: string; fn: (...args: unknown[]) => unknown };

function attributeErrors(hookName: HookName, hook: { intercept(i: object): void }, owner: HookOwnerTracker): void {
  hook.intercept({
    register(tap: AnyTap): AnyTap {
      const plugin = owner.current();
      const fn = tap.fn;
      const wrap = (error: unknown) => (error instanceof PluginHookError ? error : new PluginHookError(plugin, hookName, error));
      if (tap.type === 'promise' || tap.type === 'sync') {
        return {
          ...tap,
          // Sync taps are run as promise taps so a thrown error is caught and attributed too.
          type: 'promise',
          fn: async (...args: unknown[]) => {
            try {
              return await fn(...args);
            } catch (error) {
              throw wrap(error);
            }
          },
        };
      }
      // Callback-style taps: the last argument is the callback.
      return {
        ...tap,
        fn: (...args: unknown[]) => {
          const callback = args.pop() as (error?: unknown, result?: unknown) => void;
          try {
            fn(...args, (error?: unknown, result?: unknown) => callback(error ? wrap(error) : undefined, result));
          } catch (error) {
            callback(wrap(error));
          }
        },
      };
    },
  });
}
