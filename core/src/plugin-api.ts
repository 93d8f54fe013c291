/**
 * The PUBLIC contract between the core and every plugin (bundled or third-party).
 * Plugins import this module with `import type` only; everything they use at run time arrives
 * through the `PluginApi` object handed to `apply()`.
 */
import type { AsyncSeriesBailHook, AsyncSeriesHook } from 'tapable';
import type { Static, TSchema, JavaScriptTypeBuilder } from '@sinclair/typebox';
import type { NixConstructors } from './nix/construct.js';
import type { FlakeBuilder } from './nix/flake.js';
import type { SourceLocation } from './errors.js';
import type * as Errors from './errors.js';
import type * as Vcs from './vcs/url.js';
import type { Exec, ExecOptions, ExecResult } from './exec.js';

export type { Static, TSchema } from '@sinclair/typebox';
export type { NixExpr, NixBinding } from './nix/ast.js';
export type { FlakeBuilder, FlakeInput, FlakeEnvironment } from './nix/flake.js';
export type { VcsSource } from './vcs/url.js';
export type { ExecOptions, ExecResult } from './exec.js';
export type { SourceLocation } from './errors.js';

/** What a plugin's `anysnake2:plugin` oclif hook returns. */
export interface AnysnakePlugin {
  /** Short name used in messages and error attribution: `[python] emitFlake: …`. */
  readonly name: string;
  apply(api: PluginApi): void | Promise<void>;
}

/** Order of taps within one hook. Lower runs first; equal stages run in plugin-name order. */
export const Stage = {
  /** Things others build on (the core's nixpkgs input and overlay list). */
  foundation: -100,
  default: 0,
  /** Things that read what others registered (jupyter reads environments). */
  consumer: 100,
  /** `run` only: the container runtime that executes the plan (bails). */
  runtime: 1000,
} as const;

export interface Logger {
  info(message: string): void;
  warn(message: string, location?: SourceLocation): void;
  /** One line per deprecated spelling, shown once. */
  notice(message: string, location?: SourceLocation): void;
  debug(message: string): void;
}

export interface ProjectPaths {
  /** Absolute path of anysnake2.toml (or `-c FILE`). */
  readonly configFile: string;
  /** The working directory: `.anysnake2_flake/` and relative volumes live here. */
  readonly projectDir: string;
  /** `<projectDir>/.anysnake2_flake`. */
  readonly flakeDir: string;
}

/** The validated config, read-only. Section values have schema defaults applied. */
export interface ConfigView {
  section<T = unknown>(name: string): Readonly<T> | undefined;
  has(name: string): boolean;
  /** Names of all sections present in the file (after aliases), sorted. */
  readonly sectionNames: readonly string[];
  /** Where a TOML path is in the file, for plugin error messages. */
  locate(path: readonly (string | number)[]): SourceLocation | undefined;
  /** Whether the file itself sets this key (rather than a default filling it). */
  isWritten(path: readonly string[]): boolean;
}

export interface BaseContext {
  readonly config: ConfigView;
  readonly project: ProjectPaths;
  readonly log: Logger;
}

/** A value the tofu engine writes back into anysnake2.toml. */
export interface TofuUpdate {
  readonly path: readonly string[];
  readonly value: string | boolean | readonly string[] | Readonly<Record<string, string>>;
  /** Where it came from, for `tofu --explain`: e.g. `git ls-remote https://github.com/NixOS/nixpkgs`. */
  readonly source: string;
}

export type TofuValue = TofuUpdate['value'];

export interface ResolveContext extends BaseContext {
  /** True with `--offline`: lookups must fail instead of touching the network. */
  readonly offline: boolean;
  /** Record a known value; all pins of a run are applied to the file in one atomic rewrite. */
  pin(update: TofuUpdate): void;
  /** A value that needs a lookup; the engine runs all lookups of a run in parallel. */
  lookup(path: readonly string[], source: string, resolve: () => Promise<TofuValue>): void;
  /**
   * Pin a VCS url to the newest commit of its branch (default branch when none): nothing happens
   * when it is already pinned. `checkExportSubst`: GitHub repos using export-subst switch to git+https.
   */
  pinNewest(path: readonly string[], url: string, options?: { checkExportSubst?: boolean }): void;
  /** Pin a VCS url to the newest tag matching `pattern` (nixpkgs: /\d\d\.\d\d$/). */
  pinNewestTag(path: readonly string[], url: string, pattern: RegExp): void;
}

export interface EmitContext extends BaseContext {
  /** `--offline`: work that needs the network must fail with a message naming it. */
  readonly offline: boolean;
}

