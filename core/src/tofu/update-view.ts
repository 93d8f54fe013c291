/**
 * `anysnake2 update`: the project as the tofu engine should see it to move chosen pins forward.
 * Under each target, every pinned VCS url is shown without its revision (the engine pins the
 * newest commit or release tag again, on the url's branch) and the values that are chosen "as of
 * now" when missing are hidden (the engine fills them in again). The engine then rewrites the real
 * file in one atomic step, as for a first run; nothing else in the file changes.
 */
import { UsageError } from '../errors.js';
import type { ConfigView } from '../plugin-api.js';
import type { Project } from '../pipeline/project.js';
import { isPinned, parseVcsUrl, toTomlForm } from '../vcs/url.js';

/** Values a plugin chooses when they are missing: the Python ecosystem date, nixR's date, the Rust version. */
const CHOSEN_WHEN_MISSING: readonly (readonly string[])[] = [
  ['python', 'ecosystem_date'],
  ['R', 'date'],
  ['rust', 'version'],
];

type Path = readonly string[];
const key = (path: Path) => path.join('\0');

/** The targets people may name: the sections, and single `flakes.NAME` / `clones.DIR` / `python.packages.NAME`. */
export function updateTargets(config: ConfigView): string[] {
  const targets: string[] = [];
  for (const name of config.sectionNames) {
    const value = config.section(name);
    if (value === undefined || floatingPaths(value, [name]).length === 0) continue;
    targets.push(name);
    if (['flakes', 'clones'].includes(name) && typeof value === 'object' && value !== null)
      for (const sub of Object.keys(value).sort()) if (floatingPaths((value as Record<string, unknown>)[sub], [name, sub]).length) targets.push(`${name}.${sub}`);
  }
  return targets;
}

/** Every path under `path` whose value update re-resolves. */
function floatingPaths(value: unknown, path: Path): Path[] {
  if (CHOSEN_WHEN_MISSING.some((p) => key(p) === key(path))) return [path];
  if (typeof value === 'string') return unpinned(value) === undefined ? [] : [path];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => floatingPaths(v, [...path, k]));
}

/** The url without its revision, or undefined when it is no pinned VCS url (a local path stays). */
function unpinned(value: string): string | undefined {
  try {
    const source = parseVcsUrl(value);
    if (source.kind === 'path' || !isPinned(source)) return undefined;
    return toTomlForm({ ...source, rev: undefined }, { keepCredentials: true });
  } catch {
    return undefined;
  }
}

/** The project with the pins under `targets` (all when empty) floating again; a target that names nothing is a usage error. */
export function floatingView(project: Project, targets: readonly string[]): { project: Project; paths: string[] } {
  const known = updateTargets(project.config);
  const unknown = targets.filter((t) => !known.includes(t));
  if (unknown.length)
    throw new UsageError(`nothing to update in ${unknown.map((t) => `'${t}'`).join(', ')}`, {
      hint: known.length ? `targets in this config: ${known.join(', ')} (none: all of them)` : 'this config pins nothing that update can move',
    });
  // The pinned anysnake2 itself (url2) moves only when named: it changes the tool, not the environment.
  const chosen = (targets.length ? targets : known.filter((t) => t !== 'anysnake2')).map((t) => t.split('.'));
  const under = (path: Path) => chosen.some((t) => t.every((part, i) => path[i] === part));
  const sections = new Map<string, unknown>();
  const hidden = new Set<string>();
  const paths: string[] = [];
  for (const name of project.config.sectionNames) {
    const value = structuredClone(project.config.section(name));
    for (const path of floatingPaths(value, [name]).filter(under)) {
      paths.push(path.join('.'));
      const parent = path.slice(1, -1).reduce<Record<string, unknown>>((node, k) => node[k] as Record<string, unknown>, value as Record<string, unknown>);
      const last = path.at(-1)!;
      if (CHOSEN_WHEN_MISSING.some((p) => key(p) === key(path))) {
        delete parent[last];
        hidden.add(key(path));
      } else parent[last] = unpinned(parent[last] as string);
    }
    sections.set(name, value);
  }
  const config: ConfigView = {
    ...project.config,
    section: <T>(name: string) => sections.get(name) as T | undefined,
    isWritten: (path) => !hidden.has(key(path)) && project.config.isWritten(path),
  };
  return { project: { ...project, config }, paths };
}
