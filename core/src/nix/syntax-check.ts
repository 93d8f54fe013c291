/**
 * Is this text exactly one Nix expression? A recogniser for the grammar of Nix 2.8
 * (libexpr/parser.y) over the tokens of `lexer.ts`: functions and formals, assert/with/let, if,
 * the operators with their precedence (non-associative ones included), application, selection
 * with `or`, and every literal. It also reports what nix's parser reports beyond the grammar:
 * duplicate attributes (with attribute-set merging), duplicate formals and integers out of range.
 * Names are not resolved (the flake gives `pkgs`, `final`, `prev`… at the place the code lands).
 *
 * Used for raw Nix from the config: text that passes stays one parenthesised expression wherever
 * the printer puts it. The property test compares the verdicts with `nix-instantiate --parse`.
 */
import { NixLexError, tokenize, type Token } from './lexer.js';

export interface NixSyntaxProblem {
  readonly message: string;
  /** Offset (UTF-16 code units) into the checked text, and its 1-based line and column. */
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}

class SyntaxProblem extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** An attribute table as nix's parser builds it, for duplicate detection. */
type AttrTable = Map<string, { inherited: boolean; set?: AttrTable }>;

/** What the parser needs to know about an expression it has read. */
interface ExprInfo {
  /** A `{ … }` or `rec { … }` literal (possibly parenthesised): its attributes, for merging. */
  set?: AttrTable;
  /** A `"…"` literal without interpolation: its value (a static attribute name). */
  str?: string;
}

const NONE: ExprInfo = {};

const BINARY: Record<string, { prec: number; assoc: 'left' | 'right' | 'none' }> = {
  '->': { prec: 1, assoc: 'right' },
  '||': { prec: 2, assoc: 'left' },
  '&&': { prec: 3, assoc: 'left' },
  '==': { prec: 4, assoc: 'none' },
  '!=': { prec: 4, assoc: 'none' },
  '<': { prec: 5, assoc: 'none' },
  '>': { prec: 5, assoc: 'none' },
  '<=': { prec: 5, assoc: 'none' },
  '>=': { prec: 5, assoc: 'none' },
  '//': { prec: 6, assoc: 'right' },
  '+': { prec: 8, assoc: 'left' },
  '-': { prec: 8, assoc: 'left' },
  '*': { prec: 9, assoc: 'left' },
  '/': { prec: 9, assoc: 'left' },
  '++': { prec: 10, assoc: 'right' },
  '?': { prec: 11, assoc: 'none' },
};
const PREC_NOT = 7;
const PREC_NEGATE = 12;
const MAX_INT = 9223372036854775807n;

/** The first problem that keeps `text` from being exactly one Nix expression, or undefined. */
export function checkNixExpression(text: string): NixSyntaxProblem | undefined {
  try {
    let tokens: Token[];
    try {
      tokens = tokenize(text);
    } catch (error) {
      if (error instanceof NixLexError) throw new SyntaxProblem(error.message, error.offset);
      throw error;
    }
    new Recogniser(tokens).start();
    return undefined;
  } catch (error) {
    if (error instanceof SyntaxProblem) return { message: error.message, offset: error.offset, ...lineColumn(text, error.offset) };
    if (error instanceof RangeError) return { message: 'is nested too deeply', offset: 0, line: 1, column: 1 };
    throw error;
  }
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}

function describe(token: Token): string {
  if (token.kind === 'eof') return 'the end of the text';
  if (token.kind === 'path_end') return 'the end of a path';
  const text = token.text.length > 20 ? `${token.text.slice(0, 20)}…` : token.text;
  return `'${text}'`;
}

