/**
 * Running Nix: flakes enabled explicitly (Nix 2.8 needs the flag), generated flakes addressed as
 * `git+file:` of their own repository (so Nix copies only the tracked flake files into the store,
 * never run state or secrets beside them), internal-json logs parsed into progress and readable
 * failures.
 */
import { pathToFileURL } from 'node:url';
import { exec, displayCommand, type ExecOptions } from '../exec.js';
import { ToolFailedError } from '../errors.js';
import { NixLogParser, formatProgress } from './nix-log.js';
import type { BuildFailureExplainer } from '../plugin-api.js';

/** Every nix invocation gets these; `--offline` joins them process-wide with anysnake2's `--offline`. */
export const NIX_FLAGS = ['--extra-experimental-features', 'nix-command flakes'];

/** anysnake2 --offline: Nix must not touch the network either (no substituters, no tarball refresh). */
export function nixOffline(): void {
  if (!NIX_FLAGS.includes('--offline')) NIX_FLAGS.push('--offline');
}
const INSTALL_HINT = 'install Nix with flakes: https://nixos.org/download (on Debian: apt-get install nix-bin)';

/**
 * The generated flake as Nix sees it: `git+file:` of the flake directory's own git repository
 * (emit.ts tracks exactly the files Nix reads). A `path:` flake would copy the whole directory —
 * run scripts, warm entries with expanded host variables, `.git` — into the world-readable store.
 * The path is percent-encoded, so spaces, `#` and `?` in a project path survive.
 */
export function flakeRef(flakeDir: string, attribute?: string): string {
  return `git+${pathToFileURL(flakeDir).href}${attribute ? `#${attribute}` : ''}`;
}

/** `nix` with flakes enabled, as plugins get it (`api.nixCli`). */
export const nixCli = {
  run: (args: readonly string[], options: ExecOptions = {}) => exec.run('nix', [...NIX_FLAGS, ...args], { installHint: INSTALL_HINT, ...options }),
  try: (args: readonly string[], options: ExecOptions = {}) => exec.try('nix', [...NIX_FLAGS, ...args], { installHint: INSTALL_HINT, ...options }),
};

/** A nix command whose output we only need on success. */
export async function nix(args: readonly string[], options: { cwd?: string } = {}): Promise<string> {
  return (await nixCli.run(args, { cwd: options.cwd })).stdout;
}

export interface ProgressSink {
  update(text: string): void;
  done(): void;
}

/**
 * Progress of long work. On a terminal, one self-updating line with the elapsed time; without one
 * (CI, nohup), plain lines with the elapsed time, at most one every ANYSNAKE2_PROGRESS_INTERVAL
 * seconds (default 10) and only when the text changed: quick work prints nothing, a long build
 * shows in the log that it goes on.
 */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): ProgressSink {
  const started = Date.now();
  const elapsed = () => formatElapsed(Date.now() - started);
  if (!stream.isTTY) {
    const interval = Number(process.env.ANYSNAKE2_PROGRESS_INTERVAL ?? 10) * 1000;
    let last = { at: started, text: '' };
    return {
      update(text) {
        const now = Date.now();
        if (text === last.text || now - last.at < interval) return;
        last = { at: now, text };
        stream.write(`[${elapsed()}] ${text}\n`);
      },
      done: () => {},
    };
  }
  let shown = false;
  return {
    update(text) {
      const width = (stream.columns ?? 80) - 1;
      stream.write(`\r\x1b[K${`[${elapsed()}] ${text}`.slice(0, width)}`);
      shown = true;
    },
    done() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
  };
}

/** 7s, 2m05s, 1h02m. */
export function formatElapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** `nix build` with progress; on failure, the failing derivation and its last log lines. */
export async function nixBuild(
  args: readonly string[],
  options: { cwd?: string; progress: ProgressSink; explainers?: readonly BuildFailureExplainer[]; buildLog?: (line: string) => void },
): Promise<string> {
  const buildLog = options.buildLog;
  const parser = new NixLogParser(
    buildLog &&
      ((derivation, line) => {
        options.progress.done();
        buildLog(`${derivation}> ${line}`);
      }),
  );
  const fullArgs = [...NIX_FLAGS, 'build', '--log-format', 'internal-json', '-v', ...args];
  const result = await exec.try('nix', fullArgs, {
    cwd: options.cwd,
    installHint: INSTALL_HINT,
    onStderrLine: (line) => {
      if (parser.feed(line)) options.progress.update(formatProgress(parser.progress));
    },
  });
  options.progress.done();
  if (result.exitCode !== 0) {
    // Failed builds with their logs; when nothing was built, the evaluation error itself.
    const failures: [string, readonly string[]][] = parser.failedBuilds.size > 0 ? [...parser.failedBuilds] : [['evaluation', parser.errors.flatMap((e) => e.split('\n'))]];
    const explained = failures.flatMap(([derivation, log]) =>
      (options.explainers ?? []).map((explain) => explain({ derivation, log })).filter((h): h is string => h !== undefined),
    );
    throw new ToolFailedError(`nix build failed: ${displayCommand('nix', fullArgs)}\n${indent(parser.failureSummary())}`, {
      hint: [...new Set(explained)].join('\n  hint: ') || 'for the whole log, rerun the command above with --show-trace, or see `nix log <drv>`',
    });
  }
  return result.stdout;
}

const indent = (text: string) => text.split('\n').map((l) => `  ${l}`).join('\n');
