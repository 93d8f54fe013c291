/** What every doctor check returns and receives. */
import type { PluginHost } from '../plugin-host.js';
import type { Project } from '../pipeline/project.js';

export type FindingStatus = 'ok' | 'warn' | 'fail';

/** One thing the doctor looked at: what it found and, when something is wrong, what to do. */
export interface Finding {
  /** Stable identifier, e.g. `nix.version`, `runtime.userns`, `source.nixpkgs.url`. */
  readonly id: string;
  readonly status: FindingStatus;
  /** One line. */
  readonly summary: string;
  /** Tool output, locations, the reasoning behind a warning. */
  readonly detail?: string;
  /** What to type or change. */
  readonly fix?: string;
}

/** The project as the doctor sees it: absent (no config here), open, or broken (the config check says why). */
export type ProjectState = { kind: 'none' } | { kind: 'open'; project: Project } | { kind: 'broken'; error: unknown; file?: string };

export interface DoctorContext {
  readonly env: NodeJS.ProcessEnv;
  /** Skip everything that needs the network. */
  readonly offline: boolean;
  /** Opened once, shared by the checks that need it. */
  project(): Promise<ProjectState>;
  /** The installed plugins (their runtimes), with or without a project. */
  plugins(): Promise<PluginHost>;
  /** Warnings the config produced while opening (deprecations, unknown keys). */
  configWarnings(): readonly string[];
}

export type Check = (ctx: DoctorContext) => Promise<Finding[]>;
