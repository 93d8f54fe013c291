/**
 * Everything after the build, shared by the full path and the warm path: pre_run_outside →
 * while_run_outside (background) → the container → post_run_outside. The exit status is the
 * container's; while_run_outside's process group is stopped on every way out. A signal to
 * anysnake2 ends the run (see run-signals.ts): what runs gets it, post_run_outside still runs, and
 * the status is 128+signal.
 */
import { join } from 'node:path';
import type { LaunchSpec } from '../plugin-api.js';
import { BackgroundScript, numbered, runHostScript, runPreScript } from './host-scripts.js';
import { launch, newDtachSession, type RunOutcome } from './launch.js';
import { RunSignals } from './run-signals.js';

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
  /** Starts the container through the given launcher (the runtime's LaunchSpec, fresh or recorded). */
  run(launcher: (spec: LaunchSpec) => Promise<RunOutcome>): Promise<RunOutcome>;
}

export async function startContainer(options: StartOptions): Promise<number> {
  const { projectDir, commandName } = options;
  const dtach = options.dtachCommand ? await newDtachSession(projectDir, options.flakeDir, commandName, options.dtachCommand) : undefined;
  // TERM/HUP/INT sent to anysnake2 go on to whatever runs (host script or runtime); the run then
  // ends with 128+signal. Installed before anything starts, removed when the run is over.
  const signals = new RunSignals();
  try {
    if (options.preRunOutside) await runPreScript(commandName, options.preRunOutside, projectDir, signals);
    if (signals.exitCode !== undefined) return signals.exitCode;
    const background = options.whileRunOutside ? new BackgroundScript(options.whileRunOutside, projectDir) : undefined;
    let exitCode: number;
    try {
      exitCode = (await options.run((spec) => launch(spec, { cwd: projectDir, dtach, signals, privateDir: join(options.flakeDir, 'run_scripts') }))).exitCode;
    } finally {
      await background?.stop();
    }
    if (options.postRunOutside) {
      const status = await runHostScript(options.postRunOutside, projectDir, signals);
      if (status !== 0) options.warn(`[cmd.${commandName}] post_run_outside failed with exit status ${status}. Script:\n${numbered(options.postRunOutside)}`);
    }
    return signals.exitCode ?? exitCode;
  } finally {
    signals.dispose();
  }
}
