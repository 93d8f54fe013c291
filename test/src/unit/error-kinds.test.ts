/**
 * Each CommonJS bundle holds its own copy of the error classes (core/lib/light/errors.cjs,
 * lib/plugin-warm.cjs, lib/warm/warm-run.cjs; scripts/bundle-runtime.mjs): `instanceof` knows an
 * error made by another copy by its kind (core/src/errors.ts), so what a warm plugin module throws
 * is reported as the full path reports it — and never mistakes one kind for another.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as esm from '../../../core/dist/errors.js';
import { REPO } from '../support/cli.js';

const require = createRequire(import.meta.url);
const light = require(join(REPO, 'core', 'lib', 'light', 'errors.cjs')) as typeof esm;
const warm = require(join(REPO, 'core', 'lib', 'plugin-warm.cjs')) as typeof esm;

test('the copies of the error classes are distinct objects (else this test proves nothing)', () => {
  assert.notEqual(light.ConfigError, esm.ConfigError);
  assert.notEqual(warm.DamagedStateError, esm.DamagedStateError);
  assert.notEqual(warm.DamagedStateError, light.DamagedStateError);
});

test('an error of one copy is an instance of the same kind, and its bases, in every other copy', () => {
  const made = [new light.ConfigError([{ path: 'nixpkgs.url', message: 'is missing' }]), new warm.DamagedStateError('damaged'), new esm.ToolFailedError('failed')];
  for (const error of made)
    for (const copy of [esm, light, warm] as (typeof esm)[]) {
      const kind = error.name as 'ConfigError' | 'DamagedStateError' | 'ToolFailedError';
      // (plugin-warm exports the kinds a warm module throws, ConfigError not among them.)
      if (copy[kind]) assert.ok(error instanceof copy[kind], `${kind} instanceof ${kind} of another copy`);
      assert.ok(error instanceof copy.AnysnakeError, `${kind} instanceof AnysnakeError`);
      assert.ok(!(error instanceof copy.UsageError), `${kind} is no UsageError`);
      assert.ok(!(error instanceof copy.TemporaryError), `${kind} is no TemporaryError`);
    }
  // A kind of one's own: a subclass without it is known by its class object only.
  class Local extends esm.ToolFailedError {}
  class Other extends light.ToolFailedError {}
  assert.ok(new Local('x') instanceof Local);
  assert.ok(!(new Other('x') instanceof Local), 'a class without a kind of its own is not matched by kind');
  assert.ok(new Other('x') instanceof esm.ToolFailedError, 'but its bases are');
  assert.ok(!(new Error('plain') instanceof esm.AnysnakeError));
  assert.ok(!(Object.create(null) instanceof esm.AnysnakeError));
});

test('the report of an error from another copy is the full path report: its message, hint and exit code, no stack', () => {
  const rendered = esm.renderError(new warm.DamagedStateError('the warm entry is damaged', { hint: 'remove it' }), false);
  assert.equal(rendered.exitCode, new esm.DamagedStateError('x').exitCode);
  assert.match(rendered.text, /the warm entry is damaged/);
  assert.match(rendered.text, /hint: remove it/);
  assert.doesNotMatch(rendered.text, /\n\s+at /);
  const config = esm.renderError(new light.ConfigError([{ path: 'nixpkgs.url', message: 'is missing' }]), false);
  assert.equal(config.exitCode, 65);
  assert.match(config.text, /nixpkgs\.url/);
});
