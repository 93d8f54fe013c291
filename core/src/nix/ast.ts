/**
 * A small closed Nix AST. Everything the generated flake contains is built from these nodes;
 * user data only ever becomes `Str` (escaped by the printer) or a quoted attribute name.
 * The single way to put Nix source text into the tree is `nixCode()` (raw-code.ts).
 */

export type NixExpr = NixStr | NixInt | NixBool | NixNull | NixPath | NixId | NixSelect | NixList | NixAttrs | NixLet | NixLambda | NixApply | NixWith | NixBinOp | NixIf | NixRaw;

/** A double-quoted string; parts are literal text or interpolated expressions (`${…}`). */
export interface NixStr {
  readonly kind: 'str';
  readonly parts: readonly (string | NixExpr)[];
}
export interface NixInt {
  readonly kind: 'int';
  readonly value: number;
}
export interface NixBool {
  readonly kind: 'bool';
  readonly value: boolean;
}
export interface NixNull {
  readonly kind: 'null';
}
/** A relative path literal such as `./functions.nix` (checked: no spaces or specials). */
export interface NixPath {
  readonly kind: 'path';
  readonly value: string;
}
export interface NixId {
  readonly kind: 'id';
  readonly name: string;
}
/** `expr.a."b c".${x}` with an optional `or` default; an expression in the path is a dynamic attribute. */
export interface NixSelect {
  readonly kind: 'select';
  readonly expr: NixExpr;
  readonly path: readonly (string | NixExpr)[];
  readonly or?: NixExpr;
}
export interface NixList {
  readonly kind: 'list';
  readonly items: readonly NixExpr[];
}
export type NixBinding =
  | { readonly kind: 'bind'; readonly path: readonly string[]; readonly value: NixExpr }
  | { readonly kind: 'inherit'; readonly names: readonly string[]; readonly from?: NixExpr };
export interface NixAttrs {
  readonly kind: 'attrs';
  readonly bindings: readonly NixBinding[];
  readonly rec?: boolean;
}
export interface NixLet {
  readonly kind: 'let';
  readonly bindings: readonly NixBinding[];
  readonly body: NixExpr;
}
export type NixParam =
  | { readonly kind: 'name'; readonly name: string }
  | {
      readonly kind: 'formals';
      readonly formals: readonly { name: string; default?: NixExpr }[];
      readonly ellipsis: boolean;
      readonly bind?: string;
    };
export interface NixLambda {
  readonly kind: 'lambda';
  readonly param: NixParam;
  readonly body: NixExpr;
}
export interface NixApply {
  readonly kind: 'apply';
  readonly fn: NixExpr;
  readonly args: readonly NixExpr[];
}
export interface NixWith {
  readonly kind: 'with';
  readonly scope: NixExpr;
  readonly body: NixExpr;
}
export type NixOperator = '++' | '//' | '+' | '==' | '!=' | '&&' | '||';
export interface NixBinOp {
  readonly kind: 'binop';
  readonly op: NixOperator;
  readonly left: NixExpr;
  readonly right: NixExpr;
}
export interface NixIf {
  readonly kind: 'if';
  readonly cond: NixExpr;
  readonly then: NixExpr;
  readonly else: NixExpr;
}
/** Nix source text from a config key that is Nix code by definition. Only `nixCode()` creates it. */
export interface NixRaw {
  readonly kind: 'raw';
  readonly code: string;
  /** Where it came from, e.g. `nixpkgs.overlay`; printed as a comment-free marker in errors only. */
  readonly origin: string;
}
