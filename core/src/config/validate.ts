/**
 * Validation of the whole config after all plugins have registered their sections: renames of old
 * spellings, retired sections, unowned sections, unknown keys (warnings with "did you mean"),
 * schema errors and each section's semantic checks. Every problem is collected and reported at once.
 */
import { Kind, type TSchema, Value, ValueErrorType } from '../vendor/typebox.js';
import { ConfigError, type ConfigIssue } from '../errors.js';
import type { IssueReporter } from '../plugin-api.js';
import type { SectionRegistryImpl } from './section-registry.js';
import { closest } from './suggest.js';
import { findNulCharacters, NUL_HINT, NUL_MESSAGE } from './nul-characters.js';
import { formatPath, type TomlDocument, type TomlPath, type TomlTable } from './toml-document.js';

export interface ValidatedConfig {
  readonly sections: ReadonlyMap<string, unknown>;
  readonly warnings: readonly ConfigIssue[];
  readonly notices: readonly ConfigIssue[];
}

/** Schema option: extra hints for specific unknown keys of an object, e.g. `{ preferWheel: 'did you mean …?' }`. */
export const KEY_HINTS = 'keyHints';
/** Schema option: the message to show when a value does not match (instead of a generic one). */
export const ERROR_MESSAGE = 'errorMessage';

const isTable = (v: unknown): v is TomlTable => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

export function validateConfig(doc: TomlDocument, registry: SectionRegistryImpl): ValidatedConfig {
  const errors: ConfigIssue[] = [];
  const warnings: ConfigIssue[] = [];
  const notices: ConfigIssue[] = [];
  const issue = (path: TomlPath, message: string, hint?: string, locatePath: TomlPath = path): ConfigIssue => ({
    path: formatPath(path),
    message,
    hint,
    location: doc.locate(locatePath),
  });

  for (const key of doc.topLevelScalars) {
    errors.push(issue([key], 'is a value at the top level of the file, but only [sections] may stand there', `move \`${key} = …\` into the [section] it belongs to`));
  }

  const nulPaths = new Set<string>();
  for (const path of findNulCharacters(doc.value)) {
    const shown = issue(path, NUL_MESSAGE, NUL_HINT);
    nulPaths.add(shown.path);
    errors.push(shown);
  }

  const tree: TomlTable = structuredClone(doc.value);
  for (const key of doc.topLevelScalars) delete tree[key];

  // Old spellings first, so that everything below sees the current names. Positions stay those of
  // the old spelling, which is what the user wrote.
  const origin = new Map<string, TomlPath>();
  for (const rename of registry.renames) {
    const from = rename.from.split('.');
    const to = rename.to.split('.');
    const old = takeAt(tree, from);
    if (old === undefined) continue;
    if (getAt(tree, to) !== undefined) {
      notices.push(issue(from, `is the old spelling of ${rename.to}, which is also present, so it is ignored: delete it`));
    } else {
      setAt(tree, to, old);
      origin.set(JSON.stringify(to), from);
      notices.push(issue(from, `is the old spelling of ${rename.to}: rename it (still accepted)`));
    }
  }
  const locateFor = (path: TomlPath): TomlPath => {
    for (let n = path.length; n > 0; n--) {
      const from = origin.get(JSON.stringify(path.slice(0, n)));
      if (from) return [...from, ...path.slice(n)];
    }
    return path;
  };
  const at = (path: TomlPath, message: string, hint?: string) => issue(path, message, hint, locateFor(path));

  const sections = new Map<string, unknown>();
  for (const name of Object.keys(tree).sort()) {
    const raw = tree[name];
    const retired = registry.retired.get(name);
    if (retired) {
      warnings.push(at([name], `has no effect and is ignored: ${retired.reason}`));
      continue;
    }
    const section = registry.sections.get(name);
    if (!section) {
      const suggestion = closest(name, registry.sections.keys());
      errors.push(
        at(
          [name],
          `no installed plugin handles the section [${name}]`,
          suggestion
            ? `did you mean [${suggestion}]? If not, install the plugin that provides [${name}]: anysnake2 plugins install anysnake2-plugin-${name.toLowerCase()}`
            : `install the plugin that provides it: anysnake2 plugins install anysnake2-plugin-${name.toLowerCase()}`,
        ),
      );
      continue;
    }
    const report = (sink: ConfigIssue[]) => (path: readonly (string | number)[], message: string, hint?: string) => void sink.push(at([name, ...path], message, hint));
    let value: unknown = raw;
    if (section.normalize) value = section.normalize(value, { error: report(errors), warn: report(warnings), notice: report(notices) });

    const before = errors.length;
    walkUnknownKeys(section.schema, value, [name], at, warnings, errors);
    // Defaults first: a key with a default is never "missing" (the static types rely on that).
    value = Value.Default(section.schema, structuredClone(value));
    for (const e of schemaErrors(section.schema, value, [name])) errors.push(at(e.path, e.message, e.hint));
    if (section.check) {
      const reporter: IssueReporter = { error: report(errors), warn: report(warnings) };
      const schemaValid = errors.length === before;
      try {
        section.check(value as never, reporter, (other) => tree[other]);
      } catch (error) {
        // Checks may assume a schema-valid value; on an invalid one the schema errors already explain.
        if (schemaValid) throw error;
      }
    }
    sections.set(name, value);
  }
  // A value with a NUL is explained once, by the NUL message (a section's own check may trip on it too).
  if (errors.length > 0) throw new ConfigError(errors.filter((e) => !nulPaths.has(e.path) || e.message === NUL_MESSAGE));
  return { sections, warnings, notices };
}

