/**
 * An unknown first word is a user command: `anysnake2 shell` runs [cmd.shell] with the remaining
 * words as "$@". Before anything is pinned, the word is checked against the config as written:
 * an unknown word (or a misspelt built-in, even outside a project) is a usage error (64) with
 * "did you mean", and `anysnake2 <name> --help` explains [cmd.<name>] instead of running it.
 */
import type { Hook } from '@oclif/core';
import { readGlobalOptions, USER_COMMAND_HELP } from '../argv.js';
import { ConfigMissingError, UsageError } from '../errors.js';
import { closest } from '../config/suggest.js';
import { loadConfigDocument } from '../config/load.js';
import { createLogger } from '../log.js';
import { preparedProject, type Project } from '../pipeline/project.js';

interface UserCommand {
  run: string;
  pre_run_outside?: string;
  while_run_outside?: string;
  post_run_inside?: string;
  post_run_outside?: string;
}

const hook: Hook<'command_not_found'> = async (options) => {
  const { config: configPath, verbose, quiet, offline, rest } = readGlobalOptions(options.argv ?? []);
  const builtIn = options.config.commandIDs
    .filter((id) => !id.startsWith('plugins:'))
    .map((id) => id.replace(/:/g, ' '))
    .sort();
  // `build roots`: oclif's id is `build:roots`; it is a misspelt built-in, never a [cmd.*] name.
  if (options.id.includes(':')) {
    const spoken = options.id.replace(/:/g, ' ');
    const topic = spoken.split(' ')[0]!;
    const guess = closest(
      spoken,
      builtIn.filter((id) => id.startsWith(`${topic} `)),
    );
    throw new UsageError(`unknown command '${spoken}'${guess ? `; did you mean '${guess}'?` : ''}`, {
      hint: `the ${topic} commands: ${builtIn.filter((id) => id.startsWith(`${topic} `)).join(', ')} (anysnake2 ${topic} --help)`,
    });
  }
  const name = options.id;
  const wantsHelp = rest[0] === USER_COMMAND_HELP;
  let commands: Record<string, UserCommand>;
  let configFile: string | undefined;
  try {
    const doc = await loadConfigDocument(process.cwd(), configPath);
    configFile = doc.file;
    const cmd = (doc.value as { cmd?: unknown }).cmd;
    commands = typeof cmd === 'object' && cmd !== null ? (cmd as Record<string, UserCommand>) : {};
  } catch (error) {
    if (!(error instanceof ConfigMissingError)) throw error;
    // No project here: a misspelt built-in is the likelier mistake than a missing config.
    const guess = name === 'default' ? undefined : closest(name, builtIn);
    if (guess) throw new UsageError(`unknown command '${name}'; did you mean '${guess}'?`, { hint: 'anysnake2 --help lists the commands' });
    if (wantsHelp) return void process.stdout.write(userCommandHelp(name));
    throw error;
  }
  const command = commands[name];
  if (wantsHelp) return void process.stdout.write(userCommandHelp(name, command, configFile));
  if (!command) {
    const fromConfig = Object.keys(commands).sort();
    const guess = closest(name, [...fromConfig, ...builtIn]);
    throw new UsageError(`unknown command '${name}'${guess ? `; did you mean '${guess}'?` : ''}`, {
      hint: `commands from ${configFile}: ${fromConfig.length ? fromConfig.join(', ') : '(none: add a [cmd.<name>] section)'}; built in: ${builtIn.join(', ')}`,
    });
  }
  if (offline) (await import('../nix-cli/nix.js')).nixOffline();
  // What `check` refuses (a missing volume) fails before anything is pinned or formatted.
  const beforePinning = async (p: Project) => (await import('../pipeline/host-checks.js')).assertRunnableOnHost(p);
  const project = await preparedProject(options.config, { cwd: process.cwd(), configPath, log: createLogger({ verbose, quiet }), offline, beforePinning });
  const pinned = project.config.section<Record<string, UserCommand>>('cmd')?.[name] ?? command;
  const { runCommand } = await import('../pipeline/run-command.js');
  const words = rest[0] === '--' ? rest.slice(1) : rest;
  process.exitCode = await runCommand(project, {
    name,
    container: { run: pinned.run, postRunInside: pinned.post_run_inside },
    preRunOutside: pinned.pre_run_outside,
    whileRunOutside: pinned.while_run_outside,
    postRunOutside: pinned.post_run_outside,
    words,
  });
};

/** `anysnake2 <name> --help`: what [cmd.<name>] would run, and how words reach it. */
function userCommandHelp(name: string, command?: UserCommand, configFile?: string): string {
  const where = configFile ?? 'anysnake2.toml';
  const lines = [
    `Run [cmd.${name}] of ${where} in the container`,
    '',
    'USAGE',
    `  $ anysnake2 ${name === 'default' ? '' : `${name} `}[words…]`,
    '',
    'DESCRIPTION',
    `  The words arrive as "$@" in [cmd.${name}] run; put -- before words that start with - (anysnake2 ${name} -- --help).`,
  ];
  if (command && typeof command.run === 'string')
    lines.push(
      '',
      `[cmd.${name}] run:`,
      ...command.run
        .trimEnd()
        .split('\n')
        .map((l) => `  ${l}`),
    );
  else lines.push('', `${where} has no [cmd.${name}] (yet).`);
  for (const key of ['pre_run_outside', 'while_run_outside', 'post_run_inside', 'post_run_outside'] as const)
    if (command && typeof command[key] === 'string') lines.push(`[cmd.${name}] ${key}: set`);
  lines.push('', 'Global options: -c/--config FILE, --verbose, --offline, --no-version-switch (anysnake2 --help)');
  return `${lines.join('\n')}\n`;
}

export default hook;
