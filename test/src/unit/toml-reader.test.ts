/**
 * Reading anysnake2.toml's bytes (issue 18): UTF-8 only, decoded without replacement, errors with
 * line:column; a byte-order mark is accepted and kept; a bare CR and absurd nesting are refused
 * cleanly; keys like __proto__ are plain keys; integers stay exact.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeConfigText } from '../../../core/dist/config/decode-config-text.js';
import { parseTomlDocument } from '../../../core/dist/config/toml-document.js';
import { ConfigError } from '../../../core/dist/errors.js';

const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));
const read = (data: Uint8Array) => parseTomlDocument(decodeConfigText(data, 'anysnake2.toml'), 'anysnake2.toml');

function refusal(fn: () => unknown): { message: string; line: number; column: number; hint?: string } {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    assert.equal(error.exitCode, 65);
    const issue = error.issues[0]!;
    assert.ok(issue.location, 'the error has a position');
    return { message: issue.message, line: issue.location.line, column: issue.location.column, hint: issue.hint };
  }
  assert.fail('accepted');
}

test('invalid UTF-8 is refused at the line and column of the bad byte, never replaced by U+FFFD', () => {
  const cases: [Uint8Array, number, number, RegExp][] = [
    [bytes('[a]\nb = "', [0xc3], '"\n'), 2, 6, /the byte 0xc3 \(offset 9\)/], // a lead byte without its continuation
    [bytes('# caf', [0xe9], '\n'), 1, 6, /the byte 0xe9/], // Latin-1 é
    [bytes('[a]\nb = 1 # ', [0x80], '\n'), 2, 9, /the byte 0x80/], // a lone continuation byte
    [bytes('[a]\nb = "', [0xc0, 0x80], '"\n'), 2, 6, /0xc0/], // an overlong encoding
    [bytes('[a]\nb = "', [0xed, 0xa0, 0x80], '"\n'), 2, 6, /0xed 0xa0 0x80/], // a surrogate
    [bytes('[a]\nb = "日', [0xe6, 0x97]), 2, 7, /0xe6 0x97/], // cut off at the end of the file
  ];
  for (const [data, line, column, message] of cases) {
    const r = refusal(() => read(data));
    assert.match(r.message, /not valid UTF-8/);
    assert.match(r.message, message);
    assert.deepEqual([r.line, r.column], [line, column], r.message);
    assert.match(r.hint ?? '', /UTF-8/);
  }
  // U+FFFD written as a character is fine: only undecodable bytes are refused.
  assert.deepEqual(read(bytes('[a]\nb = "\uFFFD"\n')).value, { a: { b: '\uFFFD' } });
});

test('a byte-order mark is accepted and kept in the text; positions on line 1 do not count it', () => {
  const doc = read(bytes([0xef, 0xbb, 0xbf], '[nixpkgs]\nurl = "x"\n'));
  assert.deepEqual(doc.value, { nixpkgs: { url: 'x' } });
  assert.ok(doc.text.startsWith('\uFEFF'));
  assert.deepEqual(doc.locate(['nixpkgs']), { file: 'anysnake2.toml', line: 1, column: 1 });
  const r = refusal(() => read(bytes([0xef, 0xbb, 0xbf], '[a] x\n')));
  assert.deepEqual([r.line, r.column], [1, 5]);
});

test('a carriage return without a line feed is refused with its position; CRLF is fine', () => {
  const r = refusal(() => read(bytes('[a]\r\nb = 1\rc = 2\n')));
  assert.deepEqual([r.line, r.column], [2, 6]);
  assert.match(r.message, /carriage return/);
  assert.deepEqual(read(bytes('[a]\r\nb = """x\r\ny"""\r\n')).value, { a: { b: 'x\ny' } });
});

test('arrays and inline tables nested 100,000 deep are a clean error, not a stack overflow; 128 levels are fine', () => {
  const deep = 100_000;
  let r = refusal(() => parseTomlDocument(`[a]\nb = ${'['.repeat(deep)}${']'.repeat(deep)}\n`, 'anysnake2.toml'));
  assert.deepEqual([r.line, r.column], [2, 5 + 128]);
  assert.match(r.message, /nested more than 128 levels/);
  r = refusal(() => parseTomlDocument(`[a]\nb = ${'{ c = '.repeat(deep)}1${' }'.repeat(deep)}\n`, 'anysnake2.toml'));
  assert.equal(r.line, 2);
  r = refusal(() => parseTomlDocument(`[a]\nb = ${'['.repeat(deep)}\n`, 'anysnake2.toml'));
  assert.equal(r.line, 2);
  const ok = parseTomlDocument(`[a]\nb = ${'['.repeat(128)}${']'.repeat(128)}\n`, 'anysnake2.toml');
  assert.ok(Array.isArray((ok.value.a as { b: unknown }).b));
  // Brackets inside strings and comments do not nest.
  const text = `[a]\nb = "${'['.repeat(500)}" # ${'{'.repeat(500)}\nc = '''\n${'['.repeat(500)}'''\n`;
  assert.equal((parseTomlDocument(text, 'anysnake2.toml').value.a as { b: string }).b, '['.repeat(500));
});

test('__proto__, constructor and toString are ordinary keys; integers past 2^53 stay exact', () => {
  const doc = parseTomlDocument('[__proto__]\na = 1\n[t]\nconstructor.x = 2\ntoString = 3\nbig = 9223372036854775807\nsmall = -17\n', 'anysnake2.toml');
  assert.deepEqual(Object.keys(doc.value), ['__proto__', 't']);
  assert.equal(Object.getPrototypeOf(doc.value), Object.prototype);
  assert.deepEqual(Object.getOwnPropertyDescriptor(doc.value, '__proto__')?.value, { a: 1 });
  const t = doc.value.t as Record<string, unknown>;
  assert.deepEqual(t.constructor, { x: 2 });
  assert.equal(t.toString, 3);
  assert.equal(t.big, 9223372036854775807n);
  assert.equal(t.small, -17);
});
