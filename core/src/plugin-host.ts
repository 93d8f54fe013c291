/**
 * Discovers plugins through oclif (every installed oclif plugin may answer the custom
 * `anysnake2:plugin` hook event), applies them in a fixed order, and keeps track of which plugin
 * is applying so hook taps and sections are attributed to it.
 */
import type { Config as OclifConfig } from '@oclif/core';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { schemaBuilder } from './schema-builder.js';
import { createCoreHooks } from './hooks.js';
import type { AnysnakePlugin, BuildFailureExplainer, CoreHooks, DoctorCheck, Logger, PluginApi, RuntimeDefinition } from './plugin-api.js';
import { API_VERSION, Stage } from './plugin-api.js';
import { SectionRegistryImpl } from './config/section-registry.js';
import { nix } from './nix/construct.js';
import * as vcs from './vcs/url.js';
import { credentialsOutOfArgv } from './vcs/git-credentials.js';
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
  /** Doctor checks the plugins contribute (`api.doctor.register`). */
  readonly doctorChecks: readonly (DoctorCheck & { owner: string })[];
}

function isAnysnakePlugin(value: unknown): value is AnysnakePlugin {
  return typeof value === 'object' && value !== null && typeof (value as AnysnakePlugin).name === 'string' && typeof (value as AnysnakePlugin).apply === 'function';
}

/** Ask oclif for every plugin that answers our hook event. */
export async function discoverPlugins(config: Pick<OclifConfig, 'runHook'>): Promise<{ plugin: AnysnakePlugin; packageName: string }[]> {
  const outcome = await config.runHook(PLUGIN_HOOK_EVENT, {}, undefined, true);
  const failure = outcome.failures[0];
  if (failure)
    throw new errors.AnysnakeError(`the plugin ${failure.plugin.name} failed to load: ${failure.error.message}`, {
      hint: `reinstall it or remove it with: anysnake2 plugins uninstall ${failure.plugin.name}`,
      cause: failure.error,
    });
  const found: { plugin: AnysnakePlugin; packageName: string }[] = [];
  for (const success of outcome.successes) {
    const declared = (success.plugin.pjson as { anysnake2?: { apiVersion?: unknown } }).anysnake2?.apiVersion;
    const problem = apiVersionProblem(declared);
    if (problem)
      throw new errors.IncompatiblePluginError(`the plugin ${success.plugin.name} ${success.plugin.version} ${problem}; this anysnake2 has plugin API ${API_VERSION}`, {
        hint: `update it (anysnake2 plugins update), or remove it: anysnake2 plugins uninstall ${success.plugin.name}`,
      });
    if (!isAnysnakePlugin(success.result)) throw new errors.AnysnakeError(`the plugin ${success.plugin.name} answered ${PLUGIN_HOOK_EVENT} without { name, apply }`);
    found.push({ plugin: success.result, packageName: success.plugin.name });
  }
  return found;
}

/**
 * Why a declared `anysnake2.apiVersion` rules a plugin out (undefined: it fits). Plugins that
 * declare nothing predate the field and are loaded; one that taps API 1's `run` hook gets a clear
 * error from that hook.
 */
export function apiVersionProblem(declared: unknown): string | undefined {
  if (declared === undefined) return undefined;
  const text = String(declared).trim();
  const versions = text.split('||').map((part) => part.trim().replace(/^\^/, ''));
  if (!versions.every((v) => /^\d+$/.test(v))) return `declares anysnake2.apiVersion ${JSON.stringify(declared)}, which is not a list of versions like "2" or "2 || 3"`;
  if (!versions.map(Number).includes(API_VERSION)) return `is written for plugin API ${text}`;
  return undefined;
}

export async function applyPlugins(
  discovered: readonly { plugin: AnysnakePlugin; packageName: string }[],
  context: { log: Logger; version: string /** oclif's data dir (ANYSNAKE2_DATA_DIR); plugin state lives below it. */; dataDir?: string },
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
  const doctorChecks: (DoctorCheck & { owner: string })[] = [];
  for (const { plugin, packageName } of ordered) {
    const clash = seen.get(plugin.name);
    if (clash) throw new errors.AnysnakeError(`two plugins are both named '${plugin.name}': ${clash} and ${packageName}`);
    seen.set(plugin.name, packageName);
    applying = plugin.name;
    const api: PluginApi = {
      name: plugin.name,
      hooks,
      Stage,
      paths: { stateDir: join(context.dataDir ?? join(homedir(), '.local', 'share', 'anysnake2'), 'plugin-state', plugin.name) },
      sections: sections.forPlugin(plugin.name),
      runtimes: {
        register(runtime) {
          const existing = runtimes.get(runtime.name);
          if (existing) throw new Error(`runtime '${runtime.name}' is registered by both '${existing.owner}' and '${plugin.name}'`);
          for (const method of ['available', 'plan'] as const)
            if (typeof runtime[method] !== 'function') throw new Error(`runtime '${runtime.name}' has no ${method}() (see docs/plugins.md, "Runtime plugins")`);
          // Bound, so the core can call them detached from the object the plugin passed.
          runtimes.set(runtime.name, {
            ...runtime,
            available: runtime.available.bind(runtime),
            plan: runtime.plan.bind(runtime),
            doctor: runtime.doctor?.bind(runtime),
            owner: plugin.name,
          });
        },
        list: () => [...runtimes.values()].map((r) => ({ name: r.name, imageKinds: [...(r.imageKinds ?? [])] })),
      },
      doctor: {
        register(check) {
          if (typeof check.run !== 'function') throw new Error(`doctor check '${check.name}' has no run()`);
          doctorChecks.push({ name: check.name, run: check.run.bind(check), owner: plugin.name });
        },
      },
      schema: schemaBuilder,
      nix,
      vcs: { ...vcs, credentialsOutOfArgv },
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
