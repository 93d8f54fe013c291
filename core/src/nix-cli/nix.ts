/**
 * Running Nix: flakes enabled explicitly (Nix 2.8 needs the flag), generated flakes addressed as
 * `git+file:` of their own repository (so Nix copies only the tracked flake files into the store,
 * never run state or secrets beside them), internal-json logs parsed into progress and readable
 * failures.
 */
import { pathToFileURL } from 'node:url';
import { exec, displayCommand, type ExecOptions } from '../exec.js';
import { BuildFailedError, TemporaryError, ToolFailedError } from '../errors.js';
import { isNetworkFailure } from '../network-failure.js';
import { NixLogParser, formatProgress } from './nix-log.js';
import { assertNixCanBuild, buildUsersFailure } from './build-users.js';
import { nixReadablePath } from './nix-readable-path.js';
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
 * A path Nix would misread (a space, `%`, `#`…) is reached through a plainly named link
 * (nix-readable-path.ts).
 */
export function flakeRef(flakeDir: string, attribute?: string): string {
  return `git+${pathToFileURL(nixReadablePath(flakeDir)).href}${attribute ? `#${attribute}` : ''}`;
}

/** Nix subcommands that build (and so need usable build users when run as root). */
const BUILDING = new Set(['build', 'shell', 'develop', 'run', 'profile']);

/** Before a command that builds: the root/`nixbld` trap, explained (build-users.ts). */
export async function beforeBuilding(args: readonly string[]): Promise<void> {
  if (BUILDING.has(args[0] ?? '')) await assertNixCanBuild(NIX_FLAGS);
}

/** `nix` with flakes enabled, as plugins get it (`api.nixCli`). */
export const nixCli = {
  run: async (args: readonly string[], options: ExecOptions = {}) => {
    await beforeBuilding(args);
    return exec.run('nix', [...NIX_FLAGS, ...args], { installHint: INSTALL_HINT, ...options });
  },
  try: async (args: readonly string[], options: ExecOptions = {}) => {
    await beforeBuilding(args);
    return exec.try('nix', [...NIX_FLAGS, ...args], { installHint: INSTALL_HINT, ...options });
  },
};

/**
 * `nix flake lock`: fetching every input. A host that cannot be reached is a temporary failure
 * (75); anything else keeps Nix's message (a missing local path is caught earlier, by `check`).
 */
export async function nixFlakeLock(flakeDir: string): Promise<void> {
  const args = [...NIX_FLAGS, 'flake', 'lock', flakeRef(flakeDir)];
  const result = await exec.try('nix', args, { installHint: INSTALL_HINT });
  if (result.exitCode === 0) return;
  const errors = nixErrorLines(result.stderr);
  const message = `nix flake lock failed: ${displayCommand('nix', args)}\n${indent(errors)}`;
  if (isNetworkFailure(errors))
    throw new TemporaryError(message, {
      hint: 'Nix could not fetch a flake input: check the network and proxy settings (or run with --offline when everything is fetched), then run again',
    });
  throw new ToolFailedError(message);
}

/** Nix's error lines without its warnings (`warning: error: unable to download … retrying`, an unreachable substituter). */
function nixErrorLines(stderr: string): string {
  return withoutWarnings(stderr.replace(/\x1b\[[0-9;]*[A-Za-z]/g, ''))
    .trimEnd()
    .split('\n')
    .slice(-20)
    .join('\n');
}

function withoutWarnings(text: string): string {
  return text
    .split('\n')
    .filter((l) => !/^warning: /.test(l))
    .join('\n');
}

/** Nix's fetchers (builtin:fetchurl, fetchTree) and nixpkgs' curl say so when they could not download. */
const DOWNLOAD_FAILED = /unable to download '|curl: \(\d+\)|error: cannot download/;

/** The evaluation failed (nothing was built): the caller may know which config key is to blame. */
export class NixEvaluationError extends ToolFailedError {
  constructor(
    message: string,
    /** Nix's own error text. */
    readonly nixError: string,
    options: { hint?: string },
  ) {
    super(message, options);
  }
}

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

/**
 * `nix build` with progress. Failures are sorted by who can fix them: a builder that failed
 * (BuildFailedError, 100: the derivation, its log tail, a command to rerun with the full log), a
 * download that failed (TemporaryError, 75), an evaluation error (NixEvaluationError, 70 unless the
 * caller maps it to a config key), the root/`nixbld` trap (69).
 */
export async function nixBuild(
  args: readonly string[],
  options: { cwd?: string; progress: ProgressSink; explainers?: readonly BuildFailureExplainer[]; buildLog?: (line: string) => void },
): Promise<string> {
  await beforeBuilding(['build']);
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
  if (result.exitCode === 0) return result.stdout;
  // Failed builds with their logs; when nothing was built, the evaluation error itself.
  const failures: [string, readonly string[]][] = parser.failedBuilds.size > 0 ? [...parser.failedBuilds] : [['evaluation', parser.errors.flatMap((e) => e.split('\n'))]];
  const explained = failures.flatMap(([derivation, log]) => (options.explainers ?? []).map((explain) => explain({ derivation, log })).filter((h): h is string => h !== undefined));
  const summary = parser.failureSummary();
  const hints = [...new Set(explained)];
  const setup = buildUsersFailure(parser.errors.join('\n'));
  if (setup) throw setup;
  // What the user can paste: the same build with the build logs shown (-L), no internal-json, no out-link.
  const rerun = displayCommand('nix', [...NIX_FLAGS, 'build', '-L', '--no-link', ...withoutOutLink(args)]);
  const failed = [...parser.failedDerivations];
  if (failed.length > 0) {
    const downloads = failed.every(([name]) => {
      const log = parser.failedBuilds.get(name)?.join('\n') ?? '';
      return DOWNLOAD_FAILED.test(log) && isNetworkFailure(log);
    });
    if (downloads)
      throw new TemporaryError(`nix build could not download ${failed.map(([name]) => name).join(', ')}:\n${indent(summary)}`, {
        hint: 'check the network and proxy settings, then run again',
      });
    const names = failed.map(([name]) => name).join(', ');
    const logs = failed.map(([, drv]) => displayCommand('nix', [...NIX_FLAGS, 'log', drv])).join('; ');
    throw new BuildFailedError(`${failed.length === 1 ? 'a package' : `${failed.length} packages`} failed to build: ${names}\n${indent(summary)}`, {
      hint: [...hints, `the whole build log: ${logs}`, `to build it again and watch its log: ${rerun}`].join('\n  hint: '),
    });
  }
  // Nix's errors only: an unreachable substituter is a warning beside any error, not its cause.
  if (isNetworkFailure(withoutWarnings(parser.errors.join('\n'))))
    throw new TemporaryError(`nix build could not reach the network:\n${indent(summary)}`, {
      hint: 'Nix could not fetch a flake input or a file: check the network and proxy settings, then run again',
    });
  throw new NixEvaluationError(`nix build failed: ${rerun}\n${indent(summary)}`, parser.errors.join('\n'), {
    hint: hints.join('\n  hint: ') || `to see where in the flake: ${rerun} --show-trace`,
  });
}

/** The build arguments without `--out-link PATH` (a pasted rerun should not replace the project's result link). */
function withoutOutLink(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--out-link' || args[i] === '-o') i++;
    else out.push(args[i]!);
  }
  return out;
}

const indent = (text: string) =>
  text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