function getAt(tree: TomlTable, path: readonly string[]): unknown {
  let node: unknown = tree;
  for (const key of path) {
    if (!isTable(node)) return undefined;
    node = node[key];
  }
  return node;
}

function takeAt(tree: TomlTable, path: readonly string[]): unknown {
  const parent = getAt(tree, path.slice(0, -1));
  if (!isTable(parent)) return undefined;
  const last = path[path.length - 1]!;
  const value = parent[last];
  delete parent[last];
  if (path.length > 1 && Object.keys(parent).length === 0) takeAt(tree, path.slice(0, -1));
  return value;
}

function setAt(tree: TomlTable, path: readonly string[], value: unknown): void {
  let node = tree;
  for (const key of path.slice(0, -1)) {
    if (!isTable(node[key])) node[key] = {};
    node = node[key] as TomlTable;
  }
  node[path[path.length - 1]!] = value;
}

type At = (path: TomlPath, message: string, hint?: string) => ConfigIssue;

/** Unknown keys: a warning (did you mean …?) in open tables, an error in closed ones. */
function walkUnknownKeys(schema: TSchema, value: unknown, path: TomlPath, at: At, warnings: ConfigIssue[], errors: ConfigIssue[]): void {
  const kind = schema[Kind];
  if (kind === 'Union') {
    const variants = (schema.anyOf as TSchema[]).filter((s) => (isTable(value) ? s[Kind] === 'Object' || s[Kind] === 'Record' : false));
    if (variants.length === 1) walkUnknownKeys(variants[0]!, value, path, at, warnings, errors);
    return;
  }
  if (kind === 'Array' && Array.isArray(value)) {
    value.forEach((item, i) => walkUnknownKeys(schema.items as TSchema, item, [...path, i], at, warnings, errors));
    return;
  }
  if (!isTable(value)) return;
  if (kind === 'Record') {
    const [valueSchema] = Object.values(schema.patternProperties as Record<string, TSchema>);
    if (valueSchema) for (const [k, v] of Object.entries(value)) walkUnknownKeys(valueSchema, v, [...path, k], at, warnings, errors);
    return;
  }
  if (kind !== 'Object') return;
  const properties = (schema.properties ?? {}) as Record<string, TSchema>;
  const hints = (schema[KEY_HINTS] ?? {}) as Record<string, string>;
  for (const [key, child] of Object.entries(value)) {
    const known = properties[key];
    if (known) {
      walkUnknownKeys(known, child, [...path, key], at, warnings, errors);
      continue;
    }
    if (typeof schema.additionalProperties === 'object') {
      walkUnknownKeys(schema.additionalProperties as TSchema, child, [...path, key], at, warnings, errors);
      continue;
    }
    const suggestion = closest(key, Object.keys(properties));
    const hint = hints[key] ?? (suggestion ? `did you mean ${suggestion}?` : undefined);
    const allowed = `known keys here: ${Object.keys(properties).sort().join(', ')}`;
    if (schema.additionalProperties === false) errors.push(at([...path, key], 'is not a valid key here', hint ?? allowed));
    else warnings.push(at([...path, key], `is not a known key and is ignored${hint ? ` (${hint})` : ''}`));
  }
}

