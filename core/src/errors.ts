/**
 * The error classes of anysnake2, one per kind, each carrying its sysexits code.
 * User mistakes print their message (and hint) without a stack trace; `--verbose` adds the cause chain.
 */

export const ExitCode = {
  ok: 0,
  usage: 64, // EX_USAGE
  dataErr: 65, // EX_DATAERR: bad config
  noInput: 66, // EX_NOINPUT: config missing
  unavailable: 69, // EX_UNAVAILABLE: required tool missing
  software: 70, // EX_SOFTWARE: internal / other
  cantCreate: 73, // EX_CANTCREAT: a file or directory cannot be written
  ioErr: 74, // EX_IOERR: reading or writing failed (disk full, I/O error)
  tempFail: 75, // EX_TEMPFAIL: network and other transient failures
  /** Not sysexits: Nix's own status for "a build failed" — a package of the config does not build. */
  buildFailed: 100,
} as const;

/** On each error of ours: the kinds of its class and of every class above it (AnysnakeError.kind). */
const KINDS = Symbol.for('anysnake2.error-kinds');

type Kinded = { kind?: string };

function isOfKind(asked: abstract new (...args: never[]) => unknown, value: unknown): boolean {
  if (Function.prototype[Symbol.hasInstance].call(asked, value)) return true;
  const kinds = typeof value === 'object' && value !== null ? (value as { [KINDS]?: unknown })[KINDS] : undefined;
  return Object.hasOwn(asked, 'kind') && Array.isArray(kinds) && kinds.includes((asked as Kinded).kind);
}

export class AnysnakeError extends Error {
  /**
   * The kind, by which `instanceof` also knows an error made by another copy of these classes:
   * every CommonJS bundle (lib/light/, lib/warm/, lib/plugin-warm.cjs, a plugin's warm module) holds
   * its own copy, and what one throws, another reports or tells apart. A class without a kind of
   * its own is known by its class object only.
   */
  static readonly kind: string = 'AnysnakeError';

  static override [Symbol.hasInstance](value: unknown): boolean {
    // biome-ignore lint/complexity/noThisInStatic: the class `instanceof` asks about, a subclass as often as not
    return isOfKind(this, value);
  }

  readonly exitCode: number = ExitCode.software;
  /** One line telling the user what to do about it. */
  readonly hint?: string;
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options.hint;
    const kinds: string[] = [];
    for (let c: unknown = new.target; typeof c === 'function' && c !== Error; c = Object.getPrototypeOf(c)) if (Object.hasOwn(c, 'kind')) kinds.push((c as Kinded).kind!);
    Object.defineProperty(this, KINDS, { value: kinds });
  }
}

/** Wrong command-line usage: unknown command, missing argument. */
export class UsageError extends AnysnakeError {
  static override readonly kind: string = 'UsageError';
  override readonly exitCode = ExitCode.usage;
}

/** Where in the config file something is. Line and column are 1-based. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export interface ConfigIssue {
  /** TOML path as dotted display string, e.g. `nixpkgs.packages[2]`; empty for the whole file. */
  path: string;
  message: string;
  hint?: string;
  location?: SourceLocation;
}

/** The config is syntactically or semantically wrong. Carries every problem found, not just the first. */
export class ConfigError extends AnysnakeError {
  static override readonly kind: string = 'ConfigError';
  override readonly exitCode = ExitCode.dataErr;
  readonly issues: readonly ConfigIssue[];
  constructor(issues: ConfigIssue[], options: { cause?: unknown } = {}) {
    const ordered = inLineOrder(issues);
    super(ordered.map(formatIssue).join('\n'), options);
    this.issues = ordered;
  }
}

/** Problems as they appear in the file (a stable sort: problems without a place keep their order, last). */
function inLineOrder(issues: readonly ConfigIssue[]): ConfigIssue[] {
  const rank = (i: ConfigIssue) => (i.location ? [0, i.location.file, i.location.line, i.location.column] : [1, '', 0, 0]) as [number, string, number, number];
  return issues
    .map((issue, index) => ({ issue, index, key: rank(issue) }))
    .sort((a, b) => a.key[0] - b.key[0] || (a.key[1] < b.key[1] ? -1 : a.key[1] > b.key[1] ? 1 : 0) || a.key[2] - b.key[2] || a.key[3] - b.key[3] || a.index - b.index)
    .map((x) => x.issue);
}

/** The config file does not exist. */
export class ConfigMissingError extends AnysnakeError {
  static override readonly kind: string = 'ConfigMissingError';
  override readonly exitCode = ExitCode.noInput;
}

/** The config file exists but cannot be read as one: a directory, a FIFO, a symlink loop, no permission. */
export class ConfigUnreadableError extends AnysnakeError {
  static override readonly kind: string = 'ConfigUnreadableError';
  override readonly exitCode = ExitCode.noInput;
}