export interface BuildResult {
  /** `.anysnake2_flake/result` (symlink to the built store path). */
  readonly resultLink: string;
  /** The container root directory: `<result>/rootfs`. */
  readonly rootfs: string;
  /** What was built, e.g. `default` or `oci_image`. */
  readonly target: string;
}

export interface Bind {
  readonly source: string;
  readonly target: string;
  readonly mode: 'ro' | 'rw';
}

/** Everything a container runtime needs, independent of which runtime runs it. */
export interface RunPlan {
  rootfs: string;
  binds: Bind[];
  /** The container's environment, as `[container]` asks for it. */
  env: Record<string, string>;
  /**
   * Host variables that pass into the container as they are, when set and not in `env`: TERM,
   * the proxy variables, LANG and LC_* (what apptainer keeps under --cleanenv, plus the locale).
   * A runtime that passes some of them by itself may leave those off its command line.
   */
  passEnv?: Record<string, string>;
  home: string;
  /** Where the command starts: the directory anysnake2 was started from, when the container shows it. */
  workdir: string;
  argv: string[];
}

export interface RunContext extends BaseContext {
  /** `[cmd.<name>]` name, or `run` for ad-hoc commands. */
  readonly commandName: string;
  /** Name of the runtime chosen for this run, e.g. `apptainer` or `bwrap`. */
  readonly runtime: string;
  /** Host directory of this command's scripts (bound at /anysnake2); runtimes may write files here. */
  readonly scriptsDir: string;
  /** Nix form of `[outside_nixpkgs] url`, for `nix shell <it>#tool` when a tool is not on PATH. */
  readonly outsideNixpkgs: string;
  /** Run the runtime's command line (in dtach when enabled); resolves with the container's status. */
  launch(argv: readonly string[]): Promise<RunOutcome>;
}

export interface RunOutcome {
  readonly exitCode: number;
}

export interface CoreHooks {
  readonly resolve: AsyncSeriesHook<[ResolveContext]>;
  readonly emitFlake: AsyncSeriesHook<[FlakeBuilder, EmitContext]>;
  readonly postBuild: AsyncSeriesHook<[BuildResult, EmitContext]>;
  readonly run: AsyncSeriesBailHook<[RunPlan, RunContext], RunOutcome | undefined>;
}

export type HookName = keyof CoreHooks;

/** A container runtime a plugin provides; the core picks one per run (`[container] runtime`). */
export interface RuntimeDefinition {
  /** The name users write in `[container] runtime`, e.g. `apptainer`. */
  readonly name: string;
  /** Preference for `runtime = "auto"`: higher wins among the available ones. */
  readonly priority: number;
  /** Whether it can run here without installing anything (cheap: no processes). */
  available(): Promise<boolean>;
  /** What to install when it is missing, for the exit-69 message. */
  readonly installHint: string;
}

/** One finding of `anysnake2 doctor` (docs/doctor.md). */
export interface DoctorFinding {
  /** Stable id, prefixed with the plugin's topic, e.g. `slurm.tools`. */
  readonly id: string;
  readonly status: 'ok' | 'warn' | 'fail';
  readonly summary: string;
  readonly detail?: string;
  readonly fix?: string;
}

/** A plugin's own doctor check; it runs beside the core's, concurrently, with a bounded time. */
export interface PluginDoctorCheck {
  readonly name: string;
  /** `config` is the project's, when a valid one is here; `offline` means: touch no network. */
  run(context: { readonly config?: ConfigView; readonly offline: boolean; readonly env: NodeJS.ProcessEnv }): Promise<DoctorFinding[]>;
}

/** A derivation that failed in `nix build`, for plugins that can explain common failures. */
export interface BuildFailure {
  /** Derivation name without hash and `.drv`, e.g. `needs-tinybuild-1.0`; `evaluation` when evaluating the flake failed. */
  readonly derivation: string;
  /** Its last log lines. */
  readonly log: readonly string[];
}

/** Returns a one-line fix for a failure it recognises, else undefined. */
export type BuildFailureExplainer = (failure: BuildFailure) => string | undefined;

/** Reports problems found by a section's semantic check; paths are relative to the section. */
export interface IssueReporter {
  error(path: readonly (string | number)[], message: string, hint?: string): void;
  warn(path: readonly (string | number)[], message: string): void;
}

