/**
 * An unknown first word is a user command: `anysnake2 shell` runs [cmd.shell].
 * Without such a command it fails, listing what exists.
 */
import type { Hook } from '@oclif/core';
import { readGlobalOptions } from '../argv.js';
import { UsageError, AnysnakeError } from '../errors.js';
import { createLogger } from '../log.js';
import { openProject } from '../pipeline/project.js';

const hook: Hook<'command_not_found'> = async function (options) {
  const { config: configPath, verbose } = readGlobalOptions(options.argv ?? []);
  const name = options.id;
  const project = await openProject(options.config, { cwd: process.cwd(), configPath, log: createLogger({ verbose }) });
  const commands = project.config.section<Record<string, unknown>>('cmd') ?? {};
  if (!(name in commands)) {
    const builtIn = options.config.commandIDs
      .filter((id) => !id.startsWith('plugins'))
      .map((id) => id.replace(/:/g, ' '))
      .sort();
    const fromConfig = Object.keys(commands).sort();
    throw new UsageError(`unknown command '${name}'`, {
      hint: `commands from ${project.paths.configFile}: ${fromConfig.length ? fromConfig.join(', ') : '(none: add a [cmd.<name>] section)'}; built in: ${builtIn.join(', ')}`,
    });
  }
  throw new AnysnakeError(`[cmd.${name}] exists, but running commands in containers is not implemented in this version yet`, {
    hint: 'use `anysnake2 build flake` and nix directly for now',
  });
};

export default hook;