interface SchemaProblem {
  path: TomlPath;
  message: string;
  hint?: string;
}

/** TypeBox errors → one message per offending value, phrased for TOML users. */
function schemaErrors(schema: TSchema, value: unknown, base: TomlPath): SchemaProblem[] {
  // Check is a plain walk; Errors' generators cost several times more, and valid configs are the common case.
  if (Value.Check(schema, value)) return [];
  const problems: SchemaProblem[] = [];
  const reported: string[] = [];
  for (const error of Value.Errors(schema, value)) {
    const rel = decodePointer(error.path, value);
    const key = JSON.stringify(rel);
    // One message per location: skip duplicates and anything inside an already-reported value.
    if (reported.some((r) => key === r || key.startsWith(r.slice(0, -1) + ','))) continue;
    const s = error.schema as TSchema;
    // A union that failed on a table: explain it with the table variant's own errors.
    const tableVariants = s[Kind] === 'Union' && isTable(error.value) ? (s.anyOf as TSchema[]).filter((v) => v[Kind] === 'Object' || v[Kind] === 'Record') : [];
    if (tableVariants.length === 1) {
      problems.push(...schemaErrors(tableVariants[0]!, error.value, [...base, ...rel]));
      reported.push(key);
      continue;
    }
    if (error.type === ValueErrorType.ObjectAdditionalProperties) continue; // walkUnknownKeys explains these better
    // A missing required key is reported at its own path (located at the enclosing table).
    const message =
      error.value === undefined ? 'is required but missing' : ((s[ERROR_MESSAGE] as string | undefined) ?? `expected ${describeSchema(s)}, found ${describeValue(error.value)}`);
    const hint = error.value instanceof Date ? 'dates must be written as strings, e.g. date = "2024-05-10"' : undefined;
    problems.push({ path: [...base, ...rel], message, hint });
    reported.push(key);
  }
  return problems;
}

function decodePointer(pointer: string, root: unknown): (string | number)[] {
  if (!pointer) return [];
  const out: (string | number)[] = [];
  let node: unknown = root;
  for (const raw of pointer.split('/').slice(1)) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const step: string | number = Array.isArray(node) && /^\d+$/.test(part) ? Number(part) : part;
    out.push(step);
    node = node === undefined || node === null ? undefined : (node as Record<string | number, unknown>)[step];
  }
  return out;
}

export function describeSchema(schema: TSchema): string {
  switch (schema[Kind]) {
    case 'String':
      return 'a string';
    case 'Boolean':
      return 'true or false';
    case 'Integer':
    case 'Number':
      return `${schema[Kind] === 'Integer' ? 'a whole number' : 'a number'}${numberBounds(schema)}`;
    case 'Literal':
      return JSON.stringify(schema.const);
    case 'Array': {
      const item = describeSchema(schema.items as TSchema).replace(/^an? /, '');
      return `a list of ${item.endsWith('s') ? item : `${item}s`}`;
    }
    case 'Object':
    case 'Record':
      return 'a table';
    case 'Union':
      return [...new Set((schema.anyOf as TSchema[]).map(describeSchema))].join(' or ');
    default:
      return 'a valid value';
  }
}

/** " of at least 1", " from 0 to 100": the bounds a number schema states (a value out of them fails as well). */
function numberBounds(schema: TSchema): string {
  const low = typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? `more than ${schema.exclusiveMinimum}` : undefined;
  const high = typeof schema.maximum === 'number' ? schema.maximum : typeof schema.exclusiveMaximum === 'number' ? `less than ${schema.exclusiveMaximum}` : undefined;
  if (typeof low === 'number' && typeof high === 'number') return ` from ${low} to ${high}`;
  const parts = [typeof low === 'number' ? `at least ${low}` : low, typeof high === 'number' ? `at most ${high}` : high].filter(Boolean);
  return parts.length > 0 ? ` of ${parts.join(' and ')}` : '';
}

export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return 'a TOML date';
  if (Array.isArray(value)) return 'a list';
  if (isTable(value)) return 'a table';
  return String(value);
}