export interface SectionDefinition<S extends TSchema = TSchema> {
  /** The top-level TOML key, e.g. `python`, `R`, `flake-util`. */
  readonly name: string;
  readonly schema: S;
  readonly description: string;
  /**
   * Migrate legacy spellings inside the section before validation (returns the new value).
   * Notices issued here are shown as one-line deprecations.
   */
  normalize?(value: unknown, report: IssueReporter & { notice(path: readonly (string | number)[], message: string): void }): unknown;
  /** Semantic checks beyond the schema (URL grammar, version formats); `section` reads other sections as written. */
  check?(value: Static<S>, report: IssueReporter, section: (name: string) => unknown): void;
}

/** A key or section that moved: the old spelling keeps working, with a one-line notice. */
export interface Rename {
  /** Dotted TOML path of the old spelling, e.g. `container.dtach` or `devshell`. */
  readonly from: string;
  readonly to: string;
}

/** A section that older versions wrote and that has no effect any more: warned about, then dropped. */
export interface RetiredSection {
  readonly name: string;
  readonly reason: string;
}

/** A plugin's optional key in every entry of another plugin's table of tables, e.g. `[cmd.<name>.slurm]`. */
export interface EntryExtension<S extends TSchema = TSchema> {
  /** The section whose entries gain the key, e.g. `cmd`. */
  readonly section: string;
  readonly key: string;
  readonly schema: S;
  /** Semantic checks of one entry's value; paths are relative to `<section>.<name>.<key>`. */
  check?(value: Static<S>, report: IssueReporter, section: (name: string) => unknown): void;
}

export interface SectionRegistry {
  register<S extends TSchema>(definition: SectionDefinition<S>): void;
  rename(rename: Rename): void;
  retire(section: RetiredSection): void;
  /** Add a key to each entry of a registered table of tables (applied in plugin order, after the owner). */
  extendEntries<S extends TSchema>(extension: EntryExtension<S>): void;
}

export interface PluginApi {
  /** The plugin's own name, as used in error attribution. */
  readonly name: string;
  readonly hooks: CoreHooks;
  readonly Stage: typeof Stage;
  readonly sections: SectionRegistry;
  readonly runtimes: { register(runtime: RuntimeDefinition): void };
  /** TypeBox's `Type` builder for section schemas (they double as the published JSON Schema). */
  readonly schema: JavaScriptTypeBuilder;
  readonly nix: NixConstructors;
  readonly vcs: Pick<typeof Vcs, 'parseVcsUrl' | 'toNixForm' | 'toTomlForm' | 'withDir' | 'isPinned' | 'VcsUrlError'>;
  readonly exec: Exec;
  readonly errors: Pick<
    typeof Errors,
    'AnysnakeError' | 'UsageError' | 'ConfigError' | 'ToolMissingError' | 'ToolFailedError' | 'TemporaryError'
  >;
  readonly log: Logger;
  /** Semantic checks shared by sections, for use in `SectionDefinition.check`. */
  readonly checks: {
    vcsUrl(report: IssueReporter, path: readonly (string | number)[], value: unknown): void;
    nixCode(report: IssueReporter, path: readonly (string | number)[], code: string): void;
  };
  /** Where an executable is on PATH, without spawning anything. */
  which(name: string): Promise<string | undefined>;
  /** Shell-quote words into one bash line. */
  shellQuote(words: readonly string[]): string;
  /** The running anysnake2 version. */
  readonly version: string;
  /** Running `nix` with flakes enabled (the flags Nix 2.8 needs), through the one process wrapper. */
  readonly nixCli: {
    run(args: readonly string[], options?: ExecOptions): Promise<ExecResult>;
    try(args: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  };
  /** Check out `{ name: url }` once into `<dir>/<name>` under the project, exactly as `[clones.<dir>]` does. */
  ensureCheckouts(context: BaseContext, dir: string, checkouts: Readonly<Record<string, string>>): Promise<void>;
  /** Whether a tool's output (git, hg, nix, curl) says the network failed (then: TemporaryError, exit 75). */
  isNetworkFailure(output: string): boolean;
  /** Teach the core what a failed build means (shown as hints under nix's failure summary). */
  explainBuildFailure(explainer: BuildFailureExplainer): void;
  /** Add checks to `anysnake2 doctor`. */
  readonly doctor: { register(check: PluginDoctorCheck): void };
  /** A self-updating status line on a terminal (nothing when stderr is not a TTY), for long work. */
  progress(): { update(text: string): void; done(): void };
  /** Replace a file atomically (temp file + rename); `mode` e.g. 0o600 for expanded environment values. */
  writeFileAtomic(path: string, content: string, mode?: number): Promise<void>;
}
