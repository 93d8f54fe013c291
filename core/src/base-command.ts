/** What every anysnake2 command shares: the global flags and opening the project. */
import { Command } from '@oclif/core';
import { GLOBAL_FLAGS } from './global-flags.js';
import { createLogger } from './log.js';
import { openProject, preparedProject, type Project } from './pipeline/project.js';

export abstract class AnysnakeCommand extends Command {
  static override baseFlags = GLOBAL_FLAGS;

  /** `--quiet` (2.x: -v 0/1) keeps the commands' own progress messages back as well. */
  override logToStderr(...args: Parameters<Command['logToStderr']>): void {
    if (!this.argv.includes('--quiet')) super.logToStderr(...args);
  }

  /** The project with everything pinned (anysnake2.toml rewritten when something floated). */
  protected async project(flags: { config?: string; verbose: boolean; quiet?: boolean; offline?: boolean }, options: { forRun?: boolean } = {}): Promise<Project> {
    if (flags.offline) (await import('./nix-cli/nix.js')).nixOffline();
    // A run that `check` would refuse fails before anything is pinned or formatted.
    const beforePinning = options.forRun ? async (p: Project) => (await import('./pipeline/host-checks.js')).assertRunnableOnHost(p) : undefined;
    return preparedProject(this.config, { cwd: process.cwd(), configPath: flags.config, log: createLogger({ verbose: flags.verbose, quiet: flags.quiet }), offline: flags.offline, beforePinning });
  }

  /** The project as the file says, without pinning anything (no network, no writes). */
  protected async projectAsWritten(flags: { config?: string; verbose: boolean; quiet?: boolean; offline?: boolean }): Promise<Project> {
    if (flags.offline) (await import('./nix-cli/nix.js')).nixOffline();
    return openProject(this.config, { cwd: process.cwd(), configPath: flags.config, log: createLogger({ verbose: flags.verbose, quiet: flags.quiet }), offline: flags.offline });
  }
}
