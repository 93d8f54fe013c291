/**
 * What `config [name]` does: the list of example configs, or one of them. Apart from
 * command-bodies.ts so that `config` (light path and oclif alike) loads none of the pipeline.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { coreRoot } from '../core-root.js';

export const EXAMPLE_CONFIGS = {
  minimal: 'the smallest useful project: nixpkgs packages only',
  basic: 'language sections, volumes, environment and commands',
  full: 'every section and key, with comments',
} as const;

export function exampleConfigPath(name: keyof typeof EXAMPLE_CONFIGS): string {
  return join(coreRoot(), 'examples', `${name}.toml`);
}

/** `config [name]`: the list of examples, or one of them. */
export async function configBody(name: string | undefined): Promise<void> {
  if (!name) {
    let text = 'Example configs (print one with: anysnake2 config <name>):\n';
    for (const [example, what] of Object.entries(EXAMPLE_CONFIGS)) text += `  ${example.padEnd(8)} ${what}\n`;
    return void process.stdout.write(text);
  }
  process.stdout.write(await readFile(exampleConfigPath(name as keyof typeof EXAMPLE_CONFIGS), 'utf8'));
}
