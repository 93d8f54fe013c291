import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Args, Command, Flags } from '@oclif/core';
import { EXAMPLE_CONFIGS } from './config.js';
import { UsageError } from '../errors.js';

const SCRIPTS = {
  bash: `# anysnake2 completion for bash: eval "$(anysnake2 completion bash)"
_anysnake2_complete() {
  local IFS=$'\\n'
  COMPREPLY=( $(compgen -W "$(anysnake2 completion --complete -- "\${COMP_WORDS[@]:1:COMP_CWORD-1}" 2>/dev/null)" -- "\${COMP_WORDS[COMP_CWORD]}") )
}
complete -o default -F _anysnake2_complete anysnake2
`,
  zsh: `#compdef anysnake2
# anysnake2 completion for zsh: eval "$(anysnake2 completion zsh)"
_anysnake2() {
  local -a candidates
  candidates=("\${(@f)$(anysnake2 completion --complete -- \${words[2,CURRENT-1]} 2>/dev/null)}")
  compadd -a candidates
}
compdef _anysnake2 anysnake2
`,
  fish: `# anysnake2 completion for fish: anysnake2 completion fish | source
complete -c anysnake2 -f -a '(anysnake2 completion --complete -- (commandline -opc)[2..-1])'
`,
};

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
      process.stdout.write(SCRIPTS[shell as keyof typeof SCRIPTS]);
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
    process.stdout.write([...new Set(candidates)].sort().map((c) => `${c}\n`).join(''));
  }
}
