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

type Path = readonly string[];
const key = (path: Path) => path.join('\0');

/** What the registered sections declare for update: the values chosen when missing, the tables whose entries are targets. */
interface UpdateRules {
  /** Full paths (section first) of values a plugin chooses "as of now" when missing (SectionDefinition.chosenWhenMissing). */
  readonly chosenWhenMissing: ReadonlySet<string>;
  /** Sections whose entries are targets of their own (SectionDefinition.updateEachEntry). */
  readonly eachEntry: ReadonlySet<string>;
}

function updateRules(project: Project): UpdateRules {
  const chosenWhenMissing = new Set<string>();
  const eachEntry = new Set<string>();
  for (const [name, section] of project.host.sections.sections) {
    for (const path of section.chosenWhenMissing ?? []) chosenWhenMissing.add(key([name, ...path]));
    if (section.updateEachEntry) eachEntry.add(name);
  }
  return { chosenWhenMissing, eachEntry };
}

/** The targets people may name: the sections, and the single entries of tables that declare it (`clones.DIR`). */
function updateTargets(config: ConfigView, rules: UpdateRules): string[] {
  const targets: string[] = [];
  for (const name of config.sectionNames) {
    const value = config.section(name);
    if (value === undefined || floatingPaths(rules, value, [name]).length === 0) continue;
    targets.push(name);
    if (rules.eachEntry.has(name) && typeof value === 'object' && value !== null)
      for (const sub of Object.keys(value).sort()) if (floatingPaths(rules, (value as Record<string, unknown>)[sub], [name, sub]).length) targets.push(`${name}.${sub}`);
  }
  return targets;
}

/** Every path under `path` whose value update re-resolves. */
function floatingPaths(rules: UpdateRules, value: unknown, path: Path): Path[] {
  if (rules.chosenWhenMissing.has(key(path))) return [path];
  if (typeof value === 'string') return unpinned(value) === undefined ? [] : [path];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.entries(value).flatMap(([k, v]) => floatingPaths(rules, v, [...path, k]));
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
  const rules = updateRules(project);
  const known = updateTargets(project.config, rules);
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
    for (const path of floatingPaths(rules, value, [name]).filter(under)) {
      paths.push(path.join('.'));
      const parent = path.slice(1, -1).reduce<Record<string, unknown>>((node, k) => node[k] as Record<string, unknown>, value as Record<string, unknown>);
      const last = path.at(-1)!;
      if (rules.chosenWhenMissing.has(key(path))) {
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
