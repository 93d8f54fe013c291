/** `anysnake2 schema`: a JSON Schema that real validators accept, covering third-party plugins too. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { parseTOML, getStaticTOMLValue } from 'toml-eslint-parser';
import { FIXTURES, REPO, SHARED, runCli, tempProject } from '../support/cli.js';

const schemaOf = (env: NodeJS.ProcessEnv = {}) => {
  const r = runCli(['schema'], { cwd: tempProject(), env });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as { properties: Record<string, unknown> };
};
const tomlValue = (file: string) => getStaticTOMLValue(parseTOML(readFileSync(file, 'utf8')));

test('the schema validates our examples and the upstream examples (only the 1.x one fails)', () => {
  const validate = new Ajv({ strict: false, allErrors: true }).compile(schemaOf());
  for (const name of ['minimal', 'basic', 'full']) assert.ok(validate(tomlValue(join(REPO, 'core', 'examples', `${name}.toml`))), `${name}: ${JSON.stringify(validate.errors)}`);
  const examples = join(SHARED, 'reference', 'upstream-examples');
  for (const dir of readdirSync(examples))
    for (const file of readdirSync(join(examples, dir)).filter((f) => f.endsWith('.toml'))) {
      const ok = validate(tomlValue(join(examples, dir, file)));
      if (`${dir}/${file}` === 'just_python_trust_on_first_use/test.toml') assert.equal(ok, false, 'the 1.x fetcher syntax is invalid');
      else assert.ok(ok, `${dir}/${file}: ${JSON.stringify(validate.errors)}`);
    }
  assert.equal(validate({ nixpkgs: { packages: [1] } }), false);
  assert.equal(validate({ no_such_section: {} }), false);
  assert.equal(validate({ python: { version: '3.12.1', packages: {} } }), false);
});

test('the schema covers the sections of installed third-party plugins', () => {
  const data = mkdtempSync(join(tmpdir(), 'as2-data-'));
  const env = { ANYSNAKE2_DATA_DIR: data };
  assert.equal('hello' in schemaOf(env).properties, false);
  assert.equal(runCli(['plugins', 'link', join(FIXTURES, 'plugin-hello'), '--no-install'], { cwd: tempProject(), env }).code, 0);
  const properties = schemaOf(env).properties as Record<string, { description: string }>;
  assert.match(properties.hello!.description, /plugin: hello/);
});
