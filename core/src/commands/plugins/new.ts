/** `anysnake2 plugins new NAME`: scaffold a third-party plugin package (src/scaffold/new-plugin.ts). */
import { Args, Command, Flags } from '@oclif/core';
import { resolve } from 'node:path';
import { GLOBAL_FLAGS } from '../../global-flags.js';

export default class PluginsNew extends Command {
  static override summary = 'Create a plugin package in ./NAME: an ecosystem section (default) or a container runtime';
  static override description =
    'It builds against the types of this anysnake2 (npm install && npm run build), tests itself (npm test) and links with `anysnake2 plugins link NAME`. See docs/plugins.md.';
  static override baseFlags = GLOBAL_FLAGS;
  static override args = { name: Args.string({ required: true, description: 'npm package name, e.g. anysnake2-plugin-mytool (the section or runtime is then "mytool")' }) };
  static override flags = {
    section: Flags.boolean({ description: 'a config section with schema, check, a pinned value and flake packages (the default)', exclusive: ['runtime'] }),
    runtime: Flags.boolean({ description: 'a container runtime: plan() returns the LaunchSpec anysnake2 starts', exclusive: ['section'] }),
    dir: Flags.string({ description: 'where to create it (default: ./NAME without its @scope/)' }),
  };

  override async run(): Promise<void> {
    const { args, flags } = await this.parse(PluginsNew);
    const { newPlugin } = await import('../../scaffold/new-plugin.js');
    const { unscoped } = await import('../../scaffold/npm-name.js');
    const dir = resolve(flags.dir ?? unscoped(args.name));
    const kind = flags.runtime ? 'runtime' : 'section';
    const files = await newPlugin({ name: args.name, kind, dir, coreRoot: this.config.root });
    this.log(`Created ${args.name} (a ${kind} plugin) in ${dir}: ${files.join(', ')}`);
    this.log(`Next: cd ${dir} && npm install && npm run build && npm test && anysnake2 plugins link .`);
  }
}
