/**
 * The one raw-Nix door. Config keys that are Nix code by definition (`nixpkgs.packages` expressions,
 * `nixpkgs.overlay`, `override_attrs` values) enter the AST only through `nixCode()`, which checks
 * that the text is balanced: it cannot close the parentheses the printer wraps it in, nor end inside
 * a string or comment, so whatever it contains stays one parenthesised expression.
 */
import type { NixRaw } from './ast.js';

export class NixCodeError extends Error {
  constructor(
    readonly origin: string,
    message: string,
  ) {
    super(message);
  }
}

export function nixCode(code: string, origin: string): NixRaw {
  const problem = findImbalance(code);
  if (problem) throw new NixCodeError(origin, problem);
  if (code.trim() === '') throw new NixCodeError(origin, 'is empty, but must be a Nix expression');
  return { kind: 'raw', code, origin };
}

const CLOSER: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/**
 * A small Nix lexer, just enough to track brackets, strings (with `${}` nesting) and comments.
 * Returns a description of the first structural problem, or undefined when balanced.
 */
export function findImbalance(code: string): string | undefined {
  if (code.includes('\0')) return 'contains a NUL character';
  // Stack entries: a bracket we expect to close, or a string mode we are inside.
  const stack: string[] = [];
  let i = 0;
  const top = () => stack[stack.length - 1];
  while (i < code.length) {
    const ch = code[i]!;
    const next = code[i + 1];
    const mode = top();
    if (mode === '"') {
      if (ch === '\\') i += 2;
      else if (ch === '"') (stack.pop(), i++);
      else if (ch === '$' && next === '{') (stack.push('}'), (i += 2));
      else i++;
      continue;
    }
    if (mode === "''") {
      if (ch === "'" && next === "'") {
        const after = code[i + 2];
        if (after === "'" || after === '$') i += 3;
        else if (after === '\\') i += 4;
        else (stack.pop(), (i += 2));
      } else if (ch === '$' && next === '{') (stack.push('}'), (i += 2));
      else i++;
      continue;
    }
    // Code mode (top level or inside a bracket or `${`).
    if (ch === '#') {
      const end = code.indexOf('\n', i);
      i = end === -1 ? code.length : end + 1;
    } else if (ch === '/' && next === '*') {
      const end = code.indexOf('*/', i + 2);
      if (end === -1) return 'has an unterminated /* comment';
      i = end + 2;
    } else if (ch === '"') (stack.push('"'), i++);
    else if (ch === "'" && next === "'") (stack.push("''"), (i += 2));
    else if (ch === '$' && next === '{') (stack.push('}'), (i += 2));
    else if (ch in CLOSER) (stack.push(CLOSER[ch]!), i++);
    else if (ch === ')' || ch === ']' || ch === '}') {
      if (top() !== ch) return `has an unmatched '${ch}' at offset ${i}`;
      stack.pop();
      i++;
    } else i++;
  }
  const open = top();
  if (open === '"' || open === "''") return 'ends inside a string';
  if (open) return `is missing a closing '${open}'`;
  return undefined;
}
