/** What every anysnake2 command shares: the global flags and opening the project. */
import { Command } from '@oclif/core';
import { GLOBAL_FLAGS } from './global-flags.js';
import type { Project } from './pipeline/project.js';
import { projectFor } from './light/command-bodies.js';

export abstract class AnysnakeCommand extends Command {
  static override baseFlags = GLOBAL_FLAGS;

  /** `--quiet` (2.x: -v 0/1) keeps the commands' own progress messages back as well. */
  override logToStderr(...args: Parameters<Command['logToStderr']>): void {
    if (!this.argv.includes('--quiet')) super.logToStderr(...args);
  }

  /** The project with everything pinned (anysnake2.toml rewritten when something floated). */
  protected async project(flags: { config?: string; verbose: boolean; quiet?: boolean; offline?: boolean }, options: { forRun?: boolean } = {}): Promise<Project> {
    return projectFor(this.config, flags, true, options);
  }

  /** The project as the file says, without pinning anything (no network, no writes). */
  protected async projectAsWritten(flags: { config?: string; verbose: boolean; quiet?: boolean; offline?: boolean }): Promise<Project> {
    return projectFor(this.config, flags, false);
  }
}
