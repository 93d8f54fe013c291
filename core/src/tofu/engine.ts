/**
 * Trust on first use: plugins (and the core) say through the `resolve` hook what floats; the engine
 * looks everything up in parallel, then applies all pins to anysnake2.toml in one atomic rewrite in
 * canonical format. Nothing is written when a lookup failed; a fully pinned config makes no lookup.
 */
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import type { ResolveContext, TofuUpdate, TofuValue } from '../plugin-api.js';
import { AnysnakeError, TemporaryError, ToolFailedError, ToolMissingError, UsageError } from '../errors.js';
import { formatToml, TomlFormatError } from '../config/toml-format.js';
import { writeFileAtomic } from '../fs-atomic.js';
import { isPinned, parseVcsUrl, toNixForm, toTomlForm } from '../vcs/url.js';
import { RemoteClient } from '../vcs/git-remote.js';
import type { Project } from '../pipeline/project.js';
import { EXPORT_SUBST_WARNING, resolveToNewest, resolveToTag, toGitSource, usesExportSubst } from './resolve-url.js';
import { lineDiff } from './diff.js';
import { terminalProgress } from '../nix-cli/nix.js';
import { lookupTimeoutMs, watchLookups } from './lookup-deadline.js';

// Lookups wait on the network, not the CPU: 20 floating urls take about as long as the slowest one.
const PARALLEL_LOOKUPS = 24;

interface Lookup {
  path: readonly string[];
  source: string;
  resolve: () => Promise<TofuValue>;
  /** Asks remotes through the RemoteClient, which names the host it waits for. */
  remote?: boolean;
}

export interface TofuOutcome {
  readonly updates: readonly TofuUpdate[];
  /** The file's text after pinning and formatting (equal to the old text when nothing changed). */
  readonly text: string;
  readonly changed: boolean;
}

export interface TofuOptions {
  offline?: boolean;
  /** Compute and show, but do not write. */
  dryRun?: boolean;
  /** Also say where each value came from. */
  explain?: boolean;
  /** Counts remote queries (tests prove a pinned config makes none). */
  onQuery?: (description: string) => void;
  /** Runs the check-and-rewrite of the file under the project lock (another anysnake2 may pin too). */
  lock?: <T>(work: () => Promise<T>) => Promise<T>;
}

/** The file changed between reading and rewriting it (another anysnake2 pinned it, or its user edited it). */
export class ConfigChangedError extends TemporaryError {}

