/**
 * The one TOML 1.0 parse of anysnake2.toml's text (toml-eslint-parser, strict 1.0 mode), used by
 * the reader and the formatter alike, with the three checks the parser lacks:
 * - a leading byte-order mark is allowed (TOML 1.0 permits it; the parser says "Unexpected character");
 * - a carriage return that does not start a CRLF is an error (the parser takes it for whitespace);
 * - arrays and inline tables nested deeper than MAX_NESTING are an error (the parser recurses and
 *   overflows the stack somewhere past a few thousand levels).
 */
import { parseTOML } from '../vendor/toml-parser.js';
import type { AST } from 'toml-eslint-parser';

/** toml_edit's default recursion limit (the TOML library of anysnake2 2.x): no real config comes near. */
export const MAX_NESTING = 128;

const BOM = '\uFEFF';

export class TomlSyntaxError extends Error {
  /** 1-based, like every position we show. */
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
    /** What to do about it, when we know better than "fix the syntax". */
    readonly hint?: string,
  ) {
    super(message);
  }
}

export interface ParsedToml {
  readonly ast: AST.TOMLProgram;
  /** Whether the text began with a byte-order mark; the AST's positions are those of the text after it. */
  readonly bom: boolean;
}

export function hasBom(text: string): boolean {
  return text.startsWith(BOM);
}

/** The text without its byte-order mark, if it has one. */
export function withoutBom(text: string): string {
  return hasBom(text) ? text.slice(1) : text;
}

/** The last text parsed and its result: a run parses the same config twice (loading it, then the canonical-format check in tofu/engine.ts), ~1 ms per 100 lines. Nothing changes an AST. */
let last: { text: string; parsed: ParsedToml } | undefined;

export function parseTomlText(text: string): ParsedToml {
  if (last?.text === text) return last.parsed;
  const parsed = parseUncached(text);
  last = { text, parsed };
  return parsed;
}

function parseUncached(text: string): ParsedToml {
  const bom = hasBom(text);
  const source = withoutBom(text);
  const bareCr = /\r(?!\n)/.exec(source);
  if (bareCr)
    throw syntaxError(
      source,
      bareCr.index,
      'a carriage return (\\r) without a line feed: TOML lines end with LF or CRLF',
      'save the file with LF (or CRLF) line ends, or write \\r inside a string as the escape \\r',
    );
  const tooDeep = nestingBeyond(source, MAX_NESTING);
  if (tooDeep !== undefined)
    throw syntaxError(source, tooDeep, `arrays and inline tables are nested more than ${MAX_NESTING} levels deep here`, 'flatten the value: no configuration needs this depth');
  try {
    return { ast: parseTOML(source, { tomlVersion: '1.0' }), bom };
  } catch (error) {
    const e = error as { lineNumber?: unknown; column?: unknown; message?: string };
    if (typeof e.lineNumber === 'number' && typeof e.column === 'number') throw new TomlSyntaxError(e.message ?? 'syntax error', e.lineNumber, e.column + 1);
    throw error;
  }
}

function syntaxError(source: string, index: number, message: string, hint: string): TomlSyntaxError {
  const before = source.slice(0, index);
  return new TomlSyntaxError(message, before.split('\n').length, index - (before.lastIndexOf('\n') + 1) + 1, hint);
}

/**
 * The index of the first `[` or `{` that opens level `limit + 1` of value nesting, if any.
 * A scan over the tokens that matter: strings and comments are skipped (brackets in them do not
 * nest), table headers count like arrays (they add at most two levels). Malformed text may be
 * miscounted, but only towards an error the parser would report anyway.
 */
function nestingBeyond(source: string, limit: number): number | undefined {
  let depth = 0;
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i]!;
    if (c === '#') {
      const newline = source.indexOf('\n', i);
      i = newline === -1 ? n : newline;
    } else if (c === '"' || c === "'") {
      i = skipString(source, i, c);
    } else if (c === '[' || c === '{') {
      if (++depth > limit) return i;
      i++;
    } else {
      if (c === ']' || c === '}') depth = Math.max(0, depth - 1);
      i++;
    }
  }
  return undefined;
}

/** The index after the string starting at `start` (basic or literal, one line or multi-line). */
function skipString(source: string, start: number, quote: string): number {
  const triple = quote.repeat(3);
  const escapes = quote === '"';
  if (source.startsWith(triple, start)) {
    let i = start + 3;
    while (i < source.length) {
      if (escapes && source[i] === '\\') i += 2;
      else if (source.startsWith(triple, i)) {
        // Up to two more quotes belong to the content: `"""a""""` is `a"`.
        let end = i + 3;
        while (end < i + 5 && source[end] === quote) end++;
        return end;
      } else i++;
    }
    return source.length;
  }
  let i = start + 1;
  while (i < source.length && source[i] !== quote && source[i] !== '\n') i += escapes && source[i] === '\\' ? 2 : 1;
  return i + 1;
}
