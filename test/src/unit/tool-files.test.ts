/**
 * What the warm path stamps of the tool itself (core/src/warm/tool-files.ts): every code file of a
 * plugin (an in-place edit of a lazily imported file is seen), and of the core only its lib/
 * folders — which change whenever the bundler replaces, adds or removes a file in them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toolFilesOf } from '../../../core/dist/warm/tool-files.js';
import { fileStamp } from '../../../core/dist/warm/warm-entry.js';

const stamps = (paths: string[]) => new Map(paths.map((path) => [path, fileStamp(path)]));
const changed = (before: Map<string, string>) => [...before].filter(([path, stamp]) => fileStamp(path) !== stamp).map(([path]) => path);
/** An hour ago, so that a change made now shows in mtime even on a coarse clock. */
const age = (...paths: string[]) => paths.forEach((path) => utimesSync(path, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000)));

function packageWithLib(root: string): void {
  mkdirSync(join(root, 'lib', 'chunks'), { recursive: true });
  writeFileSync(join(root, 'package.json'), '{}');
  writeFileSync(join(root, 'lib', 'index.js'), 'export default 1;\n');
  writeFileSync(join(root, 'lib', 'chunks', 'chunk-AAAA.js'), 'export const a = 1;\n');
  writeFileSync(join(root, 'lib', 'chunks', 'chunk-AAAA.js.map'), '{}');
}

test("the core's code is stamped by its lib/ folders: a bundler write (rename) or a removed chunk changes a stamp", () => {
  const root = mkdtempSync(join(tmpdir(), 'as2-toolfiles-core-'));
  packageWithLib(root);
  const files = toolFilesOf(join(root, 'data'), [{ root, entries: ['./lib/index.js'], codeTree: 'folders' }]);
  assert.deepEqual(
    files,
    [
      join(root, 'data', 'package.json'),
      join(root, 'lib'),
      join(root, 'lib', 'chunks'),
      join(root, 'lib', 'index.js'),
      join(root, 'oclif.manifest.json'),
      join(root, 'package.json'),
    ].sort(),
    'folders, not one stat per module',
  );
  age(join(root, 'lib'), join(root, 'lib', 'chunks'));
  const before = stamps(files);
  // As scripts/bundle-runtime.mjs writes: a temporary file renamed over the chunk.
  writeFileSync(join(root, 'lib', 'chunks', 'chunk-AAAA.js.1.tmp'), 'export const a = 2;\n');
  renameSync(join(root, 'lib', 'chunks', 'chunk-AAAA.js.1.tmp'), join(root, 'lib', 'chunks', 'chunk-AAAA.js'));
  assert.deepEqual(changed(before), [join(root, 'lib', 'chunks')]);
  age(join(root, 'lib', 'chunks'));
  const again = stamps(files);
  rmSync(join(root, 'lib', 'chunks', 'chunk-AAAA.js'));
  assert.deepEqual(changed(again), [join(root, 'lib', 'chunks')]);
});

test("a plugin's code is stamped file by file: an in-place edit of a lazily imported file changes a stamp", () => {
  const root = mkdtempSync(join(tmpdir(), 'as2-toolfiles-plugin-'));
  packageWithLib(root);
  const files = toolFilesOf(join(root, 'data'), [{ root, entries: ['./lib/index.js'], codeTree: 'files' }]);
  assert.ok(files.includes(join(root, 'lib', 'chunks', 'chunk-AAAA.js')));
  assert.ok(!files.includes(join(root, 'lib', 'chunks', 'chunk-AAAA.js.map')), 'source maps never run');
  const chunk = join(root, 'lib', 'chunks', 'chunk-AAAA.js');
  age(chunk, join(root, 'lib', 'chunks'));
  const before = stamps(files);
  writeFileSync(chunk, 'export const a = 3;\n'); // in place, as tsc writes: the folder does not change
  assert.deepEqual(changed(before), [chunk]);
});
