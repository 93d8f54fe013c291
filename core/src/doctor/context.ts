/** The doctor's shared view: the project opened once (or not at all), the plugins applied once. */
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { DEFAULT_CONFIG_NAME } from '../config/load.js';
import { createLogger } from '../log.js';
import { openProject } from '../pipeline/project.js';
import { applyPlugins, discoverPlugins, type PluginHost } from '../plugin-host.js';
import type { DoctorContext, ProjectState } from './finding.js';

export function createDoctorContext(
  oclif: Parameters<typeof openProject>[0],
  options: { cwd: string; configPath?: string; offline: boolean; env: NodeJS.ProcessEnv; verbose: boolean },
): DoctorContext {
  // Warnings become part of the config finding instead of lines between the findings.
  const log = createLogger({ verbose: options.verbose, quiet: true, stream: new Writable({ write: (_chunk, _enc, done) => done() }) });
  let project: Promise<ProjectState> | undefined;
  let plugins: Promise<PluginHost> | undefined;
  const open = async (): Promise<ProjectState> => {
    if (options.configPath === undefined) {
      const present = await access(join(options.cwd, DEFAULT_CONFIG_NAME)).then(
        () => true,
        () => false,
      );
      if (!present) return { kind: 'none' };
    }
    try {
      return { kind: 'open', project: await openProject(oclif, { cwd: options.cwd, configPath: options.configPath, log }) };
    } catch (error) {
      return { kind: 'broken', error };
    }
  };
  return {
    env: options.env,
    offline: options.offline,
    project: () => (project ??= open()),
    plugins: () =>
      (plugins ??= (async () => {
        const state = await (project ??= open());
        if (state.kind === 'open') return state.project.host;
        return applyPlugins(await discoverPlugins(oclif), { log, version: oclif.version, dataDir: oclif.dataDir });
      })()),
    configWarnings: () => log.warnings,
  };
}
