/**
 * The version switch (behaviour reference §12): a project pins the anysnake2 it was made with in
 * `[anysnake2] url2`; a command that builds or runs the project (command-kind.ts) re-executes the
 * pinned version with the original words and exits with its status. It runs before oclif loads
 * anything (bin/run.js, after a warm-path miss), so the pinned version reads the config, and only
 * when the pin differs from the running version (the original re-executed every time). Commands
 * that read, explain or complete never fetch or start the pinned version: url2 is chosen by
 * whoever wrote the config, possibly a repository you just cloned. Never on `--version` or on the
 * warm path: a warm entry is only recorded by a version that ran the project itself.
 */
import { childProcess, isatty } from '../lazy-builtins.js';
import { resolve } from 'node:path';
import { normalizeArgv, readGlobalOptions } from '../argv.js';
import { DEFAULT_CONFIG_NAME } from '../config/default-name.js';
import { readConfigBytesSync } from '../config/config-file-access.js';
import { ConfigError, formatLocation, type SourceLocation } from '../errors.js';
import type { Fetched } from './fetch.js';
import { commandKind } from './command-kind.js';
import { npmPin, parseVersionPin, PinError, type VersionPin } from './pin.js';
import { runningPackage, type RunningPackage } from './running.js';

/** Set for the switched-to child (to the url2 it runs for): it never switches again. */
export const SWITCHED_ENV = 'ANYSNAKE2_VERSION_SWITCHED';
/**
 * Set when `--no-version-switch` keeps a version the project does not pin: it is part of the
 * warm path's fingerprint, so that run is never replayed for a later invocation that must switch.
 */
export const NOT_SWITCHED_ENV = 'ANYSNAKE2_VERSION_NOT_SWITCHED';

/**
 * Switch if the project pins another anysnake2: the child's exit status, or undefined to carry on
 * with this one. `switchedFrom`: the guard the parent set (bin/run.js removes it from the
 * environment before anything else runs, so nothing started later inherits it).
 */
export async function versionSwitch(rawArgv: readonly string[], options: { switchedFrom?: string; cwd?: string } = {}): Promise<number | undefined> {
  if (options.switchedFrom !== undefined) return undefined;
  const kind = commandKind(rawArgv);
  // Completion runs on every Tab: it reads no url2 and prints nothing but candidates.
  if (kind === 'quiet') return undefined;
  const cwd = options.cwd ?? process.cwd();
  const argv = normalizeArgv(rawArgv);
  const globals = readGlobalOptions(argv.slice(1));
  const configFile = resolve(cwd, globals.config ?? DEFAULT_CONFIG_NAME);
  const running = runningPackage();
  const found = await readUrl2(configFile, running);
  if (!found) return undefined;
  let pin: VersionPin;
  try {
    pin = parsePin(found.url2, found.location);
  } catch (error) {
    // A read-only command goes on (`check` reports the url2 with every other problem).
    if (kind === 'read' && error instanceof ConfigError) return undefined;
    throw error;
  }
  if (pin.kind === 'legacy') {
    process.stderr.write(
      `${formatLocation(found.location)}notice: url2 pins the original anysnake2 2.x (${pin.shown}); anysnake2 ${running.version} is its successor and runs this project itself. To pin it, write url2 = "${npmPin(running.version)}"\n`,
    );
    return undefined;
  }
  if (pin.kind === 'dev' || !differs(pin, running)) return undefined;
  const shown = pin.kind === 'npm' ? (pin.pkg === running.name ? pin.version : `${pin.pkg}@${pin.version}`) : pin.shown;
  if (kind === 'read') {
    process.stderr.write(
      `note: ${relativeName(configFile, cwd)} pins anysnake2 ${shown}; this read-only command runs in the installed ${running.version} (commands that build or run switch)\n`,
    );
    return undefined;
  }
  const beforeCommand = argv.slice(0, argv.includes('--') ? argv.indexOf('--') : argv.length);
  if (beforeCommand.includes('--no-version-switch')) {
    process.env[NOT_SWITCHED_ENV] = found.url2;
    return undefined;
  }
  process.stderr.write(`switching to anysnake2 ${shown} (pinned in ${relativeName(configFile, cwd)})\n`);
  // Only a switch needs the process machinery.
  const { fetchFromNpm, fetchWithNix } = await import('./fetch.js');
  const fetched = pin.kind === 'npm' ? await fetchFromNpm(pin.pkg, pin.version, cwd, globals.offline) : await fetchWithNix(pin.nixForm, pin.nixShown, cwd, globals.offline);
  return runChild(fetched, rawArgv, found.url2);
}

