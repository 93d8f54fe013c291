/**
 * What a plugin's warm module (warm/warm-command.ts) may use from the core: the same error
 * classes, atomic writes, directory lock, process wrapper and quoting as plugin-command.js, but
 * nothing that loads oclif, the plugin host or the config schema — this runs on the warm path.
 * A warm module exports `replayWarmCommand(data, context)`; `data` is what its command recorded
 * with recordWarmCommand (plugin-command.js), read back from the project: check it as input.
 */
import { resolve } from 'node:path';
import { coreRoot } from './core-root.js';
import type { Logger } from './plugin-api.js';

export { AnysnakeError, DamagedStateError, UsageError, ToolMissingError, ToolFailedError, TemporaryError } from './errors.js';
export { writeFileAtomic } from './fs-atomic.js';
export { withProjectLock as withDirectoryLock } from './pipeline/project-lock.js';
export { shellQuoteWord } from './shell-quote.js';
export { exec } from './exec.js';
export type { ExecResult } from './exec.js';
export type { Logger } from './plugin-api.js';

/** `core/bin/run.js` of this installation (as plugin-command.js's CLI_ENTRY). */
export const CLI_ENTRY = resolve(coreRoot(), 'bin', 'run.js');

export interface WarmCommandContext {
  /** The working directory (where `.anysnake2_flake` lives), as on the full path. */
  readonly projectDir: string;
  readonly flakeDir: string;
  /** Absolute path of the config file (`-c`, or anysnake2.toml). */
  readonly configFile: string;
  /** The command line after the command word (global options included), the same as recorded. */
  readonly argv: readonly string[];
  /** Messages to stderr, as the full path's logger writes them (--quiet keeps info back). */
  readonly log: Logger;
  /** The command's own output (stdout). */
  readonly stdout: (text: string) => void;
}

export interface WarmCommandModule {
  /** Does what the command did on the full path; the exit status (undefined: 0). Errors are reported as on the full path. */
  replayWarmCommand(data: unknown, context: WarmCommandContext): Promise<number | undefined>;
}