class Recogniser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  private get tok(): Token {
    return this.tokens[this.pos]!;
  }
  private peek(n = 1): Token {
    return this.tokens[Math.min(this.pos + n, this.tokens.length - 1)]!;
  }
  /** Is the current token the terminal `t` (a char, operator, keyword, or token kind)? */
  private is(t: string, token = this.tok): boolean {
    if (token.kind === 'char' || token.kind === 'op' || token.kind === 'keyword') return token.text === t;
    return token.kind === t;
  }
  private fail(expected?: string): never {
    const got = describe(this.tok);
    throw new SyntaxProblem(expected ? `expected ${expected} but found ${got}` : `unexpected ${got}`, this.tok.offset);
  }
  private expect(t: string, what = `'${t}'`): Token {
    if (!this.is(t)) this.fail(what);
    return this.tokens[this.pos++]!;
  }

  start(): void {
    this.expr();
    if (!this.is('eof')) this.fail('the end of the expression (a Nix value here must be exactly one expression)');
  }

  private expr(): ExprInfo {
    return this.exprFunction();
  }

  private exprFunction(): ExprInfo {
    const t = this.tok;
    if (t.kind === 'id' && this.is(':', this.peek())) {
      this.pos += 2;
      this.exprFunction();
      return NONE;
    }
    if (t.kind === 'id' && this.is('@', this.peek()) && this.is('{', this.peek(2))) {
      this.pos += 2;
      this.formals(t.text);
      this.expect(':');
      this.exprFunction();
      return NONE;
    }
    if (this.is('{') && this.looksLikeFormals()) {
      const names = this.formals();
      if (this.is('@')) {
        this.pos++;
        const name = this.expect('id', 'a name after @');
        if (names.has(name.text)) throw new SyntaxProblem(`duplicate formal function argument '${name.text}'`, name.offset);
      }
      this.expect(':');
      this.exprFunction();
      return NONE;
    }
    if (this.is('assert') || this.is('with')) {
      this.pos++;
      this.expr();
      this.expect(';');
      this.exprFunction();
      return NONE;
    }
    if (this.is('let') && !this.is('{', this.peek())) {
      this.pos++;
      this.binds('in');
      this.expect('in');
      this.exprFunction();
      return NONE;
    }
    return this.exprIf();
  }

  /** `{` starts formals when followed by `}` and then `:` or `@`, by `...`, or by a name and `,` `?` `}`. */
  private looksLikeFormals(): boolean {
    const a = this.peek();
    const b = this.peek(2);
    if (this.is('}', a)) return this.is(':', b) || this.is('@', b);
    if (this.is('...', a)) return true;
    return a.kind === 'id' && (this.is(',', b) || this.is('?', b) || this.is('}', b));
  }

  /** `{ a, b ? e, ... }` (the current token is `{`); returns the names. */
  private formals(bind?: string): Set<string> {
    this.expect('{');
    const names = new Set<string>();
    for (;;) {
      if (this.is('}')) break;
      if (this.is('...')) {
        this.pos++;
        break;
      }
      const name = this.expect('id', 'a function argument name');
      if (names.has(name.text) || name.text === bind) throw new SyntaxProblem(`duplicate formal function argument '${name.text}'`, name.offset);
      names.add(name.text);
      if (this.is('?')) {
        this.pos++;
        this.expr();
      }
      if (!this.is(',')) break;
      this.pos++;
    }
    this.expect('}');
    return names;
  }

  private exprIf(): ExprInfo {
    if (this.is('if')) {
      this.pos++;
      this.expr();
      this.expect('then');
      this.expr();
      this.expect('else');
      this.expr();
      return NONE;
    }
    return this.exprOp(0);
  }

  private exprOp(minPrec: number): ExprInfo {
    let info: ExprInfo;
    if (this.is('!')) {
      this.pos++;
      this.exprOp(PREC_NOT + 1);
      info = NONE;
    } else if (this.is('-')) {
      this.pos++;
      this.exprOp(PREC_NEGATE + 1);
      info = NONE;
    } else info = this.exprApp();
    let lastNonAssoc = -1;
    for (;;) {
      const t = this.tok;
      const op = t.kind === 'char' || t.kind === 'op' ? BINARY[t.text] : undefined;
      if (!op || op.prec < minPrec) return info;
      if (op.assoc === 'none' && op.prec === lastNonAssoc) this.fail();
      this.pos++;
      if (t.text === '?') this.attrPath();
      else this.exprOp(op.assoc === 'right' ? op.prec : op.prec + 1);
      lastNonAssoc = op.assoc === 'none' ? op.prec : -1;
      info = NONE;
    }
  }

  private startsSimple(token = this.tok): boolean {
    if (['id', 'int', 'float', '"', "''", 'path', 'spath', 'uri'].includes(token.kind)) return true;
    if (this.is('let', token)) return this.is('{', this.peek());
    return this.is('(', token) || this.is('rec', token) || this.is('{', token) || this.is('[', token);
  }

  private exprApp(): ExprInfo {
    const info = this.exprSelect();
    if (!this.startsSimple()) return info;
    while (this.startsSimple()) this.exprSelect();
    return NONE;
  }

  private exprSelect(): ExprInfo {
    const info = this.exprSimple();
    if (this.is('.')) {
      this.pos++;
      this.attrPath();
      if (this.is('or')) {
        this.pos++;
        this.exprSelect();
      }
      return NONE;
    }
    if (this.is('or')) {
      this.pos++; // `f or`: the function applied to a variable named `or` (kept by nix for old code)
      return NONE;
    }
    return info;
  }

  private exprSimple(): ExprInfo {
    const t = this.tok;
    switch (t.kind) {
      case 'id':
      case 'float':
      case 'spath':
      case 'uri':
        this.pos++;
        return NONE;
      case 'int':
        if (BigInt(t.text) > MAX_INT) throw new SyntaxProblem(`invalid integer '${t.text}'`, t.offset);
        this.pos++;
        return NONE;
      case '"':
        return this.string();
      case "''":
        this.pos++;
        while (!this.is("''end")) {
          if (this.is('ind_str')) this.pos++;
          else this.interpolation();
        }
        this.pos++;
        return NONE;
      case 'path':
        this.pos++;
        while (!this.is('path_end')) {
          if (this.is('path_part')) this.pos++;
          else this.interpolation();
        }
        this.pos++;
        return NONE;
      default:
    }
    if (this.is('(')) {
      this.pos++;
      const info = this.expr();
      this.expect(')');
      return info;
    }
    if (this.is('let') || this.is('rec')) {
      this.pos++;
      this.expect('{');
      const set = this.binds('}');
      this.expect('}');
      return t.text === 'rec' ? { set } : NONE;
    }
    if (this.is('{')) {
      this.pos++;
      const set = this.binds('}');
      this.expect('}');
      return { set };
    }
    if (this.is('[')) {
      this.pos++;
      while (!this.is(']')) {
        if (!this.startsSimple()) this.fail("a list element or ']'");
        this.exprSelect();
      }
      this.pos++;
      return NONE;
    }
    return this.fail('an expression');
  }

  private string(): ExprInfo {
    this.expect('"');
    let value = '';
    let isStatic = true;
    while (!this.is('"')) {
      if (this.is('str')) value += unescape(this.tokens[this.pos++]!.text);
      else {
        this.interpolation();
        isStatic = false;
      }
    }
    this.pos++;
    return isStatic ? { str: value } : NONE;
  }

  private interpolation(): ExprInfo {
    this.expect('${', "'${'");
    const info = this.expr();
    this.expect('}');
    return info;
  }

  /** An attribute name: its static value, or undefined for a dynamic one. */
  private attr(): string | undefined {
    const t = this.tok;
    if (t.kind === 'id' || this.is('or')) {
      this.pos++;
      return t.text;
    }
    if (this.is('"')) return this.string().str;
    if (this.is('${')) return this.interpolation().str;
    return this.fail('an attribute name');
  }

  private attrPath(): (string | undefined)[] {
    const path = [this.attr()];
    while (this.is('.')) {
      this.pos++;
      path.push(this.attr());
    }
    return path;
  }

  /** Bindings up to `end`; returns the static attributes defined, after nix's merging rules. */
  private binds(end: string): AttrTable {
    const table: AttrTable = new Map();
    while (!this.is(end) && !this.is('eof')) {
      if (this.is('inherit')) {
        this.pos++;
        if (this.is('(')) {
          this.pos++;
          this.expr();
          this.expect(')');
        }
        while (!this.is(';')) {
          const at = this.tok.offset;
          const name = this.attr();
          if (name === undefined) continue;
          if (table.has(name)) throw new SyntaxProblem(`attribute '${name}' already defined`, at);
          table.set(name, { inherited: true });
        }
        this.pos++;
        continue;
      }
      const at = this.tok.offset;
      const path = this.attrPath();
      this.expect('=');
      const value = this.expr();
      this.expect(';');
      addAttr(table, path, value, at);
    }
    return table;
  }
}