async function pool<T>(items: readonly T[], size: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(size, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

export async function runTofu(project: Project, options: TofuOptions = {}): Promise<TofuOutcome> {
  const updates: TofuUpdate[] = [];
  const lookups: Lookup[] = [];
  const outside = parseVcsUrl(project.config.section<{ url: string }>('outside_nixpkgs')?.url ?? 'github:NixOS/nixpkgs');
  // Until outside_nixpkgs itself is pinned, tools from it come from a fixed, known nixpkgs.
  // Ends every remote query when the lookup phase runs out of time (lookup-deadline.ts).
  const controller = new AbortController();
  const remote = new RemoteClient({
    outsideNixpkgs: isPinned(outside) ? toNixForm(outside) : 'github:NixOS/nixpkgs/24.05',
    onQuery: options.onQuery,
    signal: controller.signal,
  });
  const log = project.log;

  const context: ResolveContext = {
    config: project.config,
    project: project.paths,
    log,
    offline: Boolean(options.offline),
    pin: (update) => void updates.push(update),
    lookup: (path, source, resolve) => void lookups.push({ path, source, resolve }),
    pinNewest(path, url, opts = {}) {
      const source = parseVcsUrl(url);
      if (isPinned(source) && (source.kind !== 'github' || source.branch) && (source.kind !== 'git' || source.ref)) return;
      lookups.push({
        path,
        remote: true,
        source: `git ls-remote ${toTomlForm(source)} (newest commit)`,
        async resolve() {
          let resolved = await resolveToNewest(remote, source);
          if (opts.checkExportSubst && resolved.kind === 'github' && source.kind === 'github' && !source.rev && (await usesExportSubst(resolved, controller.signal))) {
            log.warn(`${toTomlForm(source)} ${EXPORT_SUBST_WARNING}`);
            resolved = toGitSource(resolved);
          }
          return toTomlForm(resolved, { keepCredentials: true });
        },
      });
    },
    pinNewestTag(path, url, pattern) {
      const source = parseVcsUrl(url);
      if (isPinned(source) && (source.kind !== 'github' || source.branch) && (source.kind !== 'git' || source.ref)) return;
      lookups.push({
        path,
        remote: true,
        source: `git ls-remote ${toTomlForm(source)} (newest tag matching /${pattern.source}/)`,
        resolve: async () => toTomlForm(await resolveToTag(remote, source, pattern)),
      });
    },
  };
  await project.host.hooks.resolve.promise(context);

  if (lookups.length && options.offline)
    throw new UsageError(`--offline, but these values are not pinned yet: ${lookups.map((l) => l.path.join('.')).join(', ')}`, {
      hint: 'run once without --offline, or pin them in anysnake2.toml',
    });
  const failures: { lookup: Lookup; error: unknown }[] = [];
  const progress = terminalProgress();
  const file = relative(process.cwd(), project.paths.configFile) || project.paths.configFile;
  let done = 0;
  // Plugin lookups that are not remote queries are named by their source while they wait.
  const pending = new Map<Lookup, number>();
  const timeoutMs = lookups.length ? lookupTimeoutMs() : 0;
  const watch = lookups.length
    ? watchLookups({
        timeoutMs,
        controller,
        file,
        waiting: () => {
          const others = [...pending].filter(([lookup]) => !lookup.remote).map(([lookup, since]) => ({ host: lookup.path.join('.'), command: lookup.source, since }));
          return [...remote.inFlight(), ...others];
        },
        say: (line) => {
          progress.done();
          log.info(line);
        },
      })
    : undefined;
  try {
    await Promise.race([
      pool(lookups, PARALLEL_LOOKUPS, async (lookup) => {
        if (controller.signal.aborted) return;
        pending.set(lookup, Date.now());
        try {
          updates.push({ path: lookup.path, value: await lookup.resolve(), source: lookup.source });
        } catch (error) {
          failures.push({ lookup, error });
        } finally {
          pending.delete(lookup);
        }
        progress.update(`pinning: ${++done}/${lookups.length} looked up (${lookup.path.join('.')})`);
      }),
      ...(watch ? [watch.expired] : []),
    ]);
  } finally {
    watch?.stop();
    progress.done();
  }
  if (failures.length) {
    const detail = failures.map(({ lookup, error }) => `${lookup.path.join('.')}: ${error instanceof Error ? error.message : String(error)}`).join('\n');
    const message = `pinning failed, anysnake2.toml is unchanged:\n${detail}`;
    const errors = failures.map((f) => f.error);
    const missing = errors.find((e) => e instanceof ToolMissingError);
    if (missing) throw missing;
    const hint = errors.find((e): e is AnysnakeError => e instanceof AnysnakeError)?.hint;
    // Network trouble (exit 75) only when every failure was one; a wrong URL is not transient.
    if (errors.every((e) => e instanceof TemporaryError)) throw new TemporaryError(message, { hint, cause: errors[0] });
    throw new ToolFailedError(message, { hint, cause: errors[0] });
  }

  // Deterministic: the same pins in the same order on every machine.
  updates.sort((a, b) => (a.path.join('\0') < b.path.join('\0') ? -1 : a.path.join('\0') > b.path.join('\0') ? 1 : 0));
  const before = project.doc.text;
  let text: string;
  try {
    text = formatToml(
      before,
      updates.map(({ path, value }) => ({ path, value })),
      (key) => project.host.sections.orderOf(key),
    );
  } catch (error) {
    if (!(error instanceof TomlFormatError) || updates.length) throw error;
    log.warn(`anysnake2.toml was left as it is: ${error.message}`);
    text = before;
  }
  const changed = text !== before;
  if (options.explain) for (const u of updates) log.info(`${u.path.join('.')} = ${JSON.stringify(displayed(u.value))}  ← ${u.source}`);
  if (options.dryRun) {
    log.info(changed ? `--dry-run: ${file} would change:\n${lineDiff(before, text)}` : `--dry-run: ${file} is pinned and canonical; nothing to write`);
  } else if (changed) {
    const lock = options.lock ?? (<T>(work: () => Promise<T>) => work());
    await lock(async () => {
      // Someone edited the file while we looked things up: do not overwrite their change.
      if ((await readFile(project.paths.configFile, 'utf8')) !== before) throw new ConfigChangedError(`${file} changed while anysnake2 was pinning it; run again`);
      await writeFileAtomic(project.paths.configFile, text, undefined, { throughSymlinks: true }); // the user's file: a link stays a link
    });
    const pinned = newValues(updates, project.doc.value);
    log.info(pinned.length ? `pinned ${pinned.length} value${pinned.length === 1 ? '' : 's'} in ${file}` : `formatted ${file}`);
  }
  return { updates, text, changed };
}

/** The updates that give a key a new value: a list only put in order (nixpkgs.packages sorted) pins nothing. */
export function newValues(updates: readonly TofuUpdate[], written: unknown): TofuUpdate[] {
  return updates.filter(({ path, value }) => {
    let node: unknown = written;
    for (const key of path) node = typeof node === 'object' && node !== null && Object.hasOwn(node, key) ? (node as Record<string, unknown>)[key] : undefined;
    const canonical = (v: unknown) => JSON.stringify(Array.isArray(v) ? v.map((x) => JSON.stringify(x)).sort() : v);
    return node === undefined || canonical(node) !== canonical(value);
  });
}

/** Values as shown to people: urls without their credentials (the file keeps them). */
export function displayed(value: TofuValue): TofuValue {
  if (typeof value !== 'string') return value;
  try {
    return toTomlForm(parseVcsUrl(value));
  } catch {
    return value;
  }
}
