/**
 * An unknown first word is a user command: `anysnake2 shell` runs [cmd.shell] with the remaining
 * words as "$@". Without such a command it fails, listing what exists.
 */
import type { Hook } from '@oclif/core';
import { readGlobalOptions } from '../argv.js';
import { UsageError } from '../errors.js';
import { createLogger } from '../log.js';
import { preparedProject } from '../pipeline/project.js';

interface UserCommand {
  run: string;
  pre_run_outside?: string;
  while_run_outside?: string;
  post_run_inside?: string;
  post_run_outside?: string;
}

const hook: Hook<'command_not_found'> = async function (options) {
  const { config: configPath, verbose, offline, rest } = readGlobalOptions(options.argv ?? []);
  const name = options.id;
  if (offline) (await import('../nix-cli/nix.js')).nixOffline();
  const project = await preparedProject(options.config, { cwd: process.cwd(), configPath, log: createLogger({ verbose }), offline });
  const commands = project.config.section<Record<string, UserCommand>>('cmd') ?? {};
  const command = commands[name];
  if (!command) {
    const builtIn = options.config.commandIDs
      .filter((id) => !id.startsWith('plugins'))
      .map((id) => id.replace(/:/g, ' '))
      .sort();
    const fromConfig = Object.keys(commands).sort();
    throw new UsageError(`unknown command '${name}'`, {
      hint: `commands from ${project.paths.configFile}: ${fromConfig.length ? fromConfig.join(', ') : '(none: add a [cmd.<name>] section)'}; built in: ${builtIn.join(', ')}`,
    });
  }
  const { runCommand } = await import('../pipeline/run-command.js');
  const words = rest[0] === '--' ? rest.slice(1) : rest;
  process.exitCode = await runCommand(project, {
    name,
    container: { run: command.run, postRunInside: command.post_run_inside },
    preRunOutside: command.pre_run_outside,
    whileRunOutside: command.while_run_outside,
    postRunOutside: command.post_run_outside,
    words,
  });
};

export default hook;
