/**
 * Blaming config keys for names the pinned nixpkgs lacks (core/src/pipeline/nixpkgs-attributes.ts),
 * the Python versions a nixpkgs offers (plugins/python/src/nixpkgs-pythons.ts) and missing local
 * paths in urls (core/src/sections/local-path.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FlakeBuilder } from '../../../core/dist/nix/flake.js';
import { nix } from '../../../core/dist/nix/construct.js';
import { unknownAttributeIssues } from '../../../core/dist/pipeline/nixpkgs-attributes.js';
import { missingLocalPath } from '../../../core/dist/sections/local-path.js';
import { parseVcsUrl } from '../../../core/dist/vcs/url.js';
import { missingPython, pythonVersionsIn } from '@anysnake2/plugin-python/dist/nixpkgs-pythons.js';

const NIXPKGS = { names: ['hello', 'python3', 'python39', 'python311', 'python310', 'python27', 'pythonFull', 'python3Packages'], release: '24.05' };
const locate = (path: readonly (string | number)[]) => ({ file: '/p/anysnake2.toml', line: 3, column: Number(path.at(-1) ?? 0) + 1 });

test('an unknown top-level name is blamed on its key with the closest known name; known names, let-bound names and Nix globals are not', () => {
  const flake = new FlakeBuilder();
  flake.addInput('nixpkgs', { url: 'x' });
  flake.let('my_binding', nix.id('hello'));
  const expect = (name: string, i: number) => flake.expectNixpkgsAttribute({ name, tomlPath: ['nixpkgs', 'packages', i], withPkgs: true });
  ['hello', 'helo', 'builtins', 'rootfs', 'my_binding', 'nixpkgs', 'system', 'zzzqqq'].forEach(expect);
  const issues = unknownAttributeIssues(flake, NIXPKGS, locate);
  assert.deepEqual(
    issues.map((i) => [i.path, i.message, i.location?.column]),
    [
      ['nixpkgs.packages[1]', 'no package "helo" in nixpkgs 24.05; did you mean hello?', 2],
      ['nixpkgs.packages[7]', 'no package "zzzqqq" in nixpkgs 24.05', 8],
    ],
  );
});

test('outside `with pkgs;` a let-bound name is no excuse; a plugin may word the message itself', () => {
  const flake = new FlakeBuilder();
  flake.expectNixpkgsAttribute({ name: 'rootfs', tomlPath: ['x'] });
  flake.expectNixpkgsAttribute({ name: 'python399', tomlPath: ['python', 'version'], missing: (n) => missingPython('3.99', 'python399', n) });
  const issues = unknownAttributeIssues(flake, NIXPKGS, locate);
  assert.equal(issues.length, 2);
  assert.equal(issues[1]!.message, 'nixpkgs 24.05 has no Python 3.99 (no attribute python399)');
  assert.match(issues[1]!.hint!, /^the Python versions of this nixpkgs: 2\.7, 3\.9, 3\.10, 3\.11; /);
});

test('Python versions come from pythonXY names only, in version order', () => {
  assert.deepEqual(pythonVersionsIn(NIXPKGS.names), ['2.7', '3.9', '3.10', '3.11']);
  assert.deepEqual(pythonVersionsIn(['python3Minimal', 'python', 'pypy39']), []);
});

test('a url naming a local directory that does not exist: the message, and the closest sibling when there is one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'as2-local-'));
  mkdirSync(join(dir, 'flake-utils'));
  assert.equal(missingLocalPath(parseVcsUrl(join(dir, 'flake-utils'))), undefined);
  assert.equal(missingLocalPath(parseVcsUrl(`git+file://${dir}/flake-utils?ref=main`)), undefined);
  assert.equal(missingLocalPath(parseVcsUrl(`${dir}/flake-utilz`))?.message, `the local path ${dir}/flake-utilz does not exist; did you mean ${dir}/flake-utils?`);
  assert.equal(missingLocalPath(parseVcsUrl(`git+file://${dir}/a%20b`))?.message, `the local path ${dir}/a b does not exist`);
  assert.equal(missingLocalPath(parseVcsUrl(`${dir}/gone/deeper`))?.message, `the local path ${dir}/gone/deeper does not exist`);
  assert.equal(missingLocalPath(parseVcsUrl('github:NixOS/nixpkgs')), undefined);
  assert.equal(missingLocalPath(parseVcsUrl('git+https://example.org/x')), undefined);
});
