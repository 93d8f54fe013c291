/** Constructors for the Nix AST: the vocabulary plugins use to describe Nix (exposed as `api.nix`). */
import type { NixBinding, NixExpr, NixId, NixOperator, NixParam, NixSelect, NixStr } from './ast.js';
import { nixCode } from './raw-code.js';

export const nix = {
  str: (text: string): NixStr => ({ kind: 'str', parts: [text] }),
  /** Template with interpolations: `nix.interp\`${nix.id('pkgs')}/bin\``. */
  interp: (strings: TemplateStringsArray, ...values: NixExpr[]): NixStr => {
    const parts: (string | NixExpr)[] = [];
    strings.forEach((s, i) => {
      if (s) parts.push(s);
      if (i < values.length) parts.push(values[i]!);
    });
    return { kind: 'str', parts };
  },
  int: (value: number): NixExpr => ({ kind: 'int', value }),
  bool: (value: boolean): NixExpr => ({ kind: 'bool', value }),
  null: (): NixExpr => ({ kind: 'null' }),
  path: (value: string): NixExpr => ({ kind: 'path', value }),
  id: (name: string): NixId => ({ kind: 'id', name }),
  /** `base.a.b`; path segments are attribute names (quoted when needed), never code. */
  select: (base: NixExpr, path: readonly (string | NixExpr)[], or?: NixExpr): NixSelect => ({ kind: 'select', expr: base, path, or }),
  list: (items: readonly NixExpr[]): NixExpr => ({ kind: 'list', items }),
  /** An attribute set from a record; keys are sorted so output is deterministic. */
  attrs: (record: Readonly<Record<string, NixExpr>>, opts: { rec?: boolean } = {}): NixExpr => ({
    kind: 'attrs',
    rec: opts.rec,
    bindings: Object.keys(record)
      .sort(byteOrder)
      .map((k) => ({ kind: 'bind', path: [k], value: record[k]! })),
  }),
  /** An attribute set with bindings in the given order (for `inherit` or dotted paths). */
  attrsOf: (bindings: readonly NixBinding[], opts: { rec?: boolean } = {}): NixExpr => ({ kind: 'attrs', bindings, rec: opts.rec }),
  bind: (path: string | readonly string[], value: NixExpr): NixBinding => ({
    kind: 'bind',
    path: typeof path === 'string' ? [path] : path,
    value,
  }),
  inherit: (names: readonly string[], from?: NixExpr): NixBinding => ({ kind: 'inherit', names, from }),
  let: (bindings: readonly NixBinding[], body: NixExpr): NixExpr => ({ kind: 'let', bindings, body }),
  lambda: (param: string | NixParam, body: NixExpr): NixExpr => ({
    kind: 'lambda',
    param: typeof param === 'string' ? { kind: 'name', name: param } : param,
    body,
  }),
  formals: (names: readonly string[], opts: { ellipsis?: boolean; bind?: string } = {}): NixParam => ({
    kind: 'formals',
    formals: names.map((name) => ({ name })),
    ellipsis: opts.ellipsis ?? false,
    bind: opts.bind,
  }),
  apply: (fn: NixExpr, ...args: NixExpr[]): NixExpr => ({ kind: 'apply', fn, args }),
  with: (scope: NixExpr, body: NixExpr): NixExpr => ({ kind: 'with', scope, body }),
  op: (op: NixOperator, left: NixExpr, right: NixExpr): NixExpr => ({ kind: 'binop', op, left, right }),
  if: (cond: NixExpr, then: NixExpr, otherwise: NixExpr): NixExpr => ({ kind: 'if', cond, then, else: otherwise }),
  /** The raw-Nix door: see raw-code.ts. `origin` names the config key, e.g. `nixpkgs.overlay`. */
  code: nixCode,
  /** A dotted attribute path given by the user (`python3Packages.black`) as a select on `base`. */
  attrPath: (base: NixExpr, dotted: string): NixSelect => ({ kind: 'select', expr: base, path: dotted.split('.') }),
} as const;

export type NixConstructors = typeof nix;

/** Byte order (not locale order): the same everywhere, like the original's sorting. */
export function byteOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
