/**
 * Everything after the build, shared by the full path and the warm path: pre_run_outside →
 * while_run_outside (background) → the container → post_run_outside. The exit status is the
 * container's; while_run_outside's process group is stopped on every way out.
 */
import type { RunOutcome } from '../plugin-api.js';
import { BackgroundScript, numbered, runHostScript, runPreScript } from './host-scripts.js';
import { launch, newDtachSession } from './launch.js';

export interface StartOptions {
  projectDir: string;
  flakeDir: string;
  commandName: string;
  preRunOutside?: string;
  whileRunOutside?: string;
  postRunOutside?: string;
  /** Run inside dtach with this command (`undefined`: no dtach). */
  dtachCommand?: string[];
  warn(message: string): void;
  /** Starts the container through the given launcher (the run hook, or a recorded command line). */
  run(launcher: (argv: readonly string[]) => Promise<RunOutcome>): Promise<RunOutcome>;
}

export async function startContainer(options: StartOptions): Promise<number> {
  const { projectDir, commandName } = options;
  const dtach = options.dtachCommand ? await newDtachSession(projectDir, options.flakeDir, commandName, options.dtachCommand) : undefined;
  if (options.preRunOutside) await runPreScript(commandName, options.preRunOutside, projectDir);
  const background = options.whileRunOutside ? new BackgroundScript(options.whileRunOutside, projectDir) : undefined;
  // Terminated ourselves: take while_run_outside down too, then go.
  const onTerminate = (signal: NodeJS.Signals) => {
    background?.killNow();
    process.exit(128 + (signal === 'SIGHUP' ? 1 : 15));
  };
  process.on('SIGTERM', onTerminate);
  process.on('SIGHUP', onTerminate);
  let exitCode: number;
  try {
    exitCode = (await options.run((argv) => launch(argv, { cwd: projectDir, dtach }))).exitCode;
  } finally {
    process.off('SIGTERM', onTerminate);
    process.off('SIGHUP', onTerminate);
    await background?.stop();
  }
  if (options.postRunOutside) {
    const status = await runHostScript(options.postRunOutside, projectDir);
    if (status !== 0) options.warn(`[cmd.${commandName}] post_run_outside failed with exit status ${status}. Script:\n${numbered(options.postRunOutside)}`);
  }
  return exitCode;
}
