/**
 * A tokenizer for Nix source text that follows the lexer of Nix 2.8 (libexpr/lexer.l) rule for rule:
 * longest match, the same start-condition stack (`{`/`${` push, `}` pops), double-quoted strings
 * (`\` escapes, `$${` is literal), indented strings (`''$`, `'''`, `''\x`), paths with `${}`
 * (including the trailing-slash error), `~/` paths, `<search/paths>`, URI literals (`a:''` is one
 * URI, not a URI and the start of a string), numbers, and both comment forms.
 *
 * It exists so raw Nix from the config can be checked without spawning nix; the property test
 * compares its verdicts with `nix-instantiate --parse`.
 */

export type TokenKind =
  | 'id'
  | 'keyword'
  | 'int'
  | 'float'
  | 'op'
  | 'char'
  | '${'
  | '{'
  | '}'
  | '"'
  | 'str'
  | "''"
  | 'ind_str'
  | "''end"
  | 'path'
  | 'path_part'
  | 'path_end'
  | 'spath'
  | 'uri'
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** The source text (for `op`, `char` and `keyword` the token itself). */
  readonly text: string;
  /** Offset in UTF-16 code units of the source. */
  readonly offset: number;
}

export class NixLexError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const KEYWORDS = new Set(['if', 'then', 'else', 'assert', 'with', 'let', 'in', 'rec', 'inherit', 'or']);
const OPERATORS = ['...', '==', '!=', '<=', '>=', '&&', '||', '->', '//', '++'];

