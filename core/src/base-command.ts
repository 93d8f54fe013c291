/** What every anysnake2 command shares: the global flags and opening the project. */
import { Command, Flags } from '@oclif/core';
import { createLogger } from './log.js';
import { openProject, type Project } from './pipeline/project.js';

export abstract class AnysnakeCommand extends Command {
  static override baseFlags = {
    config: Flags.string({ char: 'c', description: 'config file [default: anysnake2.toml]', helpGroup: 'GLOBAL' }),
    verbose: Flags.boolean({ description: 'show debug output and error causes', helpGroup: 'GLOBAL' }),
    'no-version-switch': Flags.boolean({ description: 'do not switch to the anysnake2 version the project pins', helpGroup: 'GLOBAL' }),
  };

  protected async project(flags: { config?: string; verbose: boolean }): Promise<Project> {
    return openProject(this.config, { cwd: process.cwd(), configPath: flags.config, log: createLogger({ verbose: flags.verbose }) });
  }
}
