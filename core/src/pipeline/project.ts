/**
 * Opening a project: read anysnake2.toml, let every plugin register its sections and taps,
 * validate the whole file (all problems at once), show deprecations and warnings.
 */
import { basename, dirname, join, resolve } from 'node:path';
import type { Config as OclifConfig } from '@oclif/core';
import { loadConfigDocument } from '../config/load.js';
import { refreshCmdNamesCache } from '../cmd-names-cache.js';
import type { TomlDocument } from '../config/toml-document.js';
import { validateConfig } from '../config/validate.js';
import { applyPlugins, discoverPlugins, PLUGIN_HOOK_EVENT, type PluginHost } from '../plugin-host.js';
import { toolFilesOf } from '../warm/tool-files.js';
import type { ConfigView, ProjectPaths } from '../plugin-api.js';
import type { RecordingLogger } from '../log.js';
import { formatIssue } from '../errors.js';

export { FLAKE_DIR_NAME } from './project-paths.js';
import { FLAKE_DIR_NAME } from './project-paths.js';

export interface Project {
  readonly doc: TomlDocument;
  /** Files of the tool itself (core, plugins, user plugin list): the warm path re-checks them. */
  readonly toolFiles: readonly string[];
  readonly config: ConfigView;
  readonly host: PluginHost;
  readonly paths: ProjectPaths;
  readonly log: RecordingLogger;
  /** `--offline`: nothing may touch the network (plugins see it in their hook contexts). */
  readonly offline: boolean;
}

export interface OpenOptions {
  cwd: string;
  configPath?: string;
  log: RecordingLogger;
  offline?: boolean;
}

export async function openProject(oclif: Pick<OclifConfig, 'runHook' | 'version' | 'getPluginsList' | 'dataDir'>, options: OpenOptions): Promise<Project> {
  const doc = await loadConfigDocument(options.cwd, options.configPath);
  const host = await applyPlugins(await discoverPlugins(oclif), { log: options.log, version: oclif.version, dataDir: oclif.dataDir });
  const validated = validateConfig(doc, host.sections);
  for (const notice of validated.notices) options.log.notice(formatIssue({ ...notice, location: undefined }), notice.location);
  for (const warning of validated.warnings) options.log.warn(formatIssue({ ...warning, location: undefined }), warning.location);
  const sections = validated.sections;
  const config: ConfigView = {
    section: ((name: string) => sections.get(name)) as ConfigView['section'],
    has: (name) => sections.has(name),
    sectionNames: [...sections.keys()].sort(),
    locate: (path) => doc.locate(path),
    isWritten: (path) => {
      let node: unknown = doc.value;
      for (const key of path) {
        if (typeof node !== 'object' || node === null || !(key in node)) return false;
        node = (node as Record<string, unknown>)[key];
      }
      return true;
    },
  };
  // `.anysnake2_flake` lives in the working directory, even with -c pointing elsewhere (as in 2.x).
  const projectDir = resolve(options.cwd);
  const paths: ProjectPaths = { configFile: doc.file, projectDir, flakeDir: join(projectDir, FLAKE_DIR_NAME) };
  if (!options.configPath) refreshCmdNamesCache(paths.flakeDir, doc.value);
  // Listed when a run records its warm entry (a walk of every plugin's code folder), not for every command.
  const plugins = oclif.getPluginsList();
  let toolFiles: string[] | undefined;
  const listToolFiles = () =>
    (toolFiles ??= toolFilesOf(
      oclif.dataDir,
      plugins.map((plugin) => ({
        root: plugin.root,
        entries: (plugin.hooks[PLUGIN_HOOK_EVENT] ?? []).map((hook) => hook.target),
        // The core's lib/ is stamped by its folders (tool-files.ts): stat calls for its ~110 modules
        // on every warm start would cost more than the plugins' trees together.
        codeTree: plugin.isRoot ? 'folders' : 'files',
      })),
    ));
  return {
    doc,
    config,
    host,
    paths,
    log: options.log,
    get toolFiles() {
      return listToolFiles();
    },
    offline: Boolean(options.offline),
  };
}

/**
 * Open the project, pin what floats (trust on first use, written back to anysnake2.toml), and
 * re-open it when the file changed. What every command that builds or runs uses. The rewrite runs
 * under the project lock; when another anysnake2 (or the user) changed the file meanwhile, it is
 * read again and pinned from there — two first runs started together both succeed.
 */
export async function preparedProject(
  oclif: Parameters<typeof openProject>[0],
  options: OpenOptions & {
    /** Refusals that do not depend on pins (a run's missing volume): made before anything is written or said. */
    beforePinning?: (project: Project) => Promise<void>;
  },
): Promise<Project> {
  const [{ runTofu, ConfigChangedError }, { withProjectLock }] = await Promise.all([import('../tofu/engine.js'), import('./project-lock.js')]);
  for (let attempt = 1; ; attempt++) {
    const project = await openProject(oclif, options);
    if (attempt === 1) await options.beforePinning?.(project);
    if (attempt === 1) await removeInterruptedWrites(project);
    try {
      const lock = <T>(work: () => Promise<T>) => withProjectLock(project.paths.flakeDir, options.log, work);
      const outcome = await runTofu(project, { offline: options.offline, lock });
      return outcome.changed ? openProject(oclif, options) : project;
    } catch (error) {
      if (!(error instanceof ConfigChangedError) || attempt >= 3) throw error;
      options.log.info('anysnake2.toml changed while pinning it (another anysnake2?); reading it again');
    }
  }
}

/** Remove what an interrupted rewrite of anysnake2.toml (or of a flake file) left behind (fs-atomic.ts says when a temp file is stale). */
export async function removeInterruptedWrites(project: Pick<Project, 'paths' | 'log'>): Promise<void> {
  const { removeStaleTempFiles, writeTarget } = await import('../fs-atomic.js');
  const configTarget = await writeTarget(project.paths.configFile).catch(() => project.paths.configFile);
  for (const stale of [...(await removeStaleTempFiles(dirname(configTarget), basename(configTarget))), ...(await removeStaleTempFiles(project.paths.flakeDir))])
    project.log.info(`removed ${stale}, left behind by an interrupted write`);
}
