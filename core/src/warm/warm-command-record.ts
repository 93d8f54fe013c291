/**
 * Recording a plugin command's warm entry after a full run (warm-command.ts): keyed on this
 * process's own command line — what the entry point will see next time — so a command cannot
 * record under words it was not started with.
 */
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isTerminal } from '../terminal.js';
import { normalizeArgv } from '../argv.js';
import { writeFileAtomic } from '../fs-atomic.js';
import type { Project } from '../pipeline/project.js';
import type { EnvReads } from './env-reads.js';
import {
  declaredWarmModule,
  readWarmCommandFile,
  WARM_COMMAND_ENTRIES_KEPT,
  WARM_COMMAND_VERSION,
  warmCommandFile,
  warmCommandKey,
  type WarmCommandEntry,
  type WarmCommandFile,
} from './warm-command.js';
import { fileStamp, warmKeyer } from './warm-entry.js';

export interface WarmCommandRecord {
  /** The command word this process runs. */
  command: string;
  /** The built environment the command used (checked again before each replay). */
  built?: WarmCommandEntry['built'];
  /** Host variables the command's result depends on beyond the config and its words (HOME, PATH, USER always count). */
  envReads: EnvReads;
  data: unknown;
}

/** Writes the entry; says why not (undefined: written). Never fails the command. */
export async function recordWarmCommand(project: Project, record: WarmCommandRecord, rawArgv: readonly string[] = process.argv.slice(2)): Promise<string | undefined> {
  try {
    const argv = normalizeArgv(rawArgv);
    if (argv[0] !== record.command) return `this process runs ${argv[0]}, not ${record.command}`;
    const declared = declaredWarmModule(record.command);
    if (typeof declared === 'string') return declared;
    const keyOf = warmKeyer({
      configFile: project.paths.configFile,
      cwd: project.paths.projectDir,
      commandName: record.command,
      words: argv.slice(1),
      env: process.env,
      // As the lookup sees it (warm-command-run.ts): isatty, without building a stream for stdin.
      tty: isTerminal(0) && isTerminal(1),
    });
    const entry: WarmCommandEntry = {
      key: warmCommandKey(keyOf(record.envReads)),
      envReads: record.envReads,
      plugin: declared.plugin,
      toolFiles: project.toolFiles.map((path) => [path, fileStamp(path)]),
      built: record.built,
      messages: [...project.log.warnings],
      data: record.data,
    };
    const path = warmCommandFile(project.paths.flakeDir, record.command);
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    const others = (readWarmCommandFile(path)?.entries ?? []).filter((e) => e.key !== entry.key);
    const file: WarmCommandFile = { version: WARM_COMMAND_VERSION, entries: [entry, ...others].slice(0, WARM_COMMAND_ENTRIES_KEPT) };
    // The data may hold values from the host: owner only.
    await writeFileAtomic(path, `${JSON.stringify(file)}\n`, 0o600, { durable: false }); // a cache: compact, no fsync
    return undefined;
  } catch (error) {
    return `could not record it: ${(error as Error).message}`;
  }
}
