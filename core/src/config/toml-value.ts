/**
 * The value of a parsed TOML document, built from toml-eslint-parser's AST (which has already
 * checked every TOML rule: duplicate keys, redefined tables, closed inline tables).
 *
 * Our own builder rather than the parser's getStaticTOMLValue, for two reasons:
 * - keys are set as own properties, so `__proto__`, `constructor` or `toString` are ordinary keys
 *   (getStaticTOMLValue assigns `obj[key]`, and `[__proto__]` replaces the prototype instead);
 * - the caller chooses how scalars become values: the config gets exact integers (a bigint past
 *   2^53 rather than a rounded number), the conformance tests get toml-test's tagged form.
 */
import type { AST } from 'toml-eslint-parser';

export type TomlTable = Record<string, unknown>;
export type ScalarConverter = (node: AST.TOMLValue) => unknown;

/** Numbers as numbers while exact, else bigint; date-times as Date (how the config sees them). */
export const plainScalar: ScalarConverter = (node) => {
  if (node.kind === 'integer') return Number.isSafeInteger(node.value) ? node.value : node.bigint;
  return node.value;
};

/**
 * Each scalar as one string that differs exactly when the values differ: its kind and its value
 * (an integer's digits, a float's number with -0 apart from 0, a date-time's text). For comparing
 * two documents.
 */
export const exactScalar: ScalarConverter = (node) => {
  switch (node.kind) {
    case 'integer':
      return `integer:${node.bigint}`;
    case 'float':
      return `float:${Object.is(node.value, -0) ? '-0' : node.value}`;
    case 'string':
      return `string:${node.value}`;
    case 'boolean':
      return `boolean:${node.value}`;
    default:
      return `${node.kind}:${node.datetime}`;
  }
};

export function tomlValueOf(program: AST.TOMLProgram, scalar: ScalarConverter = plainScalar): TomlTable {
  const root: TomlTable = {};
  const contentValue = (node: AST.TOMLContentNode): unknown => {
    if (node.type === 'TOMLArray') return node.elements.map(contentValue);
    if (node.type === 'TOMLInlineTable') {
      const table: TomlTable = {};
      for (const kv of node.body) setKeyValue(table, kv);
      return table;
    }
    return scalar(node);
  };
  const setKeyValue = (table: TomlTable, kv: AST.TOMLKeyValue) => {
    const keys = kv.key.keys.map(keyName);
    let target = table;
    for (const key of keys.slice(0, -1)) target = child(target, key);
    define(target, keys[keys.length - 1]!, contentValue(kv.value));
  };
  for (const node of program.body[0].body) {
    if (node.type === 'TOMLKeyValue') {
      setKeyValue(root, node);
      continue;
    }
    const keys = node.key.keys.map(keyName);
    let target = root;
    for (const key of keys.slice(0, -1)) target = child(target, key);
    const last = keys[keys.length - 1]!;
    let table: TomlTable;
    if (node.kind === 'array') {
      const existing = own(target, last);
      const array = Array.isArray(existing) ? existing : define(target, last, []);
      table = {};
      (array as unknown[]).push(table);
    } else {
      table = child(target, last);
    }
    for (const kv of node.body) setKeyValue(table, kv);
  }
  return root;
}

export function keyName(key: AST.TOMLBare | AST.TOMLQuoted): string {
  return key.type === 'TOMLBare' ? key.name : key.value;
}

function own(table: TomlTable, key: string): unknown {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

function define<T>(table: TomlTable, key: string, value: T): T {
  Object.defineProperty(table, key, { value, writable: true, enumerable: true, configurable: true });
  return value;
}

/** The table at `key` (created when missing); through an array of tables, its last element. */
function child(table: TomlTable, key: string): TomlTable {
  const existing = own(table, key);
  if (Array.isArray(existing)) return existing[existing.length - 1] as TomlTable;
  if (typeof existing === 'object' && existing !== null && !(existing instanceof Date)) return existing as TomlTable;
  return define(table, key, {});
}
