/** What `anysnake2 plugins new` accepts as a package name (npm's rules for new packages), and the name users write. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { npmNameProblem } from '../../../core/dist/scaffold/npm-name.js';
import { shortName } from '../../../core/dist/scaffold/new-plugin.js';

test('valid npm names pass, scoped ones too', () => {
  for (const name of ['anysnake2-plugin-node', '@me/anysnake2-plugin-node', 'x', 'a.b_c~d-e', '@a-b/c']) assert.equal(npmNameProblem(name), undefined, name);
});

test('npm refuses these, and so does plugins new, saying why', () => {
  const cases: [string, RegExp][] = [
    ['', /empty/],
    ['My-Plugin', /capital/],
    ['.hidden', /starts with/],
    ['_private', /starts with/],
    ['has space', /only a-z/],
    ['a/b', /only a-z/],
    ['@scope/', /only a-z/],
    ['@/x', /only a-z/],
    ['ünicode', /only a-z/],
    ['x'.repeat(215), /longer than 214/],
    ['node_modules', /reserved/],
    ['fs', /reserved/],
    ['http', /reserved/],
  ];
  for (const [name, why] of cases) assert.match(npmNameProblem(name) ?? 'accepted', why, JSON.stringify(name));
});

test('the section or runtime is the package name without scope and plugin prefix', () => {
  assert.equal(shortName('anysnake2-plugin-node'), 'node');
  assert.equal(shortName('@me/anysnake2-plugin-node'), 'node');
  assert.equal(shortName('plugin-podman2'), 'podman2');
  assert.equal(shortName('mytool'), 'mytool');
});