function addAttr(table: AttrTable, path: (string | undefined)[], value: ExprInfo, at: number): void {
  const dup = () => {
    throw new SyntaxProblem(`attribute '${path.map((p) => p ?? '${…}').join('.')}' already defined`, at);
  };
  let current: AttrTable = table;
  for (const name of path.slice(0, -1)) {
    if (name === undefined) {
      current = new Map(); // dynamic: nix checks nothing below it
      continue;
    }
    const existing = current.get(name);
    if (existing) {
      if (existing.inherited || !existing.set) dup();
      current = existing.set!;
    } else {
      const nested: AttrTable = new Map();
      current.set(name, { inherited: false, set: nested });
      current = nested;
    }
  }
  const last = path[path.length - 1];
  if (last === undefined) return;
  const existing = current.get(last);
  if (!existing) {
    current.set(last, { inherited: false, set: value.set });
    return;
  }
  if (existing.inherited || !existing.set || !value.set) dup();
  for (const [name, entry] of value.set!) {
    if (existing.set!.has(name)) throw new SyntaxProblem(`attribute '${name}' already defined`, at);
    existing.set!.set(name, entry);
  }
}

/** The value of a double-quoted string piece (nix's unescapeStr). */
function unescape(raw: string): string {
  return raw.replace(/\\([\s\S])|\r\n?/g, (_m, c: string | undefined) => {
    if (c === undefined) return '\n';
    return c === 'n' ? '\n' : c === 'r' ? '\r' : c === 't' ? '\t' : c;
  });
}
