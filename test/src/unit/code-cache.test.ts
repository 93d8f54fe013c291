/**
 * The code cache for CommonJS bundles on Node.js lines without their own (core/src/code-cache.ts,
 * installed by bin/run.js): a module loaded through it behaves as Node's own loader makes it
 * behave, its cache is written once into a private folder and then used as it is, a changed file
 * (even of the same length, which V8 alone would not notice) never runs an old cache, and a cache
 * folder that cannot be written costs nothing but the cache.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO } from '../support/cli.js';

const CODE_CACHE = join(REPO, 'core', 'lib', 'code-cache.cjs');

/** A module using what CommonJS gives it: require of a sibling, require.resolve, this, __filename, a stack trace; and one that uses import(). */
const mainSource = (kind: string) =>
  [
    `const dep = require('./dep.cjs');`,
    `exports.kind = '${kind}';`,
    'exports.self = this === module.exports;',
    'exports.file = __filename;',
    'exports.dep = dep.value;',
    `exports.resolved = require.resolve('./dep.cjs');`,
    `exports.load = require('./importer.cjs').load;`,
    `exports.fail = () => { throw new Error('boom'); };`,
    '',
  ].join('\n');

function project(): { dir: string; home: string } {
  const dir = mkdtempSync(join(tmpdir(), 'as2-codecache-'));
  writeFileSync(join(dir, 'main.cjs'), mainSource('A'));
  writeFileSync(join(dir, 'dep.cjs'), 'exports.value = 42;\n');
  writeFileSync(join(dir, 'esm.mjs'), 'export const value = "from esm";\n');
  // import() does not survive a V8 cache on Node 20: a module with one is compiled as Node does.
  writeFileSync(join(dir, 'importer.cjs'), `exports.load = () => import('./esm.mjs').then((m) => m.value);\n`);
  writeFileSync(
    join(dir, 'load.js'),
    [
      `const installed = require(${JSON.stringify(CODE_CACHE)}).installCodeCache(module.constructor);`,
      `const m = require('./main.cjs');`,
      'm.load().then((esm) => {',
      '  let line;',
      '  try { m.fail(); } catch (error) { line = /main\\.cjs:(\\d+)/.exec(error.stack)?.[1]; }',
      '  console.log(JSON.stringify({ installed, kind: m.kind, self: m.self, file: m.file, dep: m.dep, resolved: m.resolved, esm, line }));',
      '});',
      '',
    ].join('\n'),
  );
  return { dir, home: join(dir, 'home') };
}

function load(dir: string, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const result = spawnSync(process.execPath, [join(dir, 'load.js')], { cwd: dir, env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as Record<string, unknown>;
}

const expected = (dir: string, kind: string) => ({
  installed: true,
  kind,
  self: true,
  file: join(dir, 'main.cjs'),
  dep: 42,
  resolved: join(dir, 'dep.cjs'),
  esm: 'from esm',
  line: '8',
});

/** The caches in the folder, by file name, with what identifies each file written. */
function caches(home: string): Map<string, string> {
  const root = join(home, '.cache', 'anysnake2', 'code-cache');
  const [versionDir, ...others] = readdirSync(root);
  assert.deepEqual(others, [], 'one folder per Node.js version');
  assert.equal(versionDir, `${process.version}-${process.arch}`);
  const dir = join(root, versionDir!);
  assert.equal(statSync(dir).mode & 0o777, 0o700, 'the cache folder is private');
  return new Map(
    readdirSync(dir).map((name) => {
      const s = statSync(join(dir, name));
      assert.equal(s.mode & 0o777, 0o600, `${name} is private`);
      return [name, `${s.ino}:${s.mtimeMs}`];
    }),
  );
}

test('a module loaded through the code cache behaves as with Node’s loader; its cache is written once, then used', () => {
  const { dir, home } = project();
  assert.deepEqual(load(dir, { HOME: home }), expected(dir, 'A'));
  const first = caches(home);
  assert.deepEqual(
    [...first.keys()].map((name) => name.replace(/-[0-9a-f]{16}-[0-9a-f]{16}\.v8$/, '')).sort(),
    ['dep.cjs', 'main.cjs'],
    'one cache per module without import(), named by it',
  );
  // Accepted caches are not written again (a cache V8 refused would be replaced: another inode),
  // and import() still works from a module loaded beside them.
  assert.deepEqual(load(dir, { HOME: home }), expected(dir, 'A'));
  assert.deepEqual(caches(home), first);
});

test('a changed module of the same length runs its new code, and its old cache is removed', () => {
  const { dir, home } = project();
  assert.deepEqual(load(dir, { HOME: home }), expected(dir, 'A'));
  const before = caches(home);
  // Same length: V8's own check (the source's length) would take the old cache.
  writeFileSync(join(dir, 'main.cjs'), mainSource('B'));
  assert.deepEqual(load(dir, { HOME: home }), expected(dir, 'B'));
  const after = caches(home);
  const mainCaches = (all: Map<string, string>) => [...all.keys()].filter((name) => name.startsWith('main.cjs-'));
  assert.equal(mainCaches(after).length, 1, `one cache of main.cjs is left: ${mainCaches(after).join(', ')}`);
  assert.notEqual(mainCaches(after)[0], mainCaches(before)[0], 'under a new name');
  const depCache = [...after.keys()].find((name) => name.startsWith('dep.cjs-'))!;
  assert.equal(after.get(depCache), before.get(depCache), 'the unchanged module keeps its cache');
});

test('a cache folder that cannot be made costs the cache, nothing else', () => {
  const { dir } = project();
  const blocked = join(dir, 'not-a-folder');
  writeFileSync(blocked, '');
  assert.deepEqual(load(dir, { HOME: dir, XDG_CACHE_HOME: join(blocked, 'cache') }), expected(dir, 'A'));
  assert.deepEqual(load(dir, { HOME: dir, XDG_CACHE_HOME: join(blocked, 'cache') }), expected(dir, 'A'));
});
