/**
 * The reader of anysnake2.toml against the public TOML conformance suite (toml-test, its
 * TOML 1.0.0 list): every valid file is read with exactly the suite's values, every invalid one is
 * refused with a line:column. The suite is extracted from ../shared/upstream at run time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeConfigText } from '../../../core/dist/config/decode-config-text.js';
import { parseTomlDocument } from '../../../core/dist/config/toml-document.js';
import { parseTomlText } from '../../../core/dist/config/toml-syntax.js';
import { ConfigError } from '../../../core/dist/errors.js';
import { normalisedExpectation, taggedValue, tomlTestSuite, type Tagged } from '../support/toml-test-suite.js';

const suite = tomlTestSuite();
const skip = typeof suite === 'string' ? suite : false;

/** What the reader does with a file: bytes → text → document. */
function read(file: string) {
  return parseTomlDocument(decodeConfigText(readFileSync(file), file), file);
}

/** The plain value the config sees for a tagged expectation: exact integers, Date for date-times. */
function plainExpectation(json: unknown): unknown {
  if (Array.isArray(json)) return json.map(plainExpectation);
  const object = json as Record<string, unknown>;
  if (typeof object.type === 'string' && typeof object.value === 'string' && Object.keys(object).length === 2) {
    const { type, value } = object as unknown as Tagged;
    if (type === 'integer') return Number.isSafeInteger(Number(value)) ? Number(value) : BigInt(value);
    if (type === 'float') return /inf$/.test(value) ? (value.startsWith('-') ? -Infinity : Infinity) : /nan$/.test(value) ? NaN : Number(value);
    if (type === 'bool') return value === 'true';
    if (type === 'string') return value;
    return Date; // a date-time: the config sees a Date (compared by kind below)
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(object)) Object.defineProperty(out, k, { value: plainExpectation(v), enumerable: true, writable: true, configurable: true });
  return out;
}

function datesAsMarker(value: unknown): unknown {
  if (value instanceof Date) return Date;
  if (Array.isArray(value)) return value.map(datesAsMarker);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) Object.defineProperty(out, k, { value: datesAsMarker(v), enumerable: true, writable: true, configurable: true });
    return out;
  }
  return value;
}

test("every valid TOML 1.0.0 file of toml-test is read with the suite's values", { skip }, () => {
  if (typeof suite === 'string') return;
  assert.ok(suite.valid.length > 200, `only ${suite.valid.length} valid cases listed`);
  const failures: string[] = [];
  for (const name of suite.valid) {
    const file = join(suite.dir, `${name}.toml`);
    const expected = JSON.parse(readFileSync(join(suite.dir, `${name}.json`), 'utf8')) as unknown;
    try {
      const doc = read(file);
      // The exact form: integers as bigint, float specials, the four date-time kinds.
      assert.deepStrictEqual(taggedValue(parseTomlText(doc.text).ast), normalisedExpectation(expected));
      // What the config sees.
      assert.deepStrictEqual(datesAsMarker(doc.value), plainExpectation(expected));
    } catch (error) {
      failures.push(`${name}: ${(error as Error).message.split('\n').slice(0, 8).join('\n')}`);
    }
  }
  assert.deepEqual(failures, [], `${failures.length} of ${suite.valid.length} valid files are read wrongly`);
});

test('every invalid TOML 1.0.0 file of toml-test is refused with file:line:column (exit 65)', { skip }, () => {
  if (typeof suite === 'string') return;
  assert.ok(suite.invalid.length > 300, `only ${suite.invalid.length} invalid cases listed`);
  const failures: string[] = [];
  for (const name of suite.invalid) {
    const file = join(suite.dir, `${name}.toml`);
    try {
      read(file);
      failures.push(`${name}: accepted`);
    } catch (error) {
      if (!(error instanceof ConfigError)) failures.push(`${name}: ${String(error)}`);
      else {
        const location = error.issues[0]?.location;
        if (!location || location.file !== file || !(location.line >= 1 && location.column >= 1)) failures.push(`${name}: no position in ${error.message}`);
        if (error.exitCode !== 65) failures.push(`${name}: exit code ${error.exitCode}`);
      }
    }
  }
  assert.deepEqual(failures, [], `${failures.length} of ${suite.invalid.length} invalid files are not refused properly`);
});
