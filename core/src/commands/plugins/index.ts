/**
 * `anysnake2 plugins`: the installed plugins, by name and version. Replaces @oclif/plugin-plugins'
 * listing (its --json printed oclif's internal plugin objects); install, link and uninstall stay its own.
 */
import { Command, Flags } from '@oclif/core';
import { GLOBAL_FLAGS } from '../../global-flags.js';

interface Listed {
  name: string;
  version: string;
  /** bundled with anysnake2, installed by `plugins install`, or linked by `plugins link`. */
  type: 'bundled' | 'user' | 'link';
  /** Answers anysnake2's plugin event (adds config sections, hooks or a runtime). */
  anysnake2: boolean;
  root: string;
}

export default class Plugins extends Command {
  static override summary = 'List the installed plugins (--core: also those bundled with anysnake2)';
  static override baseFlags = GLOBAL_FLAGS;
  static override flags = {
    core: Flags.boolean({ description: 'also list the plugins bundled with anysnake2' }),
    json: Flags.boolean({ description: 'print every plugin as JSON: [{ name, version, type: bundled|user|link, anysnake2, root }]' }),
  };

  override async run(): Promise<void> {
    const { flags } = await this.parse(Plugins);
    const all: Listed[] = this.config
      .getPluginsList()
      .filter((p) => p.root !== this.config.root && !p.parent)
      .map((p) => ({
        name: p.name,
        version: p.version,
        type: p.type === 'user' ? ('user' as const) : p.type === 'link' ? ('link' as const) : ('bundled' as const),
        anysnake2: (p.hooks['anysnake2:plugin'] ?? []) /* plugin-host.ts PLUGIN_HOOK_EVENT, without importing the host */.length > 0,
        root: p.root,
      }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    if (flags.json) return void process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
    const shown = flags.core ? all : all.filter((p) => p.type !== 'bundled');
    if (shown.length === 0) this.log('No plugins installed (anysnake2 plugins --core lists the bundled ones).');
    for (const p of shown) this.log(`${p.name} ${p.version}${p.type === 'user' ? '' : ` (${p.type === 'bundled' ? 'core' : 'link'})`}`);
  }
}
