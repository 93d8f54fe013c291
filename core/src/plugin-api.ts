/**
 * The PUBLIC contract between the core and every plugin (bundled or third-party).
 * Plugins import this module with `import type` only; everything they use at run time arrives
 * through the `PluginApi` object handed to `apply()`.
 */
import type { AsyncSeriesHook } from 'tapable';
import type { Static, TSchema, JavaScriptTypeBuilder } from '@sinclair/typebox';
import type { NixConstructors } from './nix/construct.js';
import type { FlakeEnvironment, FlakeInput, NixpkgsAttribute } from './nix/flake.js';
import type { NixExpr } from './nix/ast.js';
import type { SourceLocation } from './errors.js';
import type * as Errors from './errors.js';
import type * as Vcs from './vcs/url.js';
import type { Exec, ExecOptions, ExecResult } from './exec.js';

export type { Static, TSchema } from '@sinclair/typebox';
export type { NixExpr, NixBinding } from './nix/ast.js';
export type { FlakeInput, FlakeEnvironment, NixpkgsAttribute } from './nix/flake.js';

/**
 * What plugins describe the flake with during `emitFlake` (the core renders it afterwards). Every
 * collection is ordered, so the same config gives byte-identical output; nothing here takes Nix text.
 */
export interface FlakeBuilder {
  addInput(name: string, input: FlakeInput): void;
  hasInput(name: string): boolean;
  /** Our input names, sorted. */
  readonly inputNames: readonly string[];
  /** A binding in the per-system `let` block (in scope for packages, overlays and outputs). */
  let(name: string, value: NixExpr): void;
  /** A package linked into the rootfs. Evaluated inside `with pkgs;`; de-duplicated by its printed text. */
  addPackage(expr: NixExpr): void;
  /**
   * A folder (or file) of the rootfs packages linked to a place of its own in the rootfs, e.g. every
   * package's `lib/node_modules` into `/node_modules`. The core links only bin, etc, lib and share.
   */
  linkIntoRootfs(link: RootfsLink): void;
  /** An overlay on the core's nixpkgs; lower `order` applies first. */
  addOverlay(expr: NixExpr, opts: { order?: number; owner: string }): void;
  /** A devShell `nativeBuildInputs` entry (evaluated inside `with pkgs;`). */
  addDevShellInput(expr: NixExpr): void;
  /** An environment variable exported in `anysnake2 develop`. */
  setDevShellEnv(name: string, value: string | NixExpr): void;
  /** An extra per-system output, e.g. `packages.oci_image`; path relative to the per-system set. */
  addOutput(path: string, expr: NixExpr): void;
  /** An extra file written (and git-tracked) next to flake.nix, e.g. a lock file the flake reads. */
  addFile(relativePath: string, content: string): void;
  /** A directory inside the flake directory the flake reads (git-tracked with it). */
  addTree(relativePath: string): void;
  /**
   * Record that a config key names a top-level attribute of the configured nixpkgs: when Nix cannot
   * evaluate the flake, the core checks it against the pinned nixpkgs' names and blames the key (65).
   */
  expectNixpkgsAttribute(attribute: NixpkgsAttribute): void;
  registerEnvironment<K extends string>(env: FlakeEnvironment<K>): void;
  /** The registered environments of one kind, their facts typed by `EnvironmentKinds`. */
  environmentsOf<K extends string>(kind: K): readonly FlakeEnvironment<K>[];
  /** Every registered environment. */
  readonly environments: readonly FlakeEnvironment[];
}

/** See FlakeBuilder.linkIntoRootfs. Paths are relative, plain (letters, digits, `._-/`), without `..`. */
export interface RootfsLink {
  /** The path inside each rootfs package, e.g. `lib/node_modules`: a folder is merged (lndir), a file linked. */
  readonly from: string;
  /** The path inside the rootfs, e.g. `node_modules`. */
  readonly to: string;
  /** Only for packages that have this path (default: `from`), e.g. `lib/node_modules/.package-lock.json`. */
  readonly when?: string;
  /** Create the folder `to` even when no package has `from` (a place the container's programs expect). */
  readonly always?: boolean;
}

