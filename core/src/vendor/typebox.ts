/**
 * The TypeBox entry points the core uses at run time, in one module. `npm run build`
 * (scripts/bundle.mjs) replaces the compiled re-exports with a single bundled file: TypeBox's own
 * ESM build is ~250 small files, and resolving and reading them cost more than the rest of `check`.
 * Type-only imports may keep naming '@sinclair/typebox' (they vanish at compile time).
 */
export * from '@sinclair/typebox';
export { Value } from '@sinclair/typebox/value';
export { ValueErrorType } from '@sinclair/typebox/errors';
