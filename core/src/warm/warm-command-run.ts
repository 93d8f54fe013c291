/**
 * The warm path of a plugin's own command (warm-command.ts), from the entry point: the record
 * whose fingerprint matches this invocation, with the tool's files and the built environment
 * unchanged, is handed to the module the plugin declares — nothing else of the plugin, no oclif,
 * no plugin host, no nix. `findWarmCommand` has no side effects; any difference is a miss and the
 * full path runs.
 */
import { resolve } from 'node:path';
import { isTerminal } from '../terminal.js';
import { pathToFileURL } from 'node:url';
import { readGlobalOptions } from '../argv.js';
import { colourLabels } from '../colour.js';
import { FLAKE_DIR_NAME } from '../pipeline/project-paths.js';
import type { WarmCommandContext, WarmCommandModule } from '../plugin-warm.js';
import { builtEnvironmentChange, declaredWarmModule, readWarmCommandFile, warmCommandFile, warmCommandKey } from './warm-command.js';
import { fileStamp, warmKeyer } from './warm-entry.js';
import type { WarmLookup } from './warm-run.js';

/** `argv` as normalizeArgv leaves it: the command word first. */
export async function findWarmCommand(argv: readonly string[]): Promise<WarmLookup> {
  const word = argv[0]!;
  const declared = declaredWarmModule(word);
  if (typeof declared === 'string') return { miss: declared };
  const { config, verbose, quiet, rest } = readGlobalOptions(argv.slice(1));
  if (verbose) return { miss: '--verbose wants the full story' };
  const options = rest.indexOf('--') === -1 ? rest : rest.slice(0, rest.indexOf('--'));
  if (options.includes('--help') || options.includes('-h')) return { miss: 'help, not a run' };
  if (process.env.ANYSNAKE2_INSIDE || process.env.SINGULARITY_NAME || process.env.APPTAINER_NAME) return { miss: 'inside a container' };
  const cwd = process.cwd();
  const flakeDir = resolve(cwd, FLAKE_DIR_NAME);
  const file = readWarmCommandFile(warmCommandFile(flakeDir, word));
  if (!file) return { miss: 'no warm entry for this command yet' };
  const configFile = resolve(cwd, config ?? 'anysnake2.toml');
  let keyOf: ReturnType<typeof warmKeyer> | undefined;
  try {
    keyOf = warmKeyer({ configFile, cwd, commandName: word, words: argv.slice(1), env: process.env, tty: isTerminal(0) && isTerminal(1) });
  } catch {
    keyOf = undefined;
  }
  const key = keyOf;
  const entry = key && file.entries.find((e) => e.key === warmCommandKey(key(e.envReads === null || Array.isArray(e.envReads) ? e.envReads : null)));
  if (!entry) return { miss: 'the config, command line, a variable it reads, or the terminal changed' };
  if (entry.plugin !== declared.plugin) return { miss: 'another plugin recorded it' };
  if (!Array.isArray(entry.toolFiles) || entry.toolFiles.some(([path, stamp]: [string, string]) => fileStamp(path) !== stamp)) return { miss: 'anysnake2 or a plugin changed' };
  // The module is one of the files whose stamps were just checked: its plugin's own code, unchanged.
  if (!entry.toolFiles.some(([path]: [string, string]) => path === declared.module)) return { miss: 'the warm module is not part of its plugin' };
  const change = entry.built && (await builtEnvironmentChange(flakeDir, entry.built));
  if (change) return { miss: change };

  const run = async () => {
    for (const message of entry.messages) process.stderr.write(`${colourLabels(message, process.stderr)}\n`);
    const module = await loadWarmModule(declared.module, entry.toolFiles);
    if (typeof module.replayWarmCommand !== 'function') throw new Error(`${declared.module} has no replayWarmCommand (plugin ${declared.plugin})`);
    const write = (text: string) => void process.stderr.write(`${colourLabels(text, process.stderr)}\n`);
    const context: WarmCommandContext = {
      projectDir: cwd,
      flakeDir,
      configFile,
      argv: argv.slice(1),
      log: {
        info: (message) => void (quiet || write(message)),
        warn: (message) => write(`warning: ${message}`),
        notice: (message) => write(`deprecated: ${message}`),
        debug: () => undefined,
      },
      stdout: (text) => void process.stdout.write(text),
    };
    return (await module.replayWarmCommand(entry.data, context)) ?? 0;
  };
  return { run };
}

/**
 * The plugin's warm module: its CommonJS build beside it (lib/x.cjs, scripts/bundle-runtime.mjs)
 * when that is one of the stamped files just checked, required — no ES-module loader, ~20 ms —
 * else the module itself, imported.
 */
async function loadWarmModule(module: string, toolFiles: readonly [string, string][]): Promise<Partial<WarmCommandModule>> {
  const cjs = module.replace(/\.js$/, '.cjs');
  if (cjs !== module && toolFiles.some(([path, stamp]) => path === cjs && stamp !== 'absent'))
    return process.getBuiltinModule('node:module').createRequire(cjs)(cjs) as Partial<WarmCommandModule>;
  return (await import(pathToFileURL(module).href)) as Partial<WarmCommandModule>;
}
