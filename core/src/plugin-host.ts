/**
 * Discovers plugins through oclif (every installed oclif plugin may answer the custom
 * `anysnake2:plugin` hook event), applies them in a fixed order, and keeps track of which plugin
 * is applying so hook taps and sections are attributed to it.
 */
import type { Config as OclifConfig } from '@oclif/core';
import { Type } from '@sinclair/typebox';
import { createCoreHooks } from './hooks.js';
import type { AnysnakePlugin, BuildFailureExplainer, CoreHooks, Logger, PluginApi, PluginDoctorCheck, RuntimeDefinition } from './plugin-api.js';
import { Stage } from './plugin-api.js';
import { SectionRegistryImpl } from './config/section-registry.js';
import { nix } from './nix/construct.js';
import * as vcs from './vcs/url.js';
import * as errors from './errors.js';
import { exec } from './exec.js';
import { which } from './which.js';
import { shellQuote } from './shell-quote.js';
import { nixCli, terminalProgress } from './nix-cli/nix.js';
import { writeFileAtomic } from './fs-atomic.js';
import { isNetworkFailure } from './network-failure.js';
import { checkNixCode, checkVcsUrl } from './sections/common.js';

export const PLUGIN_HOOK_EVENT = 'anysnake2:plugin';

export interface PluginHost {
  readonly hooks: CoreHooks;
  readonly sections: SectionRegistryImpl;
  /** Container runtimes the plugins provide, by name. */
  readonly runtimes: ReadonlyMap<string, RuntimeDefinition & { owner: string }>;
  /** Names of the applied plugins with the oclif package each came from. */
  readonly plugins: readonly { name: string; packageName: string }[];
  /** What the plugins know about failed builds (`api.explainBuildFailure`). */
  readonly buildFailureExplainers: readonly BuildFailureExplainer[];
  /** The plugins' own `anysnake2 doctor` checks (`api.doctor`). */
  readonly doctorChecks: readonly (PluginDoctorCheck & { owner: string })[];
}

function isAnysnakePlugin(value: unknown): value is AnysnakePlugin {
  return (
    typeof value === 'object' && value !== null && typeof (value as AnysnakePlugin).name === 'string' && typeof (value as AnysnakePlugin).apply === 'function'
  );
}

/** Ask oclif for every plugin that answers our hook event. */
export async function discoverPlugins(config: Pick<OclifConfig, "runHook">): Promise<{ plugin: AnysnakePlugin; packageName: string }[]> {
  const outcome = await config.runHook(PLUGIN_HOOK_EVENT, {}, undefined, true);
  const failure = outcome.failures[0];
  if (failure)
    throw new errors.AnysnakeError(`the plugin ${failure.plugin.name} failed to load: ${failure.error.message}`, {
      hint: `reinstall it or remove it with: anysnake2 plugins uninstall ${failure.plugin.name}`,
      cause: failure.error,
    });
  const found: { plugin: AnysnakePlugin; packageName: string }[] = [];
  for (const success of outcome.successes) {
    if (!isAnysnakePlugin(success.result))
      throw new errors.AnysnakeError(`the plugin ${success.plugin.name} answered ${PLUGIN_HOOK_EVENT} without { name, apply }`);
    found.push({ plugin: success.result, packageName: success.plugin.name });
  }
  return found;
}

export async function applyPlugins(
  discovered: readonly { plugin: AnysnakePlugin; packageName: string }[],
  context: { log: Logger; version: string },
): Promise<PluginHost> {
  let applying = 'core';
  const hooks = createCoreHooks({ current: () => applying });
  const sections = new SectionRegistryImpl();
  const runtimes = new Map<string, RuntimeDefinition & { owner: string }>();
  // The core's own plugin first, then the rest by name: the same order on every machine.
  const ordered = [...discovered].sort((a, b) =>
    a.plugin.name === 'core' ? -1 : b.plugin.name === 'core' ? 1 : a.plugin.name < b.plugin.name ? -1 : a.plugin.name > b.plugin.name ? 1 : 0,
  );
  const seen = new Map<string, string>();
  const buildFailureExplainers: BuildFailureExplainer[] = [];
  const doctorChecks: (PluginDoctorCheck & { owner: string })[] = [];
  for (const { plugin, packageName } of ordered) {
    const clash = seen.get(plugin.name);
    if (clash) throw new errors.AnysnakeError(`two plugins are both named '${plugin.name}': ${clash} and ${packageName}`);
    seen.set(plugin.name, packageName);
    applying = plugin.name;
    const api: PluginApi = {
      name: plugin.name,
      hooks,
      Stage,
      sections: sections.forPlugin(plugin.name),
      runtimes: {
        register(runtime) {
          const existing = runtimes.get(runtime.name);
          if (existing) throw new Error(`runtime '${runtime.name}' is registered by both '${existing.owner}' and '${plugin.name}'`);
          runtimes.set(runtime.name, { ...runtime, owner: plugin.name });
        },
      },
      schema: Type,
      nix,
      vcs,
      exec,
      errors,
      log: context.log,
      checks: { vcsUrl: checkVcsUrl, nixCode: checkNixCode },
      which,
      shellQuote,
      version: context.version,
      nixCli,
      writeFileAtomic,
      explainBuildFailure: (explainer) => void buildFailureExplainers.push(explainer),
      doctor: { register: (check) => void doctorChecks.push({ ...check, owner: plugin.name }) },
      progress: () => terminalProgress(),
      isNetworkFailure,
      async ensureCheckouts(ctx, dir, checkouts) {
        const { ensureCheckouts } = await import('./pipeline/clones.js');
        await ensureCheckouts({ config: ctx.config, paths: ctx.project, log: ctx.log } as Parameters<typeof ensureCheckouts>[0], dir, checkouts);
      },
    };
    try {
      await plugin.apply(api);
    } catch (error) {
      throw new errors.PluginHookError(plugin.name, 'apply', error);
    }
  }
  applying = 'core';
  return { hooks, sections, runtimes, plugins: ordered.map(({ plugin, packageName }) => ({ name: plugin.name, packageName })), buildFailureExplainers, doctorChecks };
}
