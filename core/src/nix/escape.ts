/**
 * The one escaper: how text and names become Nix literals. Every user-provided string that reaches
 * the generated Nix passes through here (via the printer), so no value can change the structure.
 */

export class NixEscapeError extends Error {}

const KEYWORDS = new Set(['if', 'then', 'else', 'assert', 'with', 'let', 'in', 'rec', 'inherit', 'or']);
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_'-]*$/;

/** Nix strings are C strings internally: a NUL byte cannot be represented, so reject it loudly. */
function rejectNul(text: string): void {
  if (text.includes('\0')) throw new NixEscapeError('a NUL character cannot be represented in a Nix string');
}

/** Body of a double-quoted Nix string (without the quotes). */
export function escapeStringBody(text: string): string {
  rejectNul(text);
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    switch (ch) {
      case '\\':
        out += '\\\\';
        break;
      case '"':
        out += '\\"';
        break;
      case '\n':
        out += '\\n';
        break;
      case '\r':
        out += '\\r';
        break;
      case '\t':
        out += '\\t';
        break;
      case '$':
        // `${` would start an interpolation; `$${` is literal in Nix but escaping every `$` before `{`
        // is the simplest rule that is obviously right.
        out += text[i + 1] === '{' ? '\\$' : '$';
        break;
      default:
        out += ch;
    }
  }
  return out;
}

export function quoteString(text: string): string {
  return `"${escapeStringBody(text)}"`;
}

export function isIdentifier(name: string): boolean {
  return IDENTIFIER.test(name) && !KEYWORDS.has(name);
}

/** An attribute name as it appears in `{ name = …; }` or `x.name`: bare when possible, else quoted. */
export function attrName(name: string): string {
  return isIdentifier(name) ? name : quoteString(name);
}

/** A variable reference must be a real identifier; anything else is a programming error. */
export function identifier(name: string): string {
  if (!isIdentifier(name)) throw new NixEscapeError(`not a Nix identifier: ${JSON.stringify(name)}`);
  return name;
}

const PATH_LITERAL = /^\.{1,2}(\/[A-Za-z0-9._+-]+)+$/;

/** A relative path literal such as `./functions.nix`. */
export function pathLiteral(path: string): string {
  if (!PATH_LITERAL.test(path)) throw new NixEscapeError(`not a safe relative Nix path literal: ${JSON.stringify(path)}`);
  return path;
}

const ATTR_PATH = /^[A-Za-z_][A-Za-z0-9_'-]*(\.[A-Za-z_][A-Za-z0-9_'-]*)*$/;

/** `fish` or `python3Packages.black`: a dotted path of plain identifiers. */
export function isAttrPath(text: string): boolean {
  return ATTR_PATH.test(text) && text.split('.').every(isIdentifier);
}
