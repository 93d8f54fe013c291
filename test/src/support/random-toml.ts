/**
 * Random TOML 1.0 documents that anysnake2 accepts as a config (only tables at the top level), for
 * the formatter's property test. Valid by construction: a random tree of tables is drawn first,
 * then written out with random choices for everything TOML leaves open — [header], inline table
 * or dotted keys; the order of the sections (elements of an array of tables keep theirs, with
 * their sub-tables after them); key quoting; every scalar form; array layout; whitespace;
 * comments in every place a comment may stand; CRLF line ends and a byte-order mark.
 * Driven by a seed (fast-check supplies them): a small PRNG makes the hundreds of choices per
 * document, about a hundred times faster than drawing each from fast-check (fc.gen).
 */

type Node = { kind: 'value'; text: () => string } | { kind: 'table'; entries: Entry[]; style: 'header' | 'inline' | 'dotted' } | { kind: 'array-of-tables'; elements: Entry[][] };
type Entry = [name: string, node: Node];

/** A piece of the output that may move as a whole: one section, or one element of an array of tables with what belongs to it. */
interface Unit {
  lines: string[];
  /** For an element of an array of tables: that array's key (its elements keep their order). */
  array?: string;
}

const MAX_DEPTH = 3;

// Characters for strings, keys and comments: ASCII, tab, Latin-1, CJK, an astral emoji, TOML's own punctuation.
const TEXT_CHARS = [...'abcxyzABZ019 _-.,:;!?/\\\'"#[]{}=+*~`$@%&()<>|^', '\t', 'é', 'ß', 'Ω', '日', '本', '😀', '\u00a0'];
const CONTROL_CHARS = ['\u0000', '\u0001', '\u0008', '\u000b', '\u000c', '\u001f', '\u007f', '\r', '\n'];
const KEY_NAMES = ['a', 'b', 'name', 'url', 'packages', 'x-y', 'x_y', '0', '1_000', 'true', 'inf', '__proto__', 'constructor', 'a.b', 'with space', '', 'ü', '"q"', "it's"];

