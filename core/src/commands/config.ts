import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Args, Command } from '@oclif/core';

export const EXAMPLE_CONFIGS = {
  minimal: 'the smallest useful project: nixpkgs packages only',
  basic: 'python, rust, volumes, environment and commands',
  full: 'every section and key, with comments',
} as const;

export function exampleConfigPath(name: keyof typeof EXAMPLE_CONFIGS): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'examples', `${name}.toml`);
}

export default class ConfigExample extends Command {
  static override summary = 'Print an example anysnake2.toml';
  static override description = 'Start a project with: anysnake2 config basic > anysnake2.toml';
  static override args = {
    name: Args.string({ description: 'which example', options: Object.keys(EXAMPLE_CONFIGS) }),
  };

  override async run(): Promise<void> {
    const { args } = await this.parse(ConfigExample);
    if (!args.name) {
      this.log('Example configs (print one with: anysnake2 config <name>):');
      for (const [name, what] of Object.entries(EXAMPLE_CONFIGS)) this.log(`  ${name.padEnd(8)} ${what}`);
      return;
    }
    process.stdout.write(await readFile(exampleConfigPath(args.name as keyof typeof EXAMPLE_CONFIGS), 'utf8'));
  }
}
