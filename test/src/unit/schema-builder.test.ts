/**
 * `api.schema` (core/src/schema-builder.ts): the core bundles only TypeBox's common builders, so
 * plugins must still get every builder of TypeBox's `Type`, each building the same schema, and
 * validation must accept the schemas of those loaded on demand.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from '@sinclair/typebox';
import { schemaBuilder } from '../../../core/dist/schema-builder.js';
import { Type as bundledType, Value } from '../../../core/dist/vendor/typebox.js';

const methodNames = (builder: object): string[] => {
  const names = new Set<string>();
  for (let p = builder; p && p !== Object.prototype; p = Object.getPrototypeOf(p))
    for (const name of Object.getOwnPropertyNames(p)) if (name !== 'constructor' && typeof (builder as Record<string, unknown>)[name] === 'function') names.add(name);
  return [...names].sort();
};

test('api.schema has every builder of TypeBox Type, the common ones from the bundle', () => {
  for (const name of methodNames(Type)) assert.equal(typeof (schemaBuilder as unknown as Record<string, unknown>)[name], 'function', `schema.${name}`);
  // The common builders are the bundled functions themselves (no TypeBox package loaded for them).
  for (const name of Object.keys(bundledType)) assert.equal((schemaBuilder as unknown as Record<string, unknown>)[name], (bundledType as Record<string, unknown>)[name], name);
  assert.ok('Mapped' in schemaBuilder && 'Object' in schemaBuilder && !('NoSuchBuilder' in schemaBuilder));
});

test('builders give the schemas TypeBox Type gives, and validation reads them', () => {
  const T = schemaBuilder;
  const pairs: [unknown, unknown][] = [
    [T.Object({ a: T.String(), b: T.Optional(T.Integer({ minimum: 1 })) }), Type.Object({ a: Type.String(), b: Type.Optional(Type.Integer({ minimum: 1 })) })],
    [T.Record(T.String(), T.Union([T.Literal('x'), T.Boolean()])), Type.Record(Type.String(), Type.Union([Type.Literal('x'), Type.Boolean()]))],
    [T.TemplateLiteral('v${number}'), Type.TemplateLiteral('v${number}')],
    [T.Partial(T.Object({ a: T.String() })), Type.Partial(Type.Object({ a: Type.String() }))],
  ];
  for (const [ours, theirs] of pairs) assert.deepEqual(ours, theirs);
  const version = T.TemplateLiteral('v${number}');
  assert.ok(Value.Check(version, 'v12'));
  assert.ok(!Value.Check(version, 'w12'));
  const partial = T.Partial(T.Object({ a: T.String() }));
  assert.ok(Value.Check(partial, {}));
  assert.ok(!Value.Check(partial, { a: 1 }));
});
