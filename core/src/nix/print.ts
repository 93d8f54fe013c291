/**
 * The one printer: NixExpr → source text. Deterministic (no map iteration over unsorted input,
 * fixed two-space indentation), so the same tree always gives the same bytes.
 */
import type { NixBinding, NixExpr, NixParam } from './ast.js';
import { attrName, escapeStringBody, identifier, pathLiteral } from './escape.js';

const INDENT = '  ';

export function printNix(expr: NixExpr): string {
  return print(expr, 0);
}

function pad(level: number): string {
  return INDENT.repeat(level);
}

/** Expressions that never need parentheses as a function argument or list element. */
function isAtomic(expr: NixExpr): boolean {
  switch (expr.kind) {
    case 'str':
    case 'int':
    case 'bool':
    case 'null':
    case 'path':
    case 'id':
    case 'list':
    case 'attrs':
    case 'raw':
      return true;
    case 'select':
      return expr.or === undefined;
    default:
      return false;
  }
}

function atom(expr: NixExpr, level: number): string {
  const text = print(expr, level);
  return isAtomic(expr) ? text : `(${text})`;
}

function attrPath(path: readonly (string | NixExpr)[]): string {
  if (path.length === 0) throw new Error('empty attribute path');
  return path.map((p) => (typeof p === 'string' ? attrName(p) : `\${${print(p, 0)}}`)).join('.');
}

function printBindings(bindings: readonly NixBinding[], level: number): string {
  return bindings
    .map((b) => {
      if (b.kind === 'inherit') {
        const from = b.from ? ` ${atom(b.from, level)}` : '';
        return `${pad(level)}inherit${from} ${b.names.map(identifier).join(' ')};`;
      }
      return `${pad(level)}${attrPath(b.path)} = ${print(b.value, level)};`;
    })
    .join('\n');
}

function printParam(param: NixParam): string {
  if (param.kind === 'name') return identifier(param.name);
  const formals = param.formals.map((f) => (f.default ? `${identifier(f.name)} ? ${atom(f.default, 0)}` : identifier(f.name)));
  if (param.ellipsis) formals.push('...');
  const set = formals.length === 0 ? '{ }' : `{ ${formals.join(', ')} }`;
  return param.bind ? `${set}@${identifier(param.bind)}` : set;
}

/** Raw code is parenthesised so it stays one expression; a line comment inside would eat the `)`. */
export function printRaw(code: string): string {
  const trimmed = code.trim();
  return trimmed.includes('#') ? `(${trimmed}\n)` : `(${trimmed})`;
}

function print(expr: NixExpr, level: number): string {
  switch (expr.kind) {
    case 'str':
      return `"${expr.parts.map((p) => (typeof p === 'string' ? escapeStringBody(p) : `\${${print(p, level)}}`)).join('')}"`;
    case 'int':
      if (!Number.isSafeInteger(expr.value)) throw new Error(`not an integer: ${expr.value}`);
      return String(expr.value);
    case 'bool':
      return expr.value ? 'true' : 'false';
    case 'null':
      return 'null';
    case 'path':
      return pathLiteral(expr.value);
    case 'id':
      return identifier(expr.name);
    case 'select': {
      const base = `${atom(expr.expr, level)}.${attrPath(expr.path)}`;
      return expr.or ? `${base} or ${atom(expr.or, level)}` : base;
    }
    case 'list': {
      if (expr.items.length === 0) return '[ ]';
      const items = expr.items.map((i) => atom(i, level + 1));
      if (items.length === 1 && !items[0]!.includes('\n')) return `[ ${items[0]} ]`;
      return `[\n${items.map((i) => pad(level + 1) + i).join('\n')}\n${pad(level)}]`;
    }
    case 'attrs': {
      const rec = expr.rec ? 'rec ' : '';
      if (expr.bindings.length === 0) return `${rec}{ }`;
      return `${rec}{\n${printBindings(expr.bindings, level + 1)}\n${pad(level)}}`;
    }
    case 'let':
      if (expr.bindings.length === 0) return print(expr.body, level);
      return `let\n${printBindings(expr.bindings, level + 1)}\n${pad(level)}in\n${pad(level)}${print(expr.body, level)}`;
    case 'lambda':
      return `${printParam(expr.param)}: ${print(expr.body, level)}`;
    case 'apply':
      return [atom(expr.fn, level), ...expr.args.map((a) => atom(a, level))].join(' ');
    case 'with':
      return `with ${atom(expr.scope, level)}; ${print(expr.body, level)}`;
    case 'binop':
      return `${atom(expr.left, level)} ${expr.op} ${atom(expr.right, level)}`;
    case 'if':
      return `if ${atom(expr.cond, level)} then ${atom(expr.then, level)} else ${atom(expr.else, level)}`;
    case 'raw':
      return printRaw(expr.code);
  }
}
