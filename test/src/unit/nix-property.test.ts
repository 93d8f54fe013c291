/**
 * Safety property: no config value can change the structure of the generated Nix. Arbitrary
 * strings (quotes, ${, backslashes, newlines, unicode) used as string values, attribute names,
 * flake input URLs and paths are evaluated by the real nix-instantiate and must arrive unchanged.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { nix } from '../../../core/dist/nix/construct.js';
import { printNix } from '../../../core/dist/nix/print.js';
import { FlakeBuilder } from '../../../core/dist/nix/flake.js';
import { nixEvalJson, nixEnv } from '../support/nix.js';
import { execFileSync } from 'node:child_process';

const nastyChars = ['"', "'", '\\', '$', '{', '}', '${', '$${', "''", '\n', '\r', '\t', ' ', '#', ';', '/*', '*/', 'é', '漢', '🐍', '\u2028', '(', ')', '=', '.'];
const nasty = fc
  .array(fc.oneof(fc.constantFrom(...nastyChars), fc.string({ unit: 'grapheme', maxLength: 4 })), { maxLength: 12 })
  .map((parts) => parts.join('').replace(/\0/g, ''));
const samples = (seed: number) => fc.sample(nasty, { numRuns: 300, seed });

test('arbitrary strings survive as string values and attribute names', () => {
  const values = samples(1);
  const keys = samples(2).filter((k) => k.length > 0);
  const expr = nix.attrs({
    values: nix.list(values.map(nix.str)),
    // attribute names: build a set and read each key back with a select through the same escaping
    keys: nix.list(keys.map((k) => nix.select(nix.attrs({ [k]: nix.str(k) }), [k]))),
    interpolated: nix.list(values.map((v) => nix.interp`${nix.str(v)}${nix.str(v)}`)),
  });
  const result = nixEvalJson(printNix(expr)) as { values: string[]; keys: string[]; interpolated: string[] };
  assert.deepEqual(result.values, values);
  assert.deepEqual(result.keys, keys);
  assert.deepEqual(
    result.interpolated,
    values.map((v) => v + v),
  );
});

test('arbitrary strings survive as flake input URLs, follows and extra-output attribute paths in a whole flake', () => {
  const urls = samples(3);
  const flake = new FlakeBuilder();
  flake.addInput('nixpkgs', { url: 'github:NixOS/nixpkgs/24.05' });
  flake.addInput('flake-utils', { url: 'github:numtide/flake-utils' });
  urls.forEach((url, i) => flake.addInput(`in${i}`, { url, follows: { [url || 'x']: 'nixpkgs' } }));
  const dir = mkdtempSync(join(tmpdir(), 'as2-prop-'));
  writeFileSync(join(dir, 'flake.nix'), flake.render());
  const inputs = nixEvalJson(`(import ${join(dir, 'flake.nix')}).inputs`) as Record<string, { url: string; inputs?: Record<string, unknown> }>;
  urls.forEach((url, i) => {
    assert.equal(inputs[`in${i}`]!.url, url);
    assert.deepEqual(Object.keys(inputs[`in${i}`]!.inputs ?? {}), [url || 'x']);
  });
});

test('paths with arbitrary characters survive as strings (paths are never raw path literals)', () => {
  const paths = samples(4).map((p) => `/tmp/${p}`);
  const result = nixEvalJson(printNix(nix.list(paths.map(nix.str)))) as string[];
  assert.deepEqual(result, paths);
  // And the same strings parse as a whole file with nix-instantiate --parse.
  const dir = mkdtempSync(join(tmpdir(), 'as2-parse-'));
  writeFileSync(join(dir, 'x.nix'), printNix(nix.list(paths.map(nix.str))));
  execFileSync('nix-instantiate', ['--parse', join(dir, 'x.nix')], { env: nixEnv(), stdio: 'pipe' });
});
