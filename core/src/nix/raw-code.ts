/**
 * The one raw-Nix door. Config keys that are Nix code by definition (`nixpkgs.packages` and
 * `dev_shell.inputs` expressions, `nixpkgs.overlay`, `override_attrs` values, plugins'
 * overrides) enter the AST only through `nixCode()`, which checks with a real Nix tokenizer and
 * parser (`syntax-check.ts`) that the text is exactly one expression. The printer wraps it in
 * parentheses, so whatever it contains stays one parenthesised expression: it cannot close them,
 * end inside a string or comment, or add a binding next to it.
 */
import type { NixRaw } from './ast.js';
import { checkNixExpression } from './syntax-check.js';

export class NixCodeError extends Error {
  constructor(
    readonly origin: string,
    message: string,
  ) {
    super(message);
  }
}

export function nixCode(code: string, origin: string): NixRaw {
  const problem = findNixCodeProblem(code);
  if (problem) throw new NixCodeError(origin, `${origin} ${problem}`);
  return { kind: 'raw', code, origin };
}

/**
 * Why `code` is not usable as raw Nix (a sentence fragment such as "is empty" or "has … at line 1,
 * column 5"), or undefined when it is exactly one Nix expression. The text checked is the trimmed
 * text, i.e. exactly what the printer writes between its parentheses.
 */
export function findNixCodeProblem(code: string): string | undefined {
  if (code.includes('\0')) return 'contains a NUL character, which Nix source cannot hold';
  const trimmed = code.trim();
  if (trimmed === '') return 'is empty, but must be a Nix expression';
  const problem = checkNixExpression(trimmed);
  if (!problem) return undefined;
  const where = trimmed.includes('\n') ? `line ${problem.line}, column ${problem.column}` : `column ${problem.column}`;
  return `is not exactly one Nix expression: ${problem.message} at ${where}`;
}
