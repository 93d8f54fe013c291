/** What every anysnake2 command shares: the global flags and opening the project. */
import { Command, Flags } from '@oclif/core';
import { createLogger } from './log.js';
import { openProject, preparedProject, type Project } from './pipeline/project.js';

export abstract class AnysnakeCommand extends Command {
  static override baseFlags = {
    config: Flags.string({ char: 'c', description: 'config file [default: anysnake2.toml]', helpGroup: 'GLOBAL' }),
    verbose: Flags.boolean({ description: 'show debug output and error causes', helpGroup: 'GLOBAL' }),
    'no-version-switch': Flags.boolean({ description: 'do not switch to the anysnake2 version the project pins', helpGroup: 'GLOBAL' }),
  };

  /** The project with everything pinned (anysnake2.toml rewritten when something floated). */
  protected async project(flags: { config?: string; verbose: boolean }): Promise<Project> {
    return preparedProject(this.config, { cwd: process.cwd(), configPath: flags.config, log: createLogger({ verbose: flags.verbose }) });
  }

  /** The project as the file says, without pinning anything (no network, no writes). */
  protected async projectAsWritten(flags: { config?: string; verbose: boolean }): Promise<Project> {
    return openProject(this.config, { cwd: process.cwd(), configPath: flags.config, log: createLogger({ verbose: flags.verbose }) });
  }
}