/**
 * The url2 string and where it is; undefined when there is no file, no url2, or (the usual case)
 * it pins the running version or "dev" — those need no TOML parser on the start-up path.
 * A broken file is left to the command, which reports it properly.
 */
async function readUrl2(configFile: string, running: RunningPackage): Promise<{ url2: string; location?: SourceLocation } | undefined> {
  let text: string;
  try {
    text = readConfigBytesSync(configFile)?.toString('utf8') ?? ''; // never blocks on a FIFO
  } catch {
    return undefined;
  }
  const written = [...text.matchAll(/^[ \t]*url2[ \t]*=[ \t]*"([^"\\\n]*)"/gm)].map((m) => m[1]);
  if (!text.includes('url2') || (written.length > 0 && written.every((v) => v === 'dev' || v === npmPin(running.version)))) return undefined;
  const { parseTomlDocument } = await import('../config/toml-document.js');
  try {
    const doc = parseTomlDocument(text, configFile);
    const section = doc.value['anysnake2'];
    const url2 = typeof section === 'object' && section !== null ? (section as Record<string, unknown>)['url2'] : undefined;
    return typeof url2 === 'string' ? { url2, location: doc.locate(['anysnake2', 'url2']) } : undefined;
  } catch (error) {
    if (error instanceof ConfigError) return undefined;
    throw error;
  }
}

function parsePin(url2: string, location: SourceLocation | undefined): VersionPin {
  try {
    return parseVersionPin(url2);
  } catch (error) {
    if (!(error instanceof PinError)) throw error;
    throw new ConfigError([{ path: 'anysnake2.url2', message: error.message, hint: error.hint, location }]);
  }
}

function differs(pin: Extract<VersionPin, { kind: 'npm' | 'nix' }>, running: RunningPackage): boolean {
  // A branch or commit names no version: only a release tag can be known to match.
  return pin.kind === 'npm' ? pin.pkg !== running.name || pin.version !== running.version : pin.version !== running.version;
}

function relativeName(file: string, cwd: string): string {
  return file.startsWith(`${cwd}/`) ? file.slice(cwd.length + 1) : file;
}

const FROM_TERMINAL = new Set<NodeJS.Signals>(['SIGINT', 'SIGQUIT']);

/**
 * Run the pinned version in the foreground with the original words. A terminal's Ctrl-C reaches
 * the child directly (same process group), so Ctrl-C and Ctrl-\ are only forwarded without one;
 * TERM and HUP are always passed on. Exit with the child's status (128+n for a signal).
 */
async function runChild(fetched: Fetched, rawArgv: readonly string[], url2: string): Promise<number> {
  // Loaded here: node:child_process brings ~30 more built-in modules (net, dgram, streams) that a
  // start which does not switch (`config`, help, every light command before it spawns) would load for nothing.
  const { spawn } = childProcess();
  // isatty(0), not process.stdin.isTTY: that getter builds a stream for stdin, inside a signal handler.
  const fromTerminal = isatty(0);
  let child: import('node:child_process').ChildProcess | undefined;
  const forward = (signal: NodeJS.Signals) => () => {
    if (!FROM_TERMINAL.has(signal) || !fromTerminal) child?.kill(signal);
  };
  // Listening before the spawn: the child may start (and be signalled by whoever waits for it) before
  // spawn() returns here; a signal in that window would otherwise end us by its default action and
  // leave the child running. JavaScript handlers run only after spawn() returned, so `child` is set.
  const handlers = (['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const).map((signal) => [signal, forward(signal)] as const);
  for (const [signal, handler] of handlers) process.on(signal, handler);
  try {
    child = spawn(fetched.command, [...fetched.args, ...rawArgv], { stdio: 'inherit', env: { ...process.env, [SWITCHED_ENV]: url2 } });
  } catch (error) {
    for (const [name, handler] of handlers) process.off(name, handler);
    throw error;
  }
  const started = child;
  return new Promise((resolvePromise, reject) => {
    started.on('error', (error) => {
      for (const [name, handler] of handlers) process.off(name, handler);
      reject(error);
    });
    started.on('close', (code, signal) => {
      for (const [name, handler] of handlers) process.off(name, handler);
      resolvePromise(code ?? 128 + (signal === 'SIGHUP' ? 1 : signal === 'SIGINT' ? 2 : signal === 'SIGQUIT' ? 3 : signal === 'SIGKILL' ? 9 : 15));
    });
  });
}
