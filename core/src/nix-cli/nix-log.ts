/**
 * Nix's `--log-format internal-json` stream: `@nix {…}` lines on stderr. We turn it into progress
 * (builds and downloads done/expected) and, on failure, into a readable error: the failing
 * derivation and the last lines of its build log instead of a wall of text.
 */

// Activity and result types from Nix's logging.hh (stable across 2.x).
const ACT_FILE_TRANSFER = 101;
const ACT_BUILD = 105;
const ACT_BUILDS = 104;
const ACT_COPY_PATHS = 103;
const RES_BUILD_LOG_LINE = 101;
const RES_PROGRESS = 105;

export interface NixProgress {
  builds: { done: number; expected: number; running: number; failed: number };
  downloads: { done: number; expected: number };
  /** Names of derivations being built right now. */
  active: string[];
}

interface Activity {
  type: number;
  name?: string;
  log: string[];
}

const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;
const LOG_LINES_KEPT = 25;

export class NixLogParser {
  readonly #activities = new Map<number, Activity>();
  readonly #errors: string[] = [];
  /** Plain (non-JSON) stderr lines, e.g. from a Nix without internal-json support. */
  readonly #plain: string[] = [];
  readonly progress: NixProgress = { builds: { done: 0, expected: 0, running: 0, failed: 0 }, downloads: { done: 0, expected: 0 }, active: [] };
  readonly #failedBuilds = new Map<string, string[]>();
  readonly #failedPaths = new Map<string, string>();
  /** Every build log line as it arrives (`--verbose` streams them). */
  constructor(private readonly onBuildLog?: (derivation: string, line: string) => void) {}

  /** Feed one stderr line; returns true when the progress changed. */
  feed(line: string): boolean {
    if (!line.startsWith('@nix ')) {
      if (line.trim()) this.#plain.push(line.replace(ANSI, ''));
      return false;
    }
    let event: { action: string; id?: number; type?: number; level?: number; text?: string; msg?: string; fields?: unknown[] };
    try {
      event = JSON.parse(line.slice(5));
    } catch {
      return false;
    }
    switch (event.action) {
      case 'start': {
        const name = event.type === ACT_BUILD ? derivationName(String(event.fields?.[0] ?? event.text ?? '')) : undefined;
        this.#activities.set(event.id!, { type: event.type!, name, log: [] });
        if (event.type === ACT_BUILD) return this.#refreshActive();
        return false;
      }
      case 'stop': {
        const activity = this.#activities.get(event.id!);
        this.#activities.delete(event.id!);
        return activity?.type === ACT_BUILD ? this.#refreshActive() : false;
      }
      case 'result': {
        const activity = this.#activities.get(event.id!);
        if (!activity) return false;
        if (event.type === RES_BUILD_LOG_LINE) {
          activity.log.push(String(event.fields?.[0] ?? '').replace(ANSI, ''));
          this.onBuildLog?.(activity.name ?? 'nix', activity.log.at(-1)!);
          if (activity.log.length > LOG_LINES_KEPT) activity.log.shift();
          return false;
        }
        if (event.type === RES_PROGRESS) {
          const [done = 0, expected = 0, running = 0, failed = 0] = (event.fields ?? []) as number[];
          // The total only grows (Nix discovers work as it goes): a status line whose total jumps around reads as broken.
          if (activity.type === ACT_BUILDS) this.progress.builds = { done, expected: Math.max(expected, this.progress.builds.expected), running, failed };
          else if (activity.type === ACT_COPY_PATHS || activity.type === ACT_FILE_TRANSFER)
            this.progress.downloads = { done, expected: Math.max(expected, this.progress.downloads.expected) };
          return true;
        }
        return false;
      }
      case 'msg': {
        const text = (event.msg ?? event.text ?? '').replace(ANSI, '');
        if ((event.level ?? 9) <= 0) {
          this.#errors.push(text);
          // "builder for '/nix/store/…-x.drv' failed …": keep that build's log lines.
          const failed = text.match(/builder for '([^']+)' failed/);
          if (failed) {
            this.#failedPaths.set(derivationName(failed[1]!), failed[1]!);
            const log = [...this.#activities.values()].find((a) => a.name === derivationName(failed[1]!))?.log;
            if (log) this.#failedBuilds.set(derivationName(failed[1]!), [...log]);
          }
        }
        return false;
      }
      default:
        return false;
    }
  }

  #refreshActive(): boolean {
    this.progress.active = [...this.#activities.values()].filter((a) => a.type === ACT_BUILD && a.name).map((a) => a.name!);
    return true;
  }

  /** Nix's own error messages (evaluation errors among them), one entry per error. */
  get errors(): readonly string[] {
    return this.#errors.length ? this.#errors : this.#plain.filter((l) => /error/i.test(l));
  }

  /** Failed derivations (by name) with their last log lines. */
  get failedBuilds(): ReadonlyMap<string, readonly string[]> {
    return this.#failedBuilds;
  }

  /** Store paths (`/nix/store/…-x.drv`) of the derivations whose builder failed, by name. */
  get failedDerivations(): ReadonlyMap<string, string> {
    return this.#failedPaths;
  }

  /** The error Nix reported, with the failing derivation's last log lines. */
  failureSummary(): string {
    const lines: string[] = [];
    for (const error of this.errors) {
      // Nix repeats the log tail inside the message; our own copy below is cleaner.
      lines.push(
        error
          .split('\n')
          .filter((l) => !/^\s*>/.test(l) && !/last \d+ log lines:/.test(l))
          .join('\n')
          .trim(),
      );
    }
    for (const [name, log] of this.#failedBuilds) {
      lines.push(`last ${log.length} log lines of ${name}:`);
      lines.push(...log.map((l) => `  > ${l}`));
    }
    if (lines.length === 0) lines.push(...this.#plain.slice(-LOG_LINES_KEPT));
    return lines.join('\n');
  }
}

/** `/nix/store/<hash>-name-1.0.drv` → `name-1.0`. */
export function derivationName(path: string): string {
  const base = path.split('/').pop() ?? path;
  return base.replace(/^[0-9a-z]{32}-/, '').replace(/\.drv$/, '');
}

export function formatProgress(p: NixProgress): string {
  const parts = [`built ${p.builds.done}/${p.builds.expected}`];
  if (p.builds.running) parts.push(`${p.builds.running} running`);
  if (p.downloads.expected) parts.push(`fetched ${p.downloads.done}/${p.downloads.expected}`);
  if (p.active.length) parts.push(p.active.slice(0, 2).join(', '));
  return parts.join(' · ');
}