/**
 * The facts of each environment kind, by kind. Empty here: a plugin that registers (or defines)
 * a kind adds it by declaration merging, and readers get typed facts from
 * `flake.environmentsOf(kind)`:
 *
 *     declare module '@anysnake2/core/plugin-api' {
 *       interface EnvironmentKinds { node: { version: string; packages: readonly string[] } }
 *     }
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface EnvironmentKinds {}

/** The facts of kind K: declared in EnvironmentKinds, else free-form. */
export type FactsOf<K extends string> = K extends keyof EnvironmentKinds ? Readonly<EnvironmentKinds[K]> : Readonly<Record<string, unknown>>;
export type { VcsSource } from './vcs/url.js';
export type { ExecOptions, ExecResult } from './exec.js';
export type { SourceLocation } from './errors.js';

/**
 * The plugin API version. A plugin declares the versions it was written for in its package.json,
 * `"anysnake2": { "apiVersion": "2" }` (several: `"2 || 3"`); a plugin that names others is refused
 * at load (exit 69). Version 2: runtimes plan a LaunchSpec, enrichers tap `enrichRun`.
 */
export const API_VERSION = 2;

/** What a plugin's `anysnake2:plugin` oclif hook returns. */
export interface AnysnakePlugin {
  /** Short name used in messages and error attribution: `[node] emitFlake: …`. */
  readonly name: string;
  apply(api: PluginApi): void | Promise<void>;
}

