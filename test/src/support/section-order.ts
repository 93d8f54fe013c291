/**
 * The canonical section order as the shipped setup declares it: the core's sections and every
 * bundled plugin's, registered through the same applyPlugins a run uses (toml-format.ts knows none).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { applyPlugins } from '../../../core/dist/plugin-host.js';
import { createLogger } from '../../../core/dist/log.js';
import type { SectionOrder } from '../../../core/dist/config/section-order.js';
import type { AnysnakePlugin } from '@anysnake2/core/plugin-api';
import { REPO } from './cli.js';

type Entry = () => Promise<AnysnakePlugin>;
const load = async (file: string) => ((await import(pathToFileURL(file).href)) as { default: Entry }).default();

export async function bundledSectionOrder(): Promise<SectionOrder> {
  const files = [join(REPO, 'core', 'dist', 'core-plugin.js'), ...readdirSync(join(REPO, 'plugins')).map((dir) => join(REPO, 'plugins', dir, 'dist', 'index.js'))];
  const plugins = await Promise.all(files.map(async (file) => ({ plugin: await load(file), packageName: file })));
  const host = await applyPlugins(plugins, { log: createLogger({ verbose: false, quiet: true }), version: 'test' });
  return (key) => host.sections.orderOf(key);
}
