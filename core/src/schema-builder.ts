/**
 * The `api.schema` plugins get: TypeBox's whole `Type` builder, as the plugin API promises. The
 * common builders (vendor/typebox.ts: Object, String, Optional, …, all a shipped plugin uses) are
 * bundled; any other (Extends, Mapped, TemplateLiteral, …) comes from TypeBox's own package the
 * first time a plugin asks for it, so no start compiles ~90 kB that no shipped schema uses.
 * Schemas from either are plain objects marked with the same global symbols (Symbol.for), so
 * validation treats them alike.
 */
import { createRequire } from 'node:module';
import type { JavaScriptTypeBuilder } from '@sinclair/typebox';
import { Type } from './vendor/typebox.js';

let full: JavaScriptTypeBuilder | undefined;
const fullBuilder = (): JavaScriptTypeBuilder => (full ??= (createRequire(import.meta.url)('@sinclair/typebox') as { Type: JavaScriptTypeBuilder }).Type);

export const schemaBuilder: JavaScriptTypeBuilder = new Proxy(Type as JavaScriptTypeBuilder, {
  get(common, name, receiver) {
    if (Object.hasOwn(common, name)) return Reflect.get(common, name, receiver);
    const value = Reflect.get(fullBuilder(), name);
    return typeof value === 'function' ? value.bind(fullBuilder()) : value;
  },
  has: (common, name) => Object.hasOwn(common, name) || name in fullBuilder(),
});