/** Order of taps within one hook. Lower runs first; equal stages run in plugin-name order. */
export const Stage = {
  /** Things others build on (the core's nixpkgs input and overlay list). */
  foundation: -100,
  default: 0,
  /** Things that read what others registered (e.g. a notebook plugin reading the language environments). */
  consumer: 100,
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

/**
 * The value type of each section, by name, for `config.section(name)`. Empty here: a plugin that
 * registers a section may add it by declaration merging (e.g. `node: Static<typeof schema>`).
 */
// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface ConfigSections {}

/** The validated config, read-only. Section values have schema defaults applied. */
export interface ConfigView {
  /** A declared section (ConfigSections) comes typed; any other takes the type you name. */
  section<K extends keyof ConfigSections>(name: K): Readonly<ConfigSections[K]> | undefined;
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

/**
 * The host's NVIDIA GPU, for `[container] gpu = true` (core/src/pipeline/gpu.ts finds it): a
 * runtime with a GPU switch of its own uses that; others bind `devices` and put `libraries` at `libDir`.
 */
export interface GpuView {
  /** `/dev/nvidia0`, `/dev/nvidiactl`, `/dev/nvidia-uvm`, …: empty on a host without a GPU. */
  readonly devices: readonly string[];
  /** The driver's user-space libraries from `ldconfig -p`: the name inside `libDir`, the host path. */
  readonly libraries: readonly { readonly name: string; readonly path: string }[];
  /** Where the libraries go inside (and what LD_LIBRARY_PATH gains). */
  readonly libDir: string;
}

/**
 * An image file a run starts from instead of the built rootfs (a batch job on a node without
 * /nix/store): its kind names the format (what `RuntimeDefinition.imageKinds` lists), its sha256
 * was checked against the file just before the plan was made.
 */
export interface RunImage {
  readonly kind: string;
  /** Absolute path of the file. */
  readonly path: string;
  /** Lower-case hex sha256 of the file's bytes. */
  readonly sha256: string;
}

/** Everything a container runtime needs, independent of which runtime runs it. */
export interface RunPlan {
  /** The built rootfs folder; empty when `image` is set. */
  rootfs: string;
  /**
   * Start this image file instead of `rootfs`: it holds the closure itself, so `binds` has no
   * /nix/store and nothing was built. Only a runtime whose `imageKinds` lists its kind gets it.
   */
  image?: RunImage;
  binds: Bind[];
  /** The container's environment, as `[container]` asks for it. */
  env: Record<string, string>;
  /**
   * Host variables that pass into the container as they are, when set and not in `env`: TERM,
   * the proxy variables, LANG and LC_* (what HPC container runtimes keep with a clean environment, plus the locale).
   * A runtime that passes some of them by itself may leave those off its command line.
   */
  passEnv?: Record<string, string>;
  home: string;
  /** Where the command starts: the directory anysnake2 was started from, when the container shows it. */
  workdir: string;
  argv: string[];
  /** Present when `[container] gpu = true`. */
  gpu?: GpuView;
  /**
   * Prefixes of host variable names (e.g. a batch system's job variables) whose variables pass into
   * the container with the values they have when it starts — every start, also a warm-path replay —
   * so the LaunchSpec does not carry them (a job's ids differ per job; the plan does not). `env`
   * wins over them. The warm path's fingerprint counts only their names (warm/warm-entry.ts).
   */
  envAtStart?: string[];
}

export interface RunContext extends BaseContext {
  /** `[cmd.<name>]` name, or `run` for ad-hoc commands. */
  readonly commandName: string;
  /** Name of the runtime chosen for this run, e.g. `mybox`. */
  readonly runtime: string;
  /**
   * Host directory of this command's scripts, bound read-only at /anysnake2: `run.sh` and
   * `outer_run.sh` (what `RunPlan.argv` runs), `passwd` and `group` (the host user, for runtimes
   * that do not inject it), `warm.json`. A runtime's `LaunchSpec.files` go here. Owner-only (0700).
   */
  readonly scriptsDir: string;
  /** Nix form of `[outside_nixpkgs] url`, for `nix shell <it>#tool` when a tool is not on PATH. */
  readonly outsideNixpkgs: string;
  /**
   * For a runtime that runs an image instead of the rootfs folder: writes the OCI image archive of
   * `build oci` for this rootfs to `output` (a file the runtime removes when done with it) — no
   * environment, scripts or default command in it (the RunPlan gives those), so it depends only on
   * the rootfs store path. Slow (it packs the whole closure): cache by that path.
   */
  ociImage(output: string): Promise<{ readonly path: string; readonly digest: string }>;
}

/** What an enricher adds to the RunPlan (`hooks.enrichRun`); the core merges it, later taps see it. */
export interface RunAdditions {
  /** Appended to `RunPlan.binds`, in this order. */
  readonly binds?: readonly Bind[];
  /** Set in `RunPlan.env` (replacing a value already there: read `plan.env` to extend one). */
  readonly env?: Readonly<Record<string, string>>;
  /** Added to `RunPlan.envAtStart`: name prefixes ([A-Za-z_][A-Za-z0-9_]*) passed in at each start. */
  readonly envAtStart?: readonly string[];
}

/** A file the core writes before every start of the container, also on the warm path. */
export interface LaunchFile {
  /** Absolute path inside `RunContext.scriptsDir`. */
  readonly path: string;
  readonly content: string;
  /** Default 0o600: these files usually carry [container.env] values. */
  readonly mode?: number;
}

/**
 * Text the runtime process reads on an inherited file descriptor (e.g. an argument file a runtime reads from descriptor 3): it never
 * appears on a command line, and no file holds it once the runtime runs — the core writes it to an
 * owner-only file, opens it and removes it before starting the runtime (in dtach, the session's
 * shell opens and removes that file as the container starts).
 */
export interface LaunchInput {
  /** The descriptor number in the runtime process: 3 to 9, each once per spec. */
  readonly fd: number;
  readonly content: string;
}

/**
 * How to start the container: plain data a runtime's `plan()` returns. The core writes `files`,
 * starts `argv` (in dtach when enabled, passing signals on, returning the container's status),
 * removes `cleanup` afterwards, and records the whole spec so the warm path replays it without
 * loading any plugin. So: no functions, nothing that depends on the moment (it must be valid for
 * every later start with the same config, environment and build).
 */
export interface LaunchSpec {
  /** The runtime's command line, binary first (an absolute path, or a `nix shell … -c tool` line). */
  readonly argv: readonly string[];
  /**
   * Variables added to the runtime process's own environment (not the container's): a way to
   * hand values to the runtime without putting them on its command line, where `ps` shows them.
   */
  readonly env?: Readonly<Record<string, string>>;
  readonly files?: readonly LaunchFile[];
  /** Read by the runtime on descriptors 3–9: the cheapest way to hand it secrets (no file left, no extra process). */
  readonly inputs?: readonly LaunchInput[];
  /** Paths (inside `scriptsDir`) removed when the run is over, e.g. files holding secrets. */
  readonly cleanup?: readonly string[];
}

/** One line of `anysnake2 doctor`: what a check found and, when something is wrong, what to do. */
export interface DoctorFinding {
  /** Stable identifier, prefixed with the check's topic, e.g. `runtime.userns`, `node.tools`. */
  readonly id: string;
  readonly status: 'ok' | 'warn' | 'fail';
  readonly summary: string;
  readonly detail?: string;
  readonly fix?: string;
}

/** A doctor check a plugin contributes (`api.doctor.register`); it gets the project when there is one. */
export interface DoctorCheck {
  /** Short name, shown when the check itself fails. */
  readonly name: string;
  run(context: DoctorCheckContext): Promise<readonly DoctorFinding[]>;
}

export interface DoctorCheckContext {
  readonly env: NodeJS.ProcessEnv;
  readonly offline: boolean;
  /** The runtime `[container] runtime` names (or `auto` picks), when there is a project and it can tell. */
  readonly runtime: string | undefined;
  /** The open project, if any. */
  readonly config: ConfigView | undefined;
}

/** The enricher hook: taps look at the plan (read-only) and return what they add. */
export interface EnrichRunHook {
  tap(options: string | { name: string; stage?: number }, fn: (plan: Readonly<RunPlan>, context: RunContext) => RunAdditions | undefined | void): void;
  tapPromise(options: string | { name: string; stage?: number }, fn: (plan: Readonly<RunPlan>, context: RunContext) => Promise<RunAdditions | undefined | void>): void;
}

export interface CoreHooks {
  readonly resolve: AsyncSeriesHook<[ResolveContext]>;
  readonly emitFlake: AsyncSeriesHook<[FlakeBuilder, EmitContext]>;
  readonly postBuild: AsyncSeriesHook<[BuildResult, EmitContext]>;
  /** Before a run: contribute binds and environment to the plan (the runtime is chosen already). */
  readonly enrichRun: EnrichRunHook;
}

export type HookName = keyof CoreHooks;

/** A container runtime a plugin provides; the core picks one per run (`[container] runtime`). */
export interface RuntimeDefinition {
  /** The name users write in `[container] runtime`, e.g. `mybox`. */
  readonly name: string;
  /** Preference for `runtime = "auto"`: higher wins among the available ones. */
  readonly priority: number;
  /** Whether it can run here without installing anything (cheap: no processes). */
  available(): Promise<boolean>;
  /** What to install when it is missing, for the exit-69 message. */
  readonly installHint: string;
  /**
   * The image formats it can start instead of a rootfs folder (`RunPlan.image`), e.g. `oci` for an
   * OCI archive as `build oci` writes it. A runtime without any is never given an image.
   */
  readonly imageKinds?: readonly string[];
  /**
   * How to start the plan: called exactly once per full-path run, and only for the runtime the
   * core picked. The plan is final (enrichers ran) and read-only. Must not start anything itself.
   */
  plan(plan: Readonly<RunPlan>, context: RunContext): LaunchSpec | Promise<LaunchSpec>;
  /** Checks `anysnake2 doctor` runs for this runtime when it is available or configured. */
  doctor?(context: DoctorCheckContext): Promise<readonly DoctorFinding[]>;
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
  /** The top-level TOML key, e.g. `nixpkgs`, `flake-util`, a plugin's `node`. */
  readonly name: string;
  readonly schema: S;
  readonly description: string;
  /**
   * The section's place in the canonical order of anysnake2.toml (smaller comes first; nested
   * tables follow their parent). The core's own: anysnake2 1000, nixpkgs 3000, clones 4000,
   * container 21000, cmd 23000, dev_shell 25000, outside_nixpkgs 96000, flake-util 99000; a
   * language between 10000 and 20000, a tool pin 98000. Without it the section goes after
   * every ordered one, in the order the file has it.
   */
  readonly order?: number;
  /**
   * For `anysnake2 update`: keys inside the section that the plugin chooses "as of now" when they
   * are missing (a date, a version), e.g. `[['date']]`. update hides them, so they are chosen again.
   */
  readonly chosenWhenMissing?: readonly (readonly string[])[];
  /** For `anysnake2 update`: each entry of this table of tables is a target of its own (`update <section>.<name>`). */
  readonly updateEachEntry?: boolean;
  /**
   * Emitting this section may run tools or write outside the flake (a lock, checkouts): a build
   * then takes the project lock even to find that nothing changed, so two runs never do it at once.
   */
  readonly emitHasSideEffects?: boolean;
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
  /** Where the formatter keeps it until the user removes it (as SectionDefinition.order). */
  readonly order?: number;
}

/** A plugin's optional key in every entry of another plugin's table of tables, e.g. `[cmd.<name>.cluster]`. */
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
  readonly runtimes: {
    register(runtime: RuntimeDefinition): void;
    /**
     * The registered runtimes' names and image kinds, for config checks (which run once every
     * plugin is applied; during `apply` the list may be incomplete).
     */
    list(): readonly { readonly name: string; readonly imageKinds: readonly string[] }[];
  };
  /**
   * `stateDir`: this plugin's own folder for state that outlives a run (caches, downloads), per user
   * (below anysnake2's data dir), never inside a project and so never copied into the Nix store.
   * Not created in advance: `mkdir -p` it when you first write.
   */
  readonly paths: { readonly stateDir: string };
  /** Checks for `anysnake2 doctor`, run with the core's own. */
  readonly doctor: { register(check: DoctorCheck): void };
  /** TypeBox's `Type` builder for section schemas (they double as the published JSON Schema). */
  readonly schema: JavaScriptTypeBuilder;
  readonly nix: NixConstructors;
  readonly vcs: Pick<typeof Vcs, 'parseVcsUrl' | 'toNixForm' | 'toTomlForm' | 'withDir' | 'isPinned' | 'VcsUrlError'> & {
    /**
     * For running git on a url that may hold credentials: the url for argv without them, and the
     * environment that hands them to git's credential machinery (never argv, where `ps` shows them).
     */
    credentialsOutOfArgv(url: string, env: NodeJS.ProcessEnv): { url: string; env: NodeJS.ProcessEnv };
  };
  readonly exec: Exec;
  readonly errors: Pick<typeof Errors, 'AnysnakeError' | 'UsageError' | 'ConfigError' | 'ToolMissingError' | 'ToolFailedError' | 'TemporaryError'>;
  readonly log: Logger;
  /** Semantic checks shared by sections, for use in `SectionDefinition.check`. */
  readonly checks: {
    vcsUrl(report: IssueReporter, path: readonly (string | number)[], value: unknown): void;
    nixCode(report: IssueReporter, path: readonly (string | number)[], code: string): void;
  };
  /** Where an executable is on PATH (or the given search path), without spawning anything. */
  which(name: string, path?: string): Promise<string | undefined>;
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
  /** A self-updating status line on a terminal (nothing when stderr is not a TTY), for long work. */
  progress(): { update(text: string): void; done(): void };
  /** Replace a file atomically (temp file + rename); `mode` e.g. 0o600 for expanded environment values. */
  writeFileAtomic(path: string, content: string, mode?: number): Promise<void>;
}
