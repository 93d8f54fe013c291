/**
 * The canonical format never changes what a file means: over every valid TOML 1.0.0 file of the
 * public conformance suite (toml-test) that anysnake2 accepts as a config (only tables at the top
 * level), the formatted text parses to the same value, and formatting it again changes nothing.
 * The suite is extracted from ../shared/upstream at run time.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalToml as canonicalWith, formatToml as formatWith, type TomlUpdate } from '../../../core/dist/config/toml-format.js';
import { bundledSectionOrder } from '../support/section-order.js';
import { parseTomlText } from '../../../core/dist/config/toml-syntax.js';
import { parseTomlDocument } from '../../../core/dist/config/toml-document.js';
import { decodeConfigText } from '../../../core/dist/config/decode-config-text.js';
import { taggedValue, tomlTestSuite } from '../support/toml-test-suite.js';

/** The order the shipped core and plugins declare (the formatter itself knows no section). */
const sectionScore = await bundledSectionOrder();
const formatToml = (text: string, updates: readonly TomlUpdate[] = []) => formatWith(text, updates, sectionScore);
const canonicalToml = (text: string) => canonicalWith(text, sectionScore);

const suite = tomlTestSuite();
const skip = typeof suite === 'string' ? suite : false;

/** The failure of one file, or undefined: value kept, idempotent, and the guard of formatToml unused. */
function formatProblem(text: string): string | undefined {
  try {
    // The canonical pass itself, without formatToml's guard (which would hide a change).
    const once = canonicalToml(text);
    assert.deepStrictEqual(taggedValue(parseTomlText(once).ast), taggedValue(parseTomlText(text).ast), 'the value changed');
    assert.equal(canonicalToml(once), once, 'not idempotent');
    assert.equal(formatToml(text), once, 'formatToml differs from the canonical pass');
    return undefined;
  } catch (error) {
    return (error as Error).message.split('\n').slice(0, 8).join('\n');
  }
}

function validCases() {
  if (typeof suite === 'string') return [];
  return suite.valid.map((name) => {
    const file = join(suite.dir, `${name}.toml`);
    const text = decodeConfigText(readFileSync(file), file);
    return { name, text, config: parseTomlDocument(text, file).topLevelScalars.length === 0 };
  });
}

test('formatting every valid toml-test 1.0.0 config keeps its value and is idempotent', { skip }, () => {
  // Files with a value at the top level are config errors before any formatting (validate.ts).
  const configs = validCases().filter((c) => c.config);
  assert.ok(configs.length >= 79, `only ${configs.length} files checked`);
  const failures = configs.flatMap(({ name, text }) => {
    const problem = formatProblem(text);
    return problem ? [`${name}: ${problem}`] : [];
  });
  assert.deepEqual(failures, [], `${failures.length} of ${configs.length} files are formatted wrongly`);
});

test('the other valid files, their top-level values moved into a table, keep their values too', { skip }, () => {
  // `[wrapper]` in front moves the top-level keys into a table (table headers are absolute):
  // every scalar, array and key form of the suite goes through the formatter this way.
  const failures: string[] = [];
  let checked = 0;
  for (const { name, text, config } of validCases()) {
    if (config) continue;
    const wrapped = `[toml-test-top-level]\n${text.replace(/^\uFEFF/, '')}`;
    checked++;
    const problem = formatProblem(wrapped);
    if (problem) failures.push(`${name}: ${problem}`);
  }
  assert.ok(checked > 100, `only ${checked} files checked`);
  assert.deepEqual(failures, [], `${failures.length} of ${checked} files are formatted wrongly`);
});