/** A file anysnake2 keeps in the project (not anysnake2.toml) is damaged: it names the file and the way out. */
export class DamagedStateError extends AnysnakeError {
  static override readonly kind: string = 'DamagedStateError';
  override readonly exitCode = ExitCode.dataErr;
}

/** A file or directory anysnake2 must write cannot be created (permissions, read-only file system). */
export class CantCreateError extends AnysnakeError {
  static override readonly kind: string = 'CantCreateError';
  override readonly exitCode = ExitCode.cantCreate;
}

/** Reading or writing failed below anysnake2: disk full, quota, I/O error. */
export class IoError extends AnysnakeError {
  static override readonly kind: string = 'IoError';
  override readonly exitCode = ExitCode.ioErr;
}

/** A program anysnake2 needs (nix, git, a container runtime) is not installed. */
export class ToolMissingError extends AnysnakeError {
  static override readonly kind: string = 'ToolMissingError';
  override readonly exitCode = ExitCode.unavailable;
}

/** A program ran and failed; the message carries the command and the relevant lines of its output. */
export class ToolFailedError extends AnysnakeError {
  static override readonly kind: string = 'ToolFailedError';
  override readonly exitCode: number = ExitCode.software;
}

/** Nix is installed but set up so that it cannot build here (root without the build users group). */
export class NixSetupError extends AnysnakeError {
  static override readonly kind: string = 'NixSetupError';
  override readonly exitCode = ExitCode.unavailable;
}

/** A derivation failed to build (its builder exited non-zero): not a bug of anysnake2, not transient. */
export class BuildFailedError extends AnysnakeError {
  static override readonly kind: string = 'BuildFailedError';
  override readonly exitCode = ExitCode.buildFailed;
}

/** A network (or other transient) failure; retrying later may help. */
export class TemporaryError extends AnysnakeError {
  static override readonly kind: string = 'TemporaryError';
  override readonly exitCode = ExitCode.tempFail;
}

/** A plugin written for another plugin API version: refused at load (exit 69). */
export class IncompatiblePluginError extends AnysnakeError {
  static override readonly kind: string = 'IncompatiblePluginError';
  override readonly exitCode = ExitCode.unavailable;
}

/** A plugin's hook tap failed: `[node] emitFlake: …`. Keeps the exit code of the underlying error. */
export class PluginHookError extends AnysnakeError {
  static override readonly kind: string = 'PluginHookError';
  override readonly exitCode: number;
  constructor(
    readonly plugin: string,
    readonly hook: string,
    cause: unknown,
  ) {
    const inner = cause instanceof Error ? cause.message : String(cause);
    super(`[${plugin}] ${hook}: ${inner}`, {
      cause,
      hint: cause instanceof AnysnakeError ? cause.hint : undefined,
    });
    this.exitCode = cause instanceof AnysnakeError ? cause.exitCode : ExitCode.software;
  }
}

/** `anysnake2.toml:3:5: ` — relative to the working directory when the file is inside it. */
export function formatLocation(loc: SourceLocation | undefined): string {
  if (!loc) return '';
  const cwd = process.cwd() + '/';
  const file = loc.file.startsWith(cwd) ? loc.file.slice(cwd.length) : loc.file;
  return `${file}:${loc.line}:${loc.column}: `;
}

export function formatIssue(issue: ConfigIssue): string {
  const where = issue.path ? `${issue.path}: ` : '';
  const hint = issue.hint ? `\n    hint: ${issue.hint}` : '';
  return `${formatLocation(issue.location)}${where}${issue.message}${hint}`;
}

/** Render any thrown value for the terminal: message + hint, and with `verbose` the cause chain and stack. */
export function renderError(error: unknown, verbose: boolean): { text: string; exitCode: number } {
  if (error instanceof ConfigError) {
    const count = error.issues.length;
    const lines = [`error: the config has ${count} problem${count === 1 ? '' : 's'}:`, ...error.issues.map((i) => `  ${formatIssue(i)}`)];
    if (verbose) lines.push(...causeChain(error));
    return { text: lines.join('\n'), exitCode: error.exitCode };
  }
  if (error instanceof AnysnakeError) {
    const lines = [`error: ${error.message}`];
    if (error.hint) lines.push(`  hint: ${error.hint}`);
    if (verbose) lines.push(...causeChain(error));
    return { text: lines.join('\n'), exitCode: error.exitCode };
  }
  const message = error instanceof Error ? error.message : String(error);
  const lines = [`error: internal error: ${message}`];
  if (verbose && error instanceof Error && error.stack) lines.push(error.stack);
  else lines.push('  (run with --verbose for the stack trace, and please report it)');
  return { text: lines.join('\n'), exitCode: ExitCode.software };
}

function causeChain(error: Error): string[] {
  const out: string[] = [];
  let current: unknown = error.cause;
  while (current !== undefined) {
    out.push(`caused by: ${current instanceof Error ? current.message : String(current)}`);
    current = current instanceof Error ? current.cause : undefined;
  }
  if (error.stack) out.push(error.stack);
  return out;
}
