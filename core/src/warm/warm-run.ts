/**
 * The warm path from the entry point (bin/run.js), before oclif loads. `findWarmRun` has no side
 * effects: it returns a starter when everything matches the recorded entry, or why it missed
 * (the full path then takes over).
 */
import { existsSync, readFileSync } from 'node:fs';
import { FLAKE_CHANGED, flakeStillBuilt, ROOTFS_NEEDS_BUILD, rootfsMissing } from './built-check.js';
import { join, resolve } from 'node:path';
import { isatty } from '../lazy-builtins.js';
import { normalizeArgv, readGlobalOptions, USER_COMMAND_HELP } from '../argv.js';
import { CORE_WORDS, isCommandWord } from '../command-words.js';
import { warmCommandFile } from './warm-command-file.js';
import { FLAKE_DIR_NAME } from '../pipeline/project-paths.js';
import { commandNameProblem } from '../config/safe-names.js';
import { fileStamp, warmKeyer, WARM_FILE, WARM_VERSION, type WarmFile } from './warm-entry.js';
import { colourLabels } from '../colour.js';

export type WarmLookup = { run: () => Promise<number> } | { miss: string };

export async function findWarmRun(rawArgv: readonly string[]): Promise<WarmLookup> {
  // The core's command words suffice (command-words.ts, CORE_WORDS): no plugin's package.json is read.
  const argv = normalizeArgv(rawArgv, CORE_WORDS);
  const commandWord = argv[0]!;
  if (commandWord !== 'run' && CORE_WORDS.isCommand(commandWord)) return { miss: 'not a command that runs a container' };
  // A plugin's own command may have a warm path of its own (warm-command.ts), recorded under its word;
  // only then are the plugins' command words read (a [cmd.*] run reads no plugin's package.json).
  if (commandWord !== 'run' && !commandNameProblem(commandWord) && existsSync(warmCommandFile(join(process.cwd(), FLAKE_DIR_NAME), commandWord))) {
    const installed = normalizeArgv(rawArgv);
    if (isCommandWord(installed[0]!)) return (await import('./warm-command-run.js')).findWarmCommand(installed);
  }
  const { config, verbose, rest } = readGlobalOptions(argv.slice(1));
  if (verbose) return { miss: '--verbose wants the full story' };
  if (rest[0] === USER_COMMAND_HELP) return { miss: 'help, not a run' };
  const words = rest[0] === '--' ? rest.slice(1) : rest;
  if (commandWord === 'run' && words.length === 0) return { miss: 'nothing to run' };
  if (commandWord !== 'run' && commandNameProblem(commandWord)) return { miss: 'not a valid command name' };
  const cwd = process.cwd();
  const flakeDir = join(cwd, FLAKE_DIR_NAME);
  const scriptsDir = join(flakeDir, 'run_scripts', commandWord);
  let file: WarmFile;
  try {
    file = JSON.parse(readFileSync(join(scriptsDir, WARM_FILE), 'utf8')) as WarmFile;
  } catch {
    return { miss: 'no warm entry for this command yet' };
  }
  if (file.version !== WARM_VERSION || !Array.isArray(file.entries)) return { miss: 'warm entry of another format' };
  if (process.env.ANYSNAKE2_INSIDE || process.env.SINGULARITY_NAME || process.env.APPTAINER_NAME) return { miss: 'inside a container' };
  let keyOf: ReturnType<typeof warmKeyer> | undefined;
  try {
    keyOf = warmKeyer({
      configFile: resolve(cwd, config ?? 'anysnake2.toml'),
      cwd,
      commandName: commandWord,
      words,
      env: process.env,
      // isatty, not process.stdin.isTTY: that getter builds a stream for stdin, which nothing here reads.
      tty: isatty(0) && isatty(1),
    });
  } catch {
    keyOf = undefined;
  }
  // Each entry is keyed on the variables its own launch read.
  const entry =
    keyOf && file.entries.find((e) => e.key === keyOf(e.envReads === null || Array.isArray(e.envReads) ? e.envReads : null, Array.isArray(e.envAtStart) ? e.envAtStart : []));
  if (!entry) return { miss: 'the config, command words, a variable the launch reads, or the terminal changed' };
  if (entry.toolFiles.some(([path, stamp]) => fileStamp(path) !== stamp)) return { miss: 'anysnake2 or a plugin changed' };
  if (rootfsMissing(flakeDir)) return { miss: ROOTFS_NEEDS_BUILD };
  if (entry.mustExist.some((path) => !existsSync(path))) return { miss: 'a volume or the home directory is missing' };
  if (!flakeStillBuilt(flakeDir, entry.flakeFiles, entry.buildHash)) return { miss: FLAKE_CHANGED };

  const run = async () => {
    for (const message of entry.messages) process.stderr.write(`${colourLabels(message, process.stderr)}\n`);
    const { startContainer } = await import('../pipeline/start-container.js');
    return startContainer({
      projectDir: cwd,
      flakeDir,
      commandName: entry.commandName,
      preRunOutside: entry.preRunOutside,
      whileRunOutside: entry.whileRunOutside,
      postRunOutside: entry.postRunOutside,
      dtachCommand: entry.dtachCommand,
      warn: (message) => process.stderr.write(`${colourLabels(`warning: ${message}`, process.stderr)}\n`),
      run: (launch) => launch(entry.launch),
    });
  };
  return { run };
}
