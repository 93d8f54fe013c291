import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Args, Command, Flags } from '@oclif/core';
import { EXAMPLE_CONFIGS } from './config.js';
import { UsageError } from '../errors.js';
import { bashScript, fishScript, zshScript, type CompletionTree } from '../completion-scripts.js';

const SCRIPTS = { bash: bashScript, zsh: zshScript, fish: fishScript };

/** [cmd.*] names of the config in this directory, read without validating (completion must be fast and forgiving). */
function projectCommands(configFile: string): string[] {
  try {
    const text = readFileSync(configFile, 'utf8');
    return [...text.matchAll(/^\s*\[\s*cmd\s*\.\s*(?:"([^"]+)"|([A-Za-z0-9_-]+))\s*\]/gm)].map((m) => (m[1] ?? m[2])!).sort();
  } catch {
    return [];
  }
}

export default class Completion extends Command {
  static override summary = 'Print shell completion (bash, zsh, fish), including the [cmd.*] names of the project';
  static override description = 'bash: eval "$(anysnake2 completion bash)"; zsh: eval "$(anysnake2 completion zsh)"; fish: anysnake2 completion fish | source';
  static override strict = false;
  static override args = { shell: Args.string({ description: `the shell: ${Object.keys(SCRIPTS).join(', ')}` }) };
  static override flags = {
    complete: Flags.boolean({ hidden: true, description: 'print the candidates for the words that follow --' }),
    config: Flags.string({ char: 'c', hidden: true }),
  };

  override async run(): Promise<void> {
    const { args, flags, argv } = await this.parse(Completion);
    if (!flags.complete) {
      const shell = args.shell ?? 'bash';
      if (!(shell in SCRIPTS)) throw new UsageError(`no completion for the shell '${shell}'`, { hint: `choose one of: ${Object.keys(SCRIPTS).join(', ')}` });
      const tree: CompletionTree = {
        commands: this.config.commands
          .filter((c) => !c.hidden)
          .map((c) => {
            const flags = Object.entries(c.flags ?? {}).filter(([, f]) => !f.hidden);
            return { id: c.id, flags: flags.map(([name]) => name), chars: flags.flatMap(([, f]) => (f.char ? [f.char] : [])) };
          }),
        argWords: { config: Object.keys(EXAMPLE_CONFIGS), completion: Object.keys(SCRIPTS) },
      };
      process.stdout.write(SCRIPTS[shell as keyof typeof SCRIPTS](tree));
      return;
    }
    const words = (argv as string[]).filter((w) => !w.startsWith('-'));
    const ids = this.config.commandIDs.map((id) => id.split(':'));
    let candidates: string[];
    if (words.length === 0) {
      const builtIn = new Set(ids.map((parts) => parts[0]!));
      candidates = [...builtIn, ...projectCommands(resolve(flags.config ?? 'anysnake2.toml'))];
    } else if (words[0] === 'config' && words.length === 1) candidates = Object.keys(EXAMPLE_CONFIGS);
    else if (words[0] === 'completion' && words.length === 1) candidates = Object.keys(SCRIPTS);
    else candidates = ids.filter((parts) => parts.length === words.length + 1 && words.every((w, i) => parts[i] === w)).map((parts) => parts[words.length]!);
    process.stdout.write(
      [...new Set(candidates)]
        .sort()
        .map((c) => `${c}\n`)
        .join(''),
    );
  }
}
