/**
 * The config file's bytes through the real CLI (issue 18): invalid UTF-8, a bare CR and absurdly
 * deep nesting are exit-65 errors naming file:line:column (no stack trace, file untouched); a file
 * with a byte-order mark is read, and the canonical rewrite keeps the mark.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempProject } from '../support/cli.js';

const noStackTrace = (stderr: string) => {
  assert.doesNotMatch(stderr, /\n\s+at .*:\d+:\d+\)?/);
  assert.doesNotMatch(stderr, /Maximum call stack|RangeError/);
};

function checkBytes(data: Buffer) {
  const cwd = tempProject();
  const file = join(cwd, 'anysnake2.toml');
  writeFileSync(file, data);
  const r = runCli(['check'], { cwd });
  assert.deepEqual(readFileSync(file), data, 'the file is left as it was');
  return r;
}

test("invalid UTF-8 is exit 65 at the bad byte's line:column, not a silent U+FFFD", () => {
  const r = checkBytes(Buffer.concat([Buffer.from('[nixpkgs]\npackages = ["caf'), Buffer.from([0xe9]), Buffer.from('"]\n')]));
  assert.equal(r.code, 65, r.stderr);
  assert.match(r.stderr, /anysnake2\.toml:2:17: not valid UTF-8: the byte 0xe9/);
  noStackTrace(r.stderr);
});

test('a carriage return without a line feed is exit 65 with its position', () => {
  // A stray CR at the end: the parser alone takes it for whitespace.
  const r = checkBytes(Buffer.from('[nixpkgs]\r\npackages = []\r\n\r'));
  assert.equal(r.code, 65, r.stderr);
  assert.match(r.stderr, /anysnake2\.toml:3:1: TOML syntax error: a carriage return/);
  noStackTrace(r.stderr);
});

test('arrays nested 100,000 deep are exit 65 with a position, not a stack overflow', () => {
  const deep = 100_000;
  const r = checkBytes(Buffer.from(`[nixpkgs]\npackages = ${'['.repeat(deep)}${']'.repeat(deep)}\n`));
  assert.equal(r.code, 65, r.stderr);
  assert.match(r.stderr, /anysnake2\.toml:2:140: TOML syntax error: arrays and inline tables are nested more than 128 levels/);
  noStackTrace(r.stderr);
});

test('a byte-order mark is accepted, and the canonical rewrite keeps it', () => {
  const bom = Buffer.from([0xef, 0xbb, 0xbf]);
  const r = checkBytes(Buffer.concat([bom, Buffer.from('[nixpkgs]\npackages = ["hello"]\n')]));
  assert.equal(r.code, 0, r.stderr);

  // A pinned config, out of canonical order, with a mark: `tofu` only reformats it.
  const cwd = tempProject('');
  assert.equal(runCli(['tofu'], { cwd }).code, 0);
  const file = join(cwd, 'anysnake2.toml');
  const canonical = readFileSync(file, 'utf8');
  const sections = canonical.split(/\n\n\n(?=\[)/).map((s) => s.replace(/\n*$/, '\n'));
  assert.match(sections.at(-1)!, /^\[flake-util\]/, canonical);
  // [flake-util] (last in canonical order) moved to the top, keys indented with spaces.
  writeFileSync(file, Buffer.concat([bom, Buffer.from([sections.at(-1), ...sections.slice(0, -1)].join('\n').replace(/\t/g, '  '))]));
  const t = runCli(['tofu'], { cwd });
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stderr, /formatted/);
  const written = readFileSync(file);
  assert.deepEqual([...written.subarray(0, 3)], [...bom], 'the mark is kept');
  assert.equal(written.subarray(3).toString('utf8'), canonical);
});
