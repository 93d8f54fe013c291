/**
 * The few things commands need from oclif's Config (plugin discovery through the
 * `anysnake2:plugin` hook, the version, the plugin roots, the data folder), read from the
 * package.json files directly. Loading @oclif/core costs ~200 module files, more than the rest
 * of `check`; with this, the commands src/light/light-dispatch.ts serves start without it.
 *
 * It covers exactly the shipped setup: core and the plugins its package.json lists. Whenever the
 * user installed or linked plugins (the data folder's package.json lists any), a plugin lists
 * plugins of its own or declares its hook in a form other than a path, it returns undefined and
 * oclif takes over, so nothing oclif would find is ever missed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Config as OclifConfig } from '@oclif/core';
import { CORE_ROOT, oclifDataDir, packageRoot, type PackageJson } from '../command-words.js';

export type LightConfig = Pick<OclifConfig, 'runHook' | 'version' | 'getPluginsList' | 'dataDir'>;

interface LightPlugin {
  name: string;
  root: string;
  hookFile?: string;
  /** As oclif's plugin objects carry them: the API version check (plugin-host.ts) reads `pjson.anysnake2`. */
  version: string;
  pjson: PackageJson;
}

const readJson = (file: string): PackageJson => JSON.parse(readFileSync(file, 'utf8')) as PackageJson;

function hookFileOf(pjson: PackageJson, event: string): string | undefined | false {
  const hook = pjson.oclif?.hooks?.[event];
  if (hook === undefined) return undefined;
  return typeof hook === 'string' ? hook : false;
}

/**
 * `rootHook`: the core's own hook function, when the caller has it from its own bundle (the light
 * commands: full-path.ts); otherwise it is imported by its path in package.json, like any plugin's.
 */
export function lightConfig(event: string, root: string = CORE_ROOT, rootHook?: () => Promise<unknown>): LightConfig | undefined {
  try {
    const pjson = readJson(join(root, 'package.json'));
    const dataDir = oclifDataDir(pjson);
    const userFile = join(dataDir, 'package.json');
    if (existsSync(userFile)) {
      const user = readJson(userFile) as PackageJson;
      if (!user.oclif || !Array.isArray(user.oclif.plugins) || user.oclif.plugins.length > 0) return undefined;
    }
    const plugins: LightPlugin[] = [];
    const add = (name: string, pluginRoot: string, pkg: PackageJson): boolean => {
      const hookFile = hookFileOf(pkg, event);
      if (hookFile === false || (pkg.oclif?.plugins?.length && pluginRoot !== root)) return false;
      plugins.push({ name, root: pluginRoot, hookFile, version: pkg.version, pjson: pkg });
      return true;
    };
    if (!add(pjson.name, root, pjson)) return undefined;
    for (const name of pjson.oclif?.plugins ?? []) {
      // oclif loads only the listed plugins that are dependencies too.
      if (typeof name !== 'string') return undefined;
      if (!pjson.dependencies?.[name]) continue;
      const pluginRoot = packageRoot(name, root);
      if (!pluginRoot) return undefined;
      if (!add(name, pluginRoot, readJson(join(pluginRoot, 'package.json')))) return undefined;
    }
    return makeConfig(pjson.version, dataDir, plugins, event, root, rootHook);
  } catch {
    return undefined;
  }
}

/**
 * A hook module's default export. A shipped plugin's hook is also bundled as CommonJS beside it
 * (lib/index.js → lib/index.cjs, scripts/bundle-runtime.mjs): required, it starts no ES-module loader.
 */
async function loadHook(file: string): Promise<unknown> {
  const cjs = file.replace(/\.js$/, '.cjs');
  if (cjs !== file && existsSync(cjs)) return (createRequire(import.meta.url)(cjs) as { default?: unknown }).default;
  return ((await import(pathToFileURL(file).href)) as { default?: unknown }).default;
}

function makeConfig(version: string, dataDir: string, plugins: readonly LightPlugin[], event: string, root: string, rootHook?: () => Promise<unknown>): LightConfig {
  const runHook = async (name: string) => {
    if (name !== event) throw new Error(`the light config answers only ${event}, not ${name}`);
    const successes: { plugin: LightPlugin; result: unknown }[] = [];
    const failures: { plugin: LightPlugin; error: Error }[] = [];
    // Like oclif: every plugin's hook at once, failures collected.
    await Promise.all(
      plugins
        .filter((plugin) => plugin.hookFile)
        .map(async (plugin) => {
          try {
            const hook = rootHook && plugin.root === root ? await rootHook() : await loadHook(join(plugin.root, plugin.hookFile!));
            if (typeof hook !== 'function') throw new Error(`${plugin.hookFile} exports no hook function`);
            successes.push({ plugin, result: await (hook as (options: object) => unknown)({ config: undefined }) });
          } catch (error) {
            failures.push({ plugin, error: error instanceof Error ? error : new Error(String(error)) });
          }
        }),
    );
    return { successes, failures };
  };
  return {
    version,
    dataDir,
    getPluginsList: () =>
      plugins.map((plugin) => ({
        name: plugin.name,
        root: plugin.root,
        version: plugin.version,
        pjson: plugin.pjson,
        // As oclif marks the CLI's own package (the warm path stamps its code differently: tool-files.ts).
        isRoot: plugin.root === root,
        hooks: plugin.hookFile ? { [event]: [{ target: plugin.hookFile, identifier: 'default' }] } : {},
      })),
    runHook,
  } as unknown as LightConfig;
}
