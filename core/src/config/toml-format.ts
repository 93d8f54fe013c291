/**
 * The canonical, comment-preserving format of anysnake2.toml (behaviour reference §11), and the
 * pins of trust-on-first-use applied to it. Works on the source text with toml-eslint-parser's
 * ranges: values, `=` spacing, inline comments and multi-line strings are kept byte for byte;
 * only the order of sections and keys, indentation, and multi-element arrays are rewritten.
 *
 * The rewrite never changes what the file means. Standard tables name their place absolutely and
 * move freely; an element of an array of tables (`[[x]]`) does not: its position among the other
 * `[[x]]` is its index, and every header below it (`[x.y]`, `[[x.z]]`) belongs to it only because
 * it follows it. So each element moves as one block with the headers below it, and elements keep
 * their order. As a last guard, a result whose value differs from the input's is not used.
 */
import { isDeepStrictEqual } from 'node:util';
import type { AST } from 'toml-eslint-parser';
import { hasBom, parseTomlText, TomlSyntaxError, withoutBom } from './toml-syntax.js';
import { exactScalar, keyName, tomlValueOf } from './toml-value.js';
import { type SectionOrder, UNLISTED_SCORE } from './section-order.js';

export { type SectionOrder, UNLISTED_SCORE } from './section-order.js';

export type TomlUpdateValue = string | boolean | readonly string[] | Readonly<Record<string, string>>;
export interface TomlUpdate {
  path: readonly string[];
  value: TomlUpdateValue;
}

export class TomlFormatError extends Error {}

/** Without the registered sections' order (a bare formatter): every section keeps the file's order. */
const unordered: SectionOrder = () => UNLISTED_SCORE;

function parse(text: string): AST.TOMLProgram {
  try {
    return parseTomlText(text).ast;
  } catch (error) {
    if (error instanceof TomlSyntaxError) throw new TomlFormatError(`not valid TOML: ${error.message} (${error.line}:${error.column})`);
    throw error;
  }
}

const keyPath = (kv: AST.TOMLKeyValue) => kv.key.keys.map(keyName);

/** Index just after the end of the line `index` is on (past its newline), or the text's end. */
function endOfLine(text: string, index: number): number {
  const newline = text.indexOf('\n', index);
  return newline === -1 ? text.length : newline + 1;
}

/**
 * The file with `updates` applied, in canonical form. CRLF becomes LF (TOML reads a multi-line
 * string's line ends as LF either way); a byte-order mark stays.
 */
export function formatToml(input: string, updates: readonly TomlUpdate[] = [], order: SectionOrder = unordered): string {
  let text = withoutBom(input).replace(/\r\n/g, '\n');
  if (updates.length) text = applyUpdates(text, updates);
  const formatted = canonical(text, order);
  // The guard: never trade the file's meaning for its format (the updates stay applied).
  const result = formatted === text || sameValue(formatted, text) ? formatted : text;
  return hasBom(input) ? `\uFEFF${result}` : result;
}

/** The canonical pass alone, without formatToml's guard: what the tests hold to preserving values. */
export function canonicalToml(input: string, order: SectionOrder = unordered): string {
  const text = withoutBom(input).replace(/\r\n/g, '\n');
  return (hasBom(input) ? '\uFEFF' : '') + canonical(text, order);
}

