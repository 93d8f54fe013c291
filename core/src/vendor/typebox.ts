/**
 * The TypeBox entry points the core uses at run time, in one module. `npm run build`
 * (scripts/bundle.mjs) replaces the compiled re-exports with a single bundled file: TypeBox's own
 * ESM build is ~250 small files, and resolving and reading them cost more than the rest of `check`.
 * Named imports only: TypeBox's whole `Type` builder (Extends, Mapped, Module, TemplateLiteral, …)
 * and `Value` namespace (Convert, Cast, Diff, Hash, …) are ~90 kB that V8 compiled on every
 * full-path start (~8 ms) and that no shipped schema uses; `Type` here holds the common builders,
 * and schema-builder.ts gives plugins the whole builder, loading the rest only when one asks.
 * Type-only imports may keep naming '@sinclair/typebox' (they vanish at compile time).
 */
import {
  Any,
  Array as TArray,
  Boolean as TBoolean,
  Enum,
  Integer,
  type JavaScriptTypeBuilder,
  Literal,
  Never,
  Null,
  Number as TNumber,
  Object as TObject,
  Optional,
  Readonly,
  ReadonlyOptional,
  Record as TRecord,
  String as TString,
  Tuple,
  Undefined,
  Union,
  Unknown,
  Unsafe,
} from '@sinclair/typebox';
import { Errors } from '@sinclair/typebox/errors';
import { Check, Default } from '@sinclair/typebox/value';

export { Kind, type TSchema } from '@sinclair/typebox';
export { ValueErrorType } from '@sinclair/typebox/errors';

export type CommonBuilders =
  | 'Any'
  | 'Array'
  | 'Boolean'
  | 'Enum'
  | 'Integer'
  | 'Literal'
  | 'Never'
  | 'Null'
  | 'Number'
  | 'Object'
  | 'Optional'
  | 'Readonly'
  | 'ReadonlyOptional'
  | 'Record'
  | 'String'
  | 'Tuple'
  | 'Undefined'
  | 'Union'
  | 'Unknown'
  | 'Unsafe';

/** The common builders, each TypeBox's own function (the methods of `Type` call the same ones). */
export const Type = {
  Any,
  Array: TArray,
  Boolean: TBoolean,
  Enum,
  Integer,
  Literal,
  Never,
  Null,
  Number: TNumber,
  Object: TObject,
  Optional,
  Readonly,
  ReadonlyOptional,
  Record: TRecord,
  String: TString,
  Tuple,
  Undefined,
  Union,
  Unknown,
  Unsafe,
} as unknown as Pick<JavaScriptTypeBuilder, CommonBuilders>;

/** The three Value functions validation uses (validate.ts, nixpkgs-flake.ts). */
export const Value = { Check, Default, Errors };
