/**
 * Property test of the canonical format on random TOML documents (nested tables, arrays of tables,
 * every scalar form, comments everywhere; test/src/support/random-toml.ts): the value is kept,
 * formatting twice changes nothing more, and every comment is still there. Fixed seed, so a
 * failure reproduces; ANYSNAKE2_PROPERTY_SEED and ANYSNAKE2_PROPERTY_RUNS explore further.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalToml as canonicalWith, formatToml as formatWith, type TomlUpdate } from '../../../core/dist/config/toml-format.js';
import { bundledSectionOrder } from '../support/section-order.js';
import { parseTomlText } from '../../../core/dist/config/toml-syntax.js';
import { exactScalar, tomlValueOf } from '../../../core/dist/config/toml-value.js';
import { randomTomlDocument } from '../support/random-toml.js';

/** The order the shipped core and plugins declare (the formatter itself knows no section). */
const sectionScore = await bundledSectionOrder();
const formatToml = (text: string, updates: readonly TomlUpdate[] = []) => formatWith(text, updates, sectionScore);
const canonicalToml = (text: string) => canonicalWith(text, sectionScore);

const seed = Number(process.env.ANYSNAKE2_PROPERTY_SEED ?? 20261201);
const numRuns = Number(process.env.ANYSNAKE2_PROPERTY_RUNS ?? 1000);

/** Comment texts, trailing blanks aside (the canonical format trims lines). */
const comments = (text: string) =>
  parseTomlText(text)
    .ast.comments.map((c) => c.value.trimEnd())
    .sort();

test(`formatting random TOML documents keeps values and comments and is idempotent (${numRuns} cases, seed ${seed})`, () => {
  let withArraysOfTables = 0;
  fc.assert(
    // fast-check draws the documents' seeds; shrinking a seed means nothing, so it does not.
    fc.property(fc.noShrink(fc.nat()), (documentSeed) => {
      const text = randomTomlDocument(documentSeed);
      const input = parseTomlText(text).ast; // the generator writes valid TOML only
      if (/^\s*\[\[/m.test(text)) withArraysOfTables++;
      const once = canonicalToml(text);
      assert.deepStrictEqual(tomlValueOf(parseTomlText(once).ast, exactScalar), tomlValueOf(input, exactScalar), 'the value changed');
      assert.equal(canonicalToml(once), once, 'formatting twice changed more');
      assert.deepStrictEqual(comments(once), comments(text), 'a comment was lost or changed');
      assert.equal(formatToml(text), once, "formatToml's guard had to step in");
    }),
    { seed, numRuns },
  );
  assert.ok(withArraysOfTables > numRuns / 10, `only ${withArraysOfTables} documents had arrays of tables`);
});
