/**
 * Parsing anysnake2.toml with a spec-compliant TOML 1.0 parser that keeps source positions
 * (toml-eslint-parser): every problem we report can then name file:line:column and its TOML path.
 */
import type { AST } from 'toml-eslint-parser';
import { ConfigError, type SourceLocation } from '../errors.js';
import { parseTomlText, TomlSyntaxError } from './toml-syntax.js';
import { tomlValueOf, type TomlTable } from './toml-value.js';

export type TomlPath = readonly (string | number)[];
export type { TomlTable };

export interface TomlDocument {
  readonly file: string;
  /** The file's text as read (a byte-order mark included: the canonical rewrite keeps it). */
  readonly text: string;
  readonly value: TomlTable;
  /** Position of the key (or table header, or array element) at `path`, else of its nearest ancestor. */
  locate(path: TomlPath): SourceLocation | undefined;
  /** Whether the value at `path` was written as a top-level key/value rather than a [table]. */
  readonly topLevelScalars: readonly string[];
}

/** `cmd."my cmd".pre_run_outside` or `nixpkgs.packages[2]` — how paths are shown to users. */
export function formatPath(path: TomlPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else {
      const piece = /^[A-Za-z0-9_-]+$/.test(part) ? part : JSON.stringify(part);
      out += out ? `.${piece}` : piece;
    }
  }
  return out;
}

export function parseTomlDocument(text: string, file: string): TomlDocument {
  let ast: AST.TOMLProgram;
  try {
    ast = parseTomlText(text).ast;
  } catch (error) {
    if (error instanceof TomlSyntaxError) {
      throw new ConfigError([
        {
          path: '',
          message: `TOML syntax error: ${error.message}`,
          hint: error.hint ?? 'fix the syntax at that position (see https://toml.io/en/v1.0.0)',
          location: { file, line: error.line, column: error.column },
        },
      ]);
    }
    throw error;
  }
  const positions = new Map<string, SourceLocation>();
  const at = (node: AST.HasLocs): SourceLocation => ({ file, line: node.loc.start.line, column: node.loc.start.column + 1 });
  const record = (path: TomlPath, node: AST.HasLocs) => {
    const key = JSON.stringify(path);
    if (!positions.has(key)) positions.set(key, at(node));
  };
  const walkValue = (path: TomlPath, node: AST.TOMLContentNode) => {
    if (node.type === 'TOMLArray') node.elements.forEach((el, i) => (record([...path, i], el), walkValue([...path, i], el)));
    else if (node.type === 'TOMLInlineTable') node.body.forEach((kv) => walkKeyValue(path, kv));
  };
  const walkKeyValue = (base: TomlPath, kv: AST.TOMLKeyValue) => {
    const keys = kv.key.keys.map((k) => (k.type === 'TOMLBare' ? k.name : k.value));
    for (let i = 1; i <= keys.length; i++) record([...base, ...keys.slice(0, i)], kv.key);
    walkValue([...base, ...keys], kv.value);
  };
  const topLevelScalars: string[] = [];
  for (const node of ast.body[0].body) {
    if (node.type === 'TOMLKeyValue') {
      walkKeyValue([], node);
      if (node.key.keys.length === 1 && node.value.type !== 'TOMLInlineTable') {
        const k = node.key.keys[0]!;
        topLevelScalars.push(k.type === 'TOMLBare' ? k.name : k.value);
      }
    } else {
      for (let i = 1; i <= node.resolvedKey.length; i++) record(node.resolvedKey.slice(0, i), node);
      node.body.forEach((kv) => walkKeyValue(node.resolvedKey, kv));
    }
  }
  const value = tomlValueOf(ast);
  return {
    file,
    text,
    value,
    topLevelScalars,
    locate(path) {
      for (let n = path.length; n > 0; n--) {
        const hit = positions.get(JSON.stringify(path.slice(0, n)));
        if (hit) return hit;
      }
      return undefined;
    },
  };
}
