/**
 * The four typed tapable hooks. Created with argument names (tapable compiles its callers from
 * them), frozen so plugins can tap but not replace them, and intercepted so every tap failure is
 * attributed to the plugin that registered it: `[rust] emitFlake: …`.
 */
import { AsyncSeriesHook, AsyncSeriesBailHook } from './vendor/tapable.js';
import type { CoreHooks, HookName } from './plugin-api.js';
import { PluginHookError } from './errors.js';

export interface HookOwnerTracker {
  /** The plugin whose `apply()` is running: taps registered now belong to it. */
  current(): string;
}

export function createCoreHooks(owner: HookOwnerTracker): CoreHooks {
  const hooks: CoreHooks = {
    resolve: new AsyncSeriesHook(['context']),
    emitFlake: new AsyncSeriesHook(['flake', 'context']),
    postBuild: new AsyncSeriesHook(['result', 'context']),
    run: new AsyncSeriesBailHook(['plan', 'context']),
  };
  for (const name of Object.keys(hooks) as HookName[]) attributeErrors(name, hooks[name], owner);
  return Object.freeze(hooks);
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