/** mulberry32: a tiny, well-mixed 32-bit PRNG; enough for choosing among layouts. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomTomlDocument(seed: number): string {
  const random = prng(seed);
  const pick = (n: number): number => Math.floor(random() * n);
  const chance = (p: number): boolean => random() < p;
  const oneOf = <T>(items: readonly T[]): T => items[pick(items.length)]!;
  const between = (min: number, max: number): number => min + pick(max - min + 1);
  const bigBetween = (min: bigint, max: bigint): bigint => {
    const span = max - min + 1n;
    const r = (BigInt(pick(2 ** 32)) << 32n) | BigInt(pick(2 ** 32));
    return min + (r % span);
  };
  const text = (maxLength: number, withControls = false): string => {
    const alphabet = withControls ? [...TEXT_CHARS, ...CONTROL_CHARS] : TEXT_CHARS;
    return Array.from({ length: pick(maxLength + 1) }, () => oneOf(alphabet)).join('');
  };

  // --- the tree ---------------------------------------------------------------------------
  const names = (max: number): string[] => {
    const out = new Set<string>();
    for (let i = pick(max + 1); i > 0; i--) out.add(chance(0.5) ? oneOf(KEY_NAMES) : text(6) || 'k');
    return [...out];
  };

  /** A table's entries; `headers`: sub-tables may be [sections]; `inline`: everything on one line. */
  const table = (depth: number, headers: boolean, inline: boolean, onlyTables = false): Entry[] =>
    names(depth === 0 ? 4 : 3).map((name): Entry => {
      // Mostly values; now and then a table or an array of tables (the tree stays small).
      const choice = onlyTables ? (headers && chance(0.3) ? 9 : 8) : depth < MAX_DEPTH ? pick(10) : 0;
      if (choice < 7) return [name, { kind: 'value', text: valueText(depth, inline) }];
      if (choice === 9 && headers) return [name, { kind: 'array-of-tables', elements: Array.from({ length: 1 + pick(3) }, () => table(depth + 1, true, false)) }];
      const style = headers ? oneOf(['header', 'header', 'inline', 'dotted'] as const) : inline ? 'inline' : oneOf(['inline', 'dotted'] as const);
      const entries = table(depth + 1, style === 'header', inline || style === 'inline');
      // A table written with dotted keys needs at least one key in it.
      return [name, { kind: 'table', entries, style: style === 'dotted' && entries.length === 0 ? 'inline' : style }];
    });

  // --- scalars ----------------------------------------------------------------------------
  const underscored = (digits: string): string => digits.replace(/(\d)(?=\d)/g, (d) => (chance(0.15) ? `${d}_` : d));
  const integer = (): string => {
    const form = pick(5);
    if (form === 0) return oneOf(['0', '+0', '-0', '9223372036854775807', '-9223372036854775808', '9007199254740993', '1_000']);
    if (form === 1) return `0x${underscored(bigBetween(0n, 2n ** 63n - 1n).toString(16)).replace(/[a-f]/g, (c) => (chance(0.5) ? c.toUpperCase() : c))}`;
    if (form === 2) return `0o${underscored(bigBetween(0n, 2n ** 63n - 1n).toString(8))}`;
    if (form === 3) return `0b${underscored(between(0, 4096).toString(2))}`;
    const value = bigBetween(-(2n ** 63n), 2n ** 63n - 1n);
    return `${value >= 0n && chance(0.2) ? '+' : ''}${value < 0n ? '-' : ''}${underscored((value < 0n ? -value : value).toString())}`;
  };
  const digits = (min: number, max: number) => String(between(min, max));
  const float = (): string => {
    const form = pick(4);
    if (form === 0) return oneOf(['inf', '+inf', '-inf', 'nan', '+nan', '-nan', '-0.0', '+0.0', '0e0', '1e-400', '1.7976931348623157e308', '5e-324']);
    const sign = oneOf(['', '', '-', '+']);
    const int = underscored(digits(0, 100000).replace(/^0+(?=\d)/, ''));
    const fraction = `.${underscored(String(between(0, 999999)).padStart(between(1, 8), '0'))}`;
    const exponent = `${oneOf(['e', 'E'])}${oneOf(['', '+', '-'])}${digits(0, 30)}`;
    return sign + int + (form === 1 ? fraction : form === 2 ? exponent : fraction + exponent);
  };
  const two = (min: number, max: number) => digits(min, max).padStart(2, '0');
  const date = () => `${digits(1, 9999).padStart(4, '0')}-${two(1, 12)}-${two(1, 28)}`;
  const time = () => `${two(0, 23)}:${two(0, 59)}:${two(0, 59)}${chance(0.4) ? `.${'1234567890'.slice(0, 1 + pick(9))}` : ''}`;
  const dateTime = (): string => {
    const form = pick(4);
    if (form === 0) return date();
    if (form === 1) return time();
    const local = `${date()}${oneOf(['T', 't', ' '])}${time()}`;
    return form === 2 ? local : local + oneOf(['Z', 'z', '+00:00', '-00:00', '+05:30', '-11:00']);
  };

  // --- strings ----------------------------------------------------------------------------
  const escape = (c: string): string => {
    const short: Record<string, string> = { '\b': '\\b', '\t': '\\t', '\n': '\\n', '\f': '\\f', '\r': '\\r', '"': '\\"', '\\': '\\\\' };
    if (short[c] !== undefined && (c === '"' || c === '\\' || chance(0.7))) return short[c]!;
    const code = c.codePointAt(0)!;
    if (code < 0x20 || code === 0x7f || chance(0.05)) return code > 0xffff ? `\\U${code.toString(16).padStart(8, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    return c;
  };
  const basic = (value: string) => `"${[...value].map(escape).join('')}"`;
  const literalOk = (value: string) => !/['\u0000-\u0008\u000a-\u001f\u007f]/.test(value);
  const stringText = (inline: boolean): string => {
    const form = inline ? pick(2) : pick(4);
    if (form === 0) return basic(text(12, true));
    if (form === 1) {
      const value = text(12);
      return literalOk(value) ? `'${value}'` : basic(value);
    }
    const lines = Array.from({ length: 1 + pick(3) }, () => text(10, form === 2));
    if (form === 2) {
      // Multi-line basic: raw newlines, escapes, and now and then a line-ending backslash.
      const body = lines
        .map((line) => [...line].map((c) => (c === '\n' ? '\\n' : c === '"' && chance(0.5) ? '"' : escape(c))).join(''))
        .map((l) => l.replace(/""+/g, (q) => q.split('').join('\\')));
      const joined = body.reduce((out, line, i) => (i === 0 ? line : `${out}${chance(0.2) ? ' \\' : ''}\n${line}`), '');
      return `"""${chance(0.5) ? '\n' : ''}${joined.replace(/"$/, '\\"')}"""`;
    }
    const literal = lines.map((l) => l.replace(/'/g, '')).join('\n');
    return `'''${chance(0.5) ? '\n' : ''}${literal}'''`;
  };

  // --- values -----------------------------------------------------------------------------
  /** A value that is not a table: a scalar or an array (of scalars, arrays, inline tables); `inline`: on one line. */
  function valueText(depth: number, inline: boolean): () => string {
    const form = pick(depth < MAX_DEPTH ? 8 : 6);
    let rendered: string;
    if (form <= 1) rendered = stringText(inline);
    else if (form === 2) rendered = integer();
    else if (form === 3) rendered = float();
    else if (form === 4) rendered = oneOf(['true', 'false']);
    else if (form === 5) rendered = dateTime();
    else return () => arrayText(depth + 1, inline);
    return () => rendered;
  }
  function arrayText(depth: number, inline: boolean): string {
    const items = Array.from({ length: pick(4) }, () => (depth < MAX_DEPTH && chance(0.15) ? inlineTable(table(depth + 1, false, true)) : valueText(depth, inline)()));
    if (inline || items.length === 0 || chance(0.4)) return `[${sp()}${items.join(`${sp()},${sp(true)}`)}${items.length && chance(0.2) ? ',' : ''}${sp()}]`;
    // One element per line, comments between them, after them, before the closing bracket.
    let out = `[${chance(0.3) ? ` ${comment()}` : ''}\n`;
    items.forEach((item, i) => {
      if (chance(0.2)) out += `${indent()}${comment()}\n`;
      const last = i === items.length - 1;
      if (!last && chance(0.1)) out += `${indent()}${item} ${comment()}\n${indent()},\n`;
      else out += `${indent()}${item}${!last || chance(0.5) ? ',' : ''}${chance(0.3) ? ` ${comment()}` : ''}\n`;
    });
    return `${out}${chance(0.2) ? `${indent()}${comment()}\n` : ''}${indent()}]`;
  }
  function inlineTable(entries: Entry[]): string {
    const kvs = entries.flatMap(([name, node]) => dottedLines([name], node, true));
    return kvs.length ? `{${sp(true)}${kvs.join(`${sp()},${sp(true)}`)}${sp(true)}}` : oneOf(['{}', '{ }']);
  }
  /** `key = value` pieces for a value, an inline table, or (recursively) a table written with dotted keys. */
  function dottedLines(keys: string[], node: Node, inline: boolean): string[] {
    const key = keys.map(keyText).join(oneOf(['.', ' . ', '.']));
    if (node.kind === 'value') return [`${key}${sp()}=${sp()}${node.text()}`];
    if (node.kind === 'table' && node.style === 'dotted' && !inline) return node.entries.flatMap(([name, child]) => dottedLines([...keys, name], child, false));
    if (node.kind === 'table') return [`${key}${sp()}=${sp()}${inlineTable(node.entries)}`];
    throw new Error('an array of tables is written with headers');
  }

  // --- keys, whitespace, comments -----------------------------------------------------------
  function keyText(name: string): string {
    const bare = /^[A-Za-z0-9_-]+$/.test(name);
    const form = pick(3);
    if (bare && form === 0) return name;
    if (form === 1 && literalOk(name)) return `'${name}'`;
    return basic(name);
  }
  function sp(required = false): string {
    return oneOf(required ? [' ', ' ', '\t', '  '] : ['', ' ', ' ', '\t']);
  }
  function indent(): string {
    return oneOf(['', '', '  ', '\t', '    ']);
  }
  function comment(): string {
    return `#${text(16).replace(/[\r\n]/g, '')}`;
  }
  function decoration(): string[] {
    const lines: string[] = [];
    const count = pick(4);
    for (let i = 0; i < count; i++) lines.push(chance(0.5) ? '' : `${indent()}${comment()}`);
    return lines;
  }

  // --- sections -----------------------------------------------------------------------------
  /** Writes a table's keys into `body` and its [sections] into `units`. */
  function emit(path: string[], entries: Entry[], body: string[], units: Unit[]): void {
    for (const [name, node] of entries) {
      const childPath = [...path, name];
      if (node.kind === 'array-of-tables') {
        const arrayKey = JSON.stringify(childPath);
        for (const element of node.elements) {
          const elementBody: string[] = [];
          const inner: Unit[] = [];
          emit(childPath, element, elementBody, inner);
          units.push({ lines: [...section(`[[${sp()}${headerKey(childPath)}${sp()}]]`, elementBody), ...shuffled(inner).flatMap((u) => u.lines)], array: arrayKey });
        }
      } else if (node.kind === 'table' && node.style === 'header') {
        const childBody: string[] = [];
        const inner: Unit[] = [];
        emit(childPath, node.entries, childBody, inner);
        // A table with nothing but sub-sections may be left to be created by them.
        if (childBody.length > 0 || inner.length === 0 || chance(0.5)) units.push({ lines: section(`[${sp()}${headerKey(childPath)}${sp()}]`, childBody) });
        units.push(...inner);
      } else {
        for (const line of dottedLines([name], node, false)) body.push(...decoration(), `${indent()}${line}${chance(0.3) ? `${sp()} ${comment()}` : ''}`);
      }
    }
  }
  function headerKey(path: string[]): string {
    return path.map(keyText).join(oneOf(['.', '.', ' . ']));
  }
  function section(header: string, body: string[]): string[] {
    return [...decoration(), `${indent()}${header}${chance(0.3) ? ` ${comment()}` : ''}`, ...body];
  }
  /** A random order in which the elements of each array of tables keep theirs. */
  function shuffled(units: Unit[]): Unit[] {
    const order = [...units];
    for (let i = order.length - 1; i > 0; i--) {
      const j = pick(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const queues = new Map<string, Unit[]>();
    for (const u of units) if (u.array) queues.set(u.array, [...(queues.get(u.array) ?? []), u]);
    return order.map((u) => (u.array ? queues.get(u.array)!.shift()! : u));
  }

  const rootBody: string[] = [];
  const units: Unit[] = [];
  emit([], table(0, true, false, true), rootBody, units);
  const lines = [...decoration(), ...rootBody, ...shuffled(units).flatMap((u) => u.lines), ...decoration()];
  let document = lines.join('\n') + (chance(0.8) ? '\n' : '');
  if (chance(0.15)) document = document.replace(/\n/g, '\r\n');
  return chance(0.1) ? `\uFEFF${document}` : document;
}
