/**
 * Opening a project: read anysnake2.toml, let every plugin register its sections and taps,
 * validate the whole file (all problems at once), show deprecations and warnings.
 */
import { join, resolve } from 'node:path';
import type { Config as OclifConfig } from '@oclif/core';
import { loadConfigDocument } from '../config/load.js';
import type { TomlDocument } from '../config/toml-document.js';
import { validateConfig } from '../config/validate.js';
import { applyPlugins, discoverPlugins, type PluginHost } from '../plugin-host.js';
import type { ConfigView, Logger, ProjectPaths } from '../plugin-api.js';
import { formatIssue } from '../errors.js';

export const FLAKE_DIR_NAME = '.anysnake2_flake';

export interface Project {
  readonly doc: TomlDocument;
  readonly config: ConfigView;
  readonly host: PluginHost;
  readonly paths: ProjectPaths;
  readonly log: Logger;
}

export interface OpenOptions {
  cwd: string;
  configPath?: string;
  log: Logger;
}

export async function openProject(oclif: Pick<OclifConfig, "runHook" | "version">, options: OpenOptions): Promise<Project> {
  const doc = await loadConfigDocument(options.cwd, options.configPath);
  const host = await applyPlugins(await discoverPlugins(oclif), { log: options.log, version: oclif.version });
  const validated = validateConfig(doc, host.sections);
  for (const notice of validated.notices) options.log.notice(formatIssue({ ...notice, location: undefined }), notice.location);
  for (const warning of validated.warnings) options.log.warn(formatIssue({ ...warning, location: undefined }), warning.location);
  const sections = validated.sections;
  const config: ConfigView = {
    section: <T>(name: string) => sections.get(name) as T | undefined,
    has: (name) => sections.has(name),
    sectionNames: [...sections.keys()].sort(),
    locate: (path) => doc.locate(path),
  };
  // `.anysnake2_flake` lives in the working directory, even with -c pointing elsewhere (as in 2.x).
  const projectDir = resolve(options.cwd);
  const paths: ProjectPaths = { configFile: doc.file, projectDir, flakeDir: join(projectDir, FLAKE_DIR_NAME) };
  return { doc, config, host, paths, log: options.log };
}