// The named patterns of lexer.l, anchored with the sticky flag so they match at lastIndex only.
const ID = /[a-zA-Z_][a-zA-Z0-9_'-]*/y;
const INT = /[0-9]+/y;
const FLOAT = /(([1-9][0-9]*\.[0-9]*)|(0?\.[0-9]+))([Ee][+-]?[0-9]+)?/y;
const PATH_CHAR = '[a-zA-Z0-9._+-]';
const PATH = new RegExp(`${PATH_CHAR}*(\\/${PATH_CHAR}+)+\\/?`, 'y');
const PATH_SEG_INTERP = new RegExp(`${PATH_CHAR}*\\/\\$\\{`, 'y');
const HPATH = new RegExp(`~(\\/${PATH_CHAR}+)+\\/?`, 'y');
const HPATH_START_INTERP = /~\/\$\{/y;
const SPATH = new RegExp(`<${PATH_CHAR}+(\\/${PATH_CHAR}+)*>`, 'y');
const URI = /[a-zA-Z][a-zA-Z0-9+\-.]*:[a-zA-Z0-9%/?:@&=+$,\-_.!~*']+/y;
const WHITESPACE = /[ \t\r\n]+/y;
const LINE_COMMENT = /#[^\r\n]*/y;
const BLOCK_COMMENT = /\/\*([^*]|\*+[^*/])*\*+\//y;
const IND_OPEN = /''( *\n)?/y;
const IN_PATH = new RegExp(`(${PATH_CHAR}*(\\/${PATH_CHAR}+)+\\/?)|(${PATH_CHAR}*\\/)|(${PATH_CHAR}+)`, 'y');

function matchAt(re: RegExp, text: string, at: number): number {
  re.lastIndex = at;
  const m = re.exec(text);
  return m ? m[0].length : 0;
}

type State = 'code' | 'string' | 'ind' | 'inpath' | 'inpath_slash';

const IS_PATH_CHAR = /[a-zA-Z0-9._+-]/;
const IS_SCHEME_CHAR = /[a-zA-Z0-9+.-]/;

/**
 * For each offset, where the run of characters matching `re` that contains it ends. A path needs a
 * `/` right after such a run and a URI a `:`, so the patterns run only there (without this check,
 * `a.a.a.…` would be scanned to its end at every token: quadratic).
 */
function runEnds(text: string, re: RegExp): Uint32Array {
  const ends = new Uint32Array(text.length + 1);
  ends[text.length] = text.length;
  for (let i = text.length - 1; i >= 0; i--) ends[i] = re.test(text[i]!) ? ends[i + 1]! : i;
  return ends;
}

/** All tokens of `text`, ending with an `eof` token; throws NixLexError where nix's lexer fails. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  // The start-condition stack; the bottom is the top level (INITIAL).
  const stack: State[] = ['code'];
  const pathRunEnd = runEnds(text, IS_PATH_CHAR);
  const schemeRunEnd = runEnds(text, IS_SCHEME_CHAR);
  let i = 0;
  const push = (kind: TokenKind, length: number, token = text.slice(i, i + length)) => {
    tokens.push({ kind, text: token, offset: i });
    i += length;
  };
  while (i <= text.length) {
    const state = stack[stack.length - 1]!;
    if (state === 'string') {
      if (i >= text.length) throw new NixLexError('unterminated string', i);
      const ch = text[i];
      if (ch === '"') stack.pop(), push('"', 1);
      else if (ch === '$' && text[i + 1] === '{') stack.push('code'), push('${', 2);
      else {
        const start = i;
        // ([^$"\\]|\$[^{"\\]|\\ANY|\$\\ANY)+, or a lone `$` right before the closing quote.
        while (i < text.length) {
          const c = text[i];
          const n = text[i + 1];
          if (c === '"') break;
          if (c === '\\') {
            if (n === undefined) throw new NixLexError('unterminated string', i);
            i += 2;
          } else if (c === '$') {
            if (n === '{') break;
            if (n === '"') i += 1;
            else if (n === '\\') {
              if (text[i + 2] === undefined) throw new NixLexError('unterminated string', i);
              i += 3;
            } else if (n === undefined) throw new NixLexError('unterminated string', i);
            else i += 2;
          } else i += 1;
        }
        tokens.push({ kind: 'str', text: text.slice(start, i), offset: start });
      }
      continue;
    }
    if (state === 'ind') {
      if (i >= text.length) throw new NixLexError("unterminated indented string ('')", i);
      const c = text[i];
      const n = text[i + 1];
      if (c === "'" && n === "'") {
        const a = text[i + 2];
        if (a === '$' || a === "'") push('ind_str', 3);
        else if (a === '\\' && i + 3 < text.length) push('ind_str', 4);
        else stack.pop(), push("''end", 2);
      } else if (c === '$' && n === '{') stack.push('code'), push('${', 2);
      else {
        const start = i;
        // ([^$']|\$[^{']|'[^'$])+ ; a lone `$` or `'` is its own piece.
        let progressed = false;
        while (i < text.length) {
          const x = text[i];
          const y = text[i + 1];
          if (x === '$') {
            if (y === undefined || y === '{' || y === "'") break;
            i += 2;
          } else if (x === "'") {
            if (y === undefined || y === "'" || y === '$') break;
            i += 2;
          } else i += 1;
          progressed = true;
        }
        if (!progressed) i += 1; // a lone `$` or `'`
        tokens.push({ kind: 'ind_str', text: text.slice(start, i), offset: start });
      }
      continue;
    }
    if (state === 'inpath' || state === 'inpath_slash') {
      if (text.startsWith('${', i)) {
        stack.pop();
        stack.push('inpath', 'code');
        push('${', 2);
        continue;
      }
      const len = matchAt(IN_PATH, text, i);
      if (len > 0) {
        stack.pop();
        stack.push(text[i + len - 1] === '/' ? 'inpath_slash' : 'inpath');
        push('path_part', len);
        continue;
      }
      if (state === 'inpath_slash') throw new NixLexError('path has a trailing slash', i);
      stack.pop();
      tokens.push({ kind: 'path_end', text: '', offset: i });
      continue;
    }
    // Code (INITIAL or DEFAULT).
    if (i >= text.length) break;
    lexCode(text, i, stack, tokens, (n) => (i += n), { pathRunEnd, schemeRunEnd });
  }
  if (stack.length > 1) {
    const open = stack[stack.length - 1];
    throw new NixLexError(open === 'code' ? "missing '}'" : 'unterminated literal', text.length);
  }
  tokens.push({ kind: 'eof', text: '', offset: text.length });
  return tokens;
}

/** One rule application in the code state: the longest match wins, ties go to the earlier rule. */
function lexCode(text: string, i: number, stack: State[], tokens: Token[], advance: (n: number) => void, runs: { pathRunEnd: Uint32Array; schemeRunEnd: Uint32Array }): void {
  const pathPossible = text[runs.pathRunEnd[i]!] === '/';
  const uriPossible = /[a-zA-Z]/.test(text[i]!) && text[runs.schemeRunEnd[i]!] === ':';
  const candidates: [number, () => void][] = [];
  const add = (length: number, action: () => void) => {
    if (length > 0) candidates.push([length, action]);
  };
  const emit = (kind: TokenKind, length: number) => () => tokens.push({ kind, text: text.slice(i, i + length), offset: i });

  const op = OPERATORS.find((o) => text.startsWith(o, i));
  const id = matchAt(ID, text, i);
  // Keywords come first in lexer.l, so they win the tie with ID.
  if (id > 0 && KEYWORDS.has(text.slice(i, i + id))) add(id, emit('keyword', id));
  if (op) add(op.length, emit('op', op.length));
  add(id, emit('id', id));
  add(matchAt(INT, text, i), emit('int', matchAt(INT, text, i)));
  add(matchAt(FLOAT, text, i), emit('float', matchAt(FLOAT, text, i)));
  if (text.startsWith('${', i)) add(2, () => (stack.push('code'), emit('${', 2)()));
  if (text[i] === '}')
    add(1, () => {
      if (stack.length <= 1) throw new NixLexError("unmatched '}'", i);
      stack.pop();
      emit('}', 1)();
    });
  if (text[i] === '{') add(1, () => (stack.push('code'), emit('{', 1)()));
  if (text[i] === '"') add(1, () => (stack.push('string'), emit('"', 1)()));
  const ind = matchAt(IND_OPEN, text, i);
  add(ind, () => (stack.push('ind'), emit("''", ind)()));
  // `seg/${` and `~/${`: the match length counts, then the path start is re-read (yyless).
  const segInterp = Math.max(pathPossible ? matchAt(PATH_SEG_INTERP, text, i) : 0, matchAt(HPATH_START_INTERP, text, i));
  add(segInterp, () => {
    const len = segInterp - 2;
    stack.push('inpath_slash');
    tokens.push({ kind: 'path', text: text.slice(i, i + len), offset: i });
    advance(len - segInterp); // only the segment is consumed; `${` is read in the path state
  });
  for (const re of pathPossible ? [PATH, HPATH] : [HPATH]) {
    const len = matchAt(re, text, i);
    add(len, () => {
      stack.push(text[i + len - 1] === '/' ? 'inpath_slash' : 'inpath');
      emit('path', len)();
    });
  }
  add(matchAt(SPATH, text, i), emit('spath', matchAt(SPATH, text, i)));
  if (uriPossible) add(matchAt(URI, text, i), emit('uri', matchAt(URI, text, i)));
  add(matchAt(WHITESPACE, text, i), () => undefined);
  add(matchAt(LINE_COMMENT, text, i), () => undefined);
  add(matchAt(BLOCK_COMMENT, text, i), () => undefined);
  // nix would read an unclosed `/*` as `/` and `*` and fail later; say what it is.
  if (text.startsWith('/*', i) && matchAt(BLOCK_COMMENT, text, i) === 0) throw new NixLexError('unterminated /* comment', i);
  add(1, emit('char', 1)); // {ANY}

  let best = candidates[0]!;
  for (const c of candidates) if (c[0] > best[0]) best = c;
  best[1]();
  advance(best[0]);
}
