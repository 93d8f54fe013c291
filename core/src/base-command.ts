/** What every anysnake2 command shares: the global flags and opening the project. */
import { Command, Flags } from '@oclif/core';
import type { Project } from './pipeline/project.js';
import { projectFor } from './light/command-bodies.js';

export abstract class AnysnakeCommand extends Command {
  static override baseFlags = {
    config: Flags.string({ char: 'c', description: 'config file [default: anysnake2.toml]', helpGroup: 'GLOBAL' }),
    verbose: Flags.boolean({ description: 'show debug output and error causes', helpGroup: 'GLOBAL' }),
    'no-version-switch': Flags.boolean({ description: 'do not switch to the anysnake2 version the project pins', helpGroup: 'GLOBAL' }),
    offline: Flags.boolean({ description: 'never touch the network: unpinned values are an error, Nix runs with --offline', helpGroup: 'GLOBAL' }),
  };

  /** The project with everything pinned (anysnake2.toml rewritten when something floated). */
  protected async project(flags: { config?: string; verbose: boolean; offline?: boolean }): Promise<Project> {
    return projectFor(this.config, flags, true);
  }

  /** The project as the file says, without pinning anything (no network, no writes). */
  protected async projectAsWritten(flags: { config?: string; verbose: boolean; offline?: boolean }): Promise<Project> {
    return projectFor(this.config, flags, false);
  }
}