function sameValue(a: string, b: string): boolean {
  try {
    return isDeepStrictEqual(tomlValueOf(parse(a), exactScalar), tomlValueOf(parse(b), exactScalar));
  } catch (error) {
    if (error instanceof TomlFormatError) return false;
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Updates: text edits at the parsed ranges, then a re-parse by `canonical`.

function tomlString(value: string): string {
  // JSON's string escapes are valid TOML basic-string escapes.
  return JSON.stringify(value);
}

function tomlValue(value: TomlUpdateValue): string {
  if (typeof value === 'string') return tomlString(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map((v) => tomlString(v)).join(', ')}]`;
  const entries = Object.entries(value as Record<string, string>);
  return entries.length ? `{ ${entries.map(([k, v]) => `${tomlKey(k)} = ${tomlString(v)}`).join(', ')} }` : '{}';
}

function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : tomlString(key);
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

function applyUpdates(text: string, updates: readonly TomlUpdate[]): string {
  // One update at a time against a fresh parse: later updates see earlier ones (e.g. a new table).
  for (const update of updates) {
    const edit = editFor(text, parse(text), update);
    text = text.slice(0, edit.start) + edit.text + text.slice(edit.end);
  }
  return text;
}

function editFor(text: string, ast: AST.TOMLProgram, update: TomlUpdate): Edit {
  const { path, value } = update;
  if (path.length < 2) throw new TomlFormatError(`cannot set ${path.join('.')}: values belong into a [section]`);
  const top = ast.body[0];
  const tables = top.body.filter((n): n is AST.TOMLTable => n.type === 'TOMLTable' && n.kind === 'standard');
  // The deepest [table] header that is a prefix of the path.
  let table: AST.TOMLTable | undefined;
  for (const t of tables) {
    const key = t.resolvedKey as string[];
    if (key.length < path.length && key.every((k, i) => k === path[i]) && (!table || key.length > table.resolvedKey.length)) table = t;
  }
  if (!table) {
    // A new section at the end; the canonical pass moves it to its place.
    const header = path.slice(0, -1).map(tomlKey).join('.');
    const prefix = text.length === 0 || text.endsWith('\n') ? '' : '\n';
    return { start: text.length, end: text.length, text: `${prefix}\n[${header}]\n${tomlKey(path[path.length - 1]!)} = ${tomlValue(value)}\n` };
  }
  const rest = path.slice(table.resolvedKey.length);
  return editInBody(text, table.body, table, rest, value);
}

function editInBody(text: string, body: readonly AST.TOMLKeyValue[], table: AST.TOMLTable | AST.TOMLInlineTable, rest: readonly string[], value: TomlUpdateValue): Edit {
  const [head, ...tail] = rest as [string, ...string[]];
  const kv = body.find((candidate) => keyPath(candidate)[0] === head && keyPath(candidate).length === 1);
  if (!kv) {
    // Dotted keys (`a.b = 1`) already define `head`: refuse rather than guess.
    if (body.some((candidate) => keyPath(candidate)[0] === head)) throw new TomlFormatError(`cannot set ${rest.join('.')}: it is written with dotted keys`);
    const valueText = nestedValue(tail, value);
    if (table.type === 'TOMLInlineTable') {
      const close = table.range[1] - 1; // the `}`
      const inner = text.slice(table.range[0] + 1, close);
      const separator = inner.trim() === '' ? ' ' : inner.trimEnd().endsWith(',') ? ' ' : ', ';
      const before = inner.trimEnd();
      return { start: table.range[0] + 1, end: close, text: `${before}${separator}${tomlKey(head)} = ${valueText} ` };
    }
    const last = table.body[table.body.length - 1];
    const at = last ? endOfLine(text, last.range[1]) : endOfLine(text, table.key.range[1]);
    const newline = at > 0 && text[at - 1] !== '\n' ? '\n' : '';
    return { start: at, end: at, text: `${newline}${tomlKey(head)} = ${valueText}\n` };
  }
  if (tail.length === 0) return { start: kv.value.range[0], end: kv.value.range[1], text: tomlValue(value) };
  if (kv.value.type === 'TOMLInlineTable') return editInBody(text, kv.value.body, kv.value, tail, value);
  // A shorthand (`pkg = "github:o/r"`) becomes an inline table holding the new value.
  return { start: kv.value.range[0], end: kv.value.range[1], text: nestedValue(tail, value) };
}

/** `a.b = v` as inline tables: `{ a = { b = v } }`; no keys: just the value. */
function nestedValue(keys: readonly string[], value: TomlUpdateValue): string {
  return keys.reduceRight((inner, key) => `{ ${tomlKey(key)} = ${inner} }`, tomlValue(value));
}

// ---------------------------------------------------------------------------------------------
// The canonical pass.

interface Item {
  /** Sort key: the key's path. */
  path: string[];
  /** Whitespace and comments between the previous line and the key. */
  decor: string;
  /** From the key to the end of its last line (trailing comment and newline included). */
  body: string;
}

interface Section {
  /** The header's key, e.g. `["cmd", "test"]` (an array of tables' element has its array's key). */
  path: string[];
  kind: 'standard' | 'array';
  /** Comments and blank lines before the header (the end of the previous section belongs here). */
  decor: string;
  /** The header line, trailing comment and newline included. */
  header: string;
  items: Item[];
  order: number;
  /** For an element of an array of tables: the headers that belong to it, in document order. */
  children: Section[];
}

const samePrefix = (prefix: readonly string[], path: readonly string[]) => prefix.length <= path.length && prefix.every((k, i) => k === path[i]);

function canonical(text: string, sectionOrder: SectionOrder): string {
  if (text.trim() === '') return '';
  const ast = parse(text);
  const nodes = ast.body[0].body;
  const firstTable = nodes.findIndex((n) => n.type === 'TOMLTable');
  const rootItems = (firstTable === -1 ? nodes : nodes.slice(0, firstTable)) as AST.TOMLKeyValue[];
  // A table at the top level may be written inline (`a = { … }`) or with dotted keys (`a.b = 1`).
  for (const kv of rootItems)
    if (kv.key.keys.length === 1 && kv.value.type !== 'TOMLInlineTable')
      throw new TomlFormatError(`${keyPath(kv).join('.')} is a value at the top level of the file; only [sections] may stand there`);

  let cursor = 0;
  const takeItems = (kvs: readonly AST.TOMLKeyValue[]): Item[] =>
    kvs.map((kv) => {
      const decor = text.slice(cursor, kv.range[0]);
      const end = endOfLine(text, kv.range[1]);
      const body = renderKeyValue(text, kv, end);
      cursor = end;
      return { path: keyPath(kv), decor, body };
    });
  const root = takeItems(rootItems);

  const topLevel: Section[] = [];
  // The latest element of every array of tables that later headers can still reach.
  const latest: Section[] = [];
  let order = 0;
  for (const node of nodes.slice(rootItems.length) as AST.TOMLTable[]) {
    const decor = text.slice(cursor, node.range[0]);
    const headerLineEnd = endOfLine(text, headerEnd(text, node));
    cursor = headerLineEnd;
    const path = node.key.keys.map(keyName);
    const section: Section = { path, kind: node.kind, decor, header: text.slice(node.range[0], headerLineEnd), items: takeItems(node.body), order: order++, children: [] };
    // A header whose key runs through an array of tables belongs to that array's latest element.
    let owner: Section | undefined;
    for (const element of latest) if (element.path.length < path.length && samePrefix(element.path, path) && (!owner || element.path.length > owner.path.length)) owner = element;
    (owner ? owner.children : topLevel).push(section);
    if (node.kind === 'array') {
      // A new element: the arrays of tables inside the previous one are out of reach.
      for (let i = latest.length - 1; i >= 0; i--) if (samePrefix(path, latest[i]!.path)) latest.splice(i, 1);
      latest.push(section);
    }
  }
  const trailing = text.slice(cursor);

  const renderSections = (sections: Section[]): string =>
    orderSections(sections, sectionOrder)
      .map((section) => {
        const header = section.header.endsWith('\n') ? section.header : `${section.header}\n`;
        const items = sortItems(section.items).map(renderItem('\t')).join('');
        return `\n\n${section.decor.trimStart()}${header}${items}${renderSections(section.children)}`;
      })
      .join('');
  let out = root.map(renderItem('')).join('') + renderSections(topLevel) + trailing;
  out = out.trimStart();
  return out;
}

/** The position just after a table header's closing `]` (or `]]`). */
function headerEnd(text: string, table: AST.TOMLTable): number {
  let i = table.key.range[1];
  while (i < text.length && text[i] !== ']') i++;
  return table.kind === 'array' ? i + 2 : i + 1;
}

/** Byte order of the UTF-8 encoding, as 2.3.6 sorts (code point order; UTF-16 order differs past U+FFFF). */
function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
  return x.length - y.length;
}

function sortItems(items: Item[]): Item[] {
  const compare = (a: string[], b: string[]): number => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
      const byKey = compareKeys(a[i]!, b[i]!);
      if (byKey !== 0) return byKey;
    }
    return a.length - b.length;
  };
  return items
    .map((item, index) => ({ item, index }))
    .sort((x, y) => compare(x.item.path, y.item.path) || x.index - y.index)
    .map((x) => x.item);
}

/**
 * A key's leading lines trimmed, its leading blank lines dropped, the key itself indented.
 * 2.3.6 drops one leading blank line per run, so n blank lines need n runs to settle; dropping
 * them all gives the settled result at once, and formatting twice changes nothing more.
 */
function renderItem(indent: string): (item: Item) => string {
  return (item) => {
    const lines = item.decor.split('\n').map((l) => l.trim());
    while (lines.length > 1 && lines[0] === '') lines.shift();
    lines[lines.length - 1] = indent;
    return lines.join('\n') + (item.body.endsWith('\n') ? item.body : `${item.body}\n`);
  };
}

/** The key/value text, with a multi-element array value laid out one element per line. */
function renderKeyValue(text: string, kv: AST.TOMLKeyValue, end: number): string {
  if (kv.value.type !== 'TOMLArray' || kv.value.elements.length < 2) return text.slice(kv.range[0], end);
  const array = kv.value;
  let out = text.slice(kv.range[0], array.range[0]) + '[';
  let position = array.range[0] + 1;
  array.elements.forEach((element, i) => {
    const comment = text.slice(position, element.range[0]).trim();
    out += `${comment ? (comment.startsWith('#') ? ` ${comment}` : comment) : ''}\n\t\t${text.slice(element.range[0], element.range[1])}`;
    position = element.range[1];
    const comma = text.indexOf(',', position);
    const nextStart = array.elements[i + 1]?.range[0] ?? array.range[1] - 1;
    if (comma !== -1 && comma < nextStart && !/#/.test(text.slice(position, comma))) {
      out += text.slice(position, comma + 1);
      position = comma + 1;
    }
  });
  // What follows the last element (trailing comments, the closing bracket) stays as it was.
  return out + text.slice(position, end);
}

/**
 * Global order by score; ties keep document order at the top and key order below. The elements of
 * an array of tables share their key, so they keep their order (both sorts are stable).
 *
 * "Document order at the top" ranks a top-level key by its first header, but the output lists the
 * sections level by level, so a key whose shallowest header is deeper ([b.c] without [b]) comes
 * later there than it did before: ranking keys by (shallowest depth, first header) instead gives
 * the same order on the next run (idempotence), and the same order as 2.3.6 when every top-level
 * key has its own header.
 */
function orderSections(sections: Section[], order: SectionOrder): Section[] {
  const families = new Map<string, { depth: number; first: number }>();
  for (const s of sections) {
    const family = families.get(s.path[0]!);
    if (!family) families.set(s.path[0]!, { depth: s.path.length, first: families.size });
    else family.depth = Math.min(family.depth, s.path.length);
  }
  const ranked = [...families.entries()].sort(([, a], [, b]) => a.depth - b.depth || a.first - b.first);
  const topOrder = new Map(ranked.map(([key], rank) => [key, rank]));
  // Traversal: top-level keys in that order, below them depth-first with children by key.
  const traversal = [...sections].sort((a, b) => {
    const ta = topOrder.get(a.path[0]!)!;
    const tb = topOrder.get(b.path[0]!)!;
    if (ta !== tb) return ta - tb;
    for (let i = 1; i < Math.min(a.path.length, b.path.length); i++) {
      const byKey = compareKeys(a.path[i]!, b.path[i]!);
      if (byKey !== 0) return byKey;
    }
    return a.path.length - b.path.length || a.order - b.order;
  });
  const score = (s: Section) => order(s.path[0]!) + s.path.length - 1;
  return traversal
    .map((s, i) => ({ s, i }))
    .sort((x, y) => score(x.s) - score(y.s) || x.i - y.i)
    .map((x) => x.s);
}
