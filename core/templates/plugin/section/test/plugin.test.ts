/** The plugin against a stand-in for anysnake2's `api`: real TypeBox schemas, recorded registrations and taps. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { PluginApi, SectionDefinition } from '@anysnake2/core/plugin-api';
import plugin, { SECTION, sectionSchema } from '../src/plugin.js';

type Tap = (...args: unknown[]) => void;

function applied() {
  const sections: SectionDefinition[] = [];
  const taps: Record<string, Tap> = {};
  const hook = (name: string) => ({ tap: (_: unknown, fn: Tap) => void (taps[name] = fn) });
  const nix = { id: (name: string) => ({ id: name }), select: (from: unknown, path: string[]) => ({ from, path }) };
  const api = { schema: Type, nix, sections: { register: (d: SectionDefinition) => sections.push(d) }, hooks: { resolve: hook('resolve'), emitFlake: hook('emitFlake') } };
  plugin.apply(api as unknown as PluginApi);
  return { section: sections[0]!, taps };
}

const config = (value: unknown, written: string[][] = []) => ({
  section: (name: string) => (name === SECTION ? value : undefined),
  isWritten: (path: string[]) => written.some((w) => w.join('.') === path.join('.')),
});

test('the schema takes packages and refuses unknown keys', () => {
  const schema = sectionSchema(Type);
  assert.ok(Value.Check(schema, { packages: ['hello'] }));
  assert.ok(!Value.Check(schema, { packages: ['hello'], flavour: 'x' }), 'additionalProperties: false');
  assert.ok(!Value.Check(schema, { packages: [], pinned_on: 'yesterday' }));
});

test('the check reports a name that is no nixpkgs attribute, at its path', () => {
  const { section } = applied();
  const errors: unknown[] = [];
  section.check!({ packages: ['hello', 'not a name'] }, { error: (path, message) => errors.push([path, message]), warn: () => {} }, () => undefined);
  assert.deepEqual(errors, [[['packages', 1], '"not a name" is not a nixpkgs attribute name']]);
});

test('resolve pins the date once', () => {
  const { taps } = applied();
  const pins: { path: readonly string[] }[] = [];
  taps.resolve!({ config: config({ packages: [] }), pin: (u: { path: readonly string[] }) => pins.push(u) });
  assert.deepEqual(
    pins.map((p) => p.path),
    [[SECTION, 'pinned_on']],
  );
  taps.resolve!({ config: config({ packages: [] }, [[SECTION, 'pinned_on']]), pin: (u: { path: readonly string[] }) => pins.push(u) });
  assert.equal(pins.length, 1, 'nothing when the file has it');
});

test('emitFlake adds each package as pkgs.<name>', () => {
  const { taps } = applied();
  const added: unknown[] = [];
  const flake = { addPackage: (e: unknown) => added.push(e), expectNixpkgsAttribute: () => {} };
  taps.emitFlake!(flake, { config: config({ packages: ['hello', 'python3Packages.numpy'] }) });
  assert.deepEqual(added, [
    { from: { id: 'pkgs' }, path: ['hello'] },
    { from: { id: 'pkgs' }, path: ['python3Packages', 'numpy'] },
  ]);
});
