/** `anysnake2 schema`: a JSON Schema that real validators accept, covering third-party plugins too. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
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
const tomlFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.toml'))
    .map((f) => join(dir, f));
let validator: ReturnType<Ajv['compile']> | undefined;
const validate = () => (validator ??= new Ajv({ strict: false, allErrors: true }).compile(schemaOf()));

test('the schema validates our examples and our own fixtures (test/fixtures/schema)', () => {
  const check = validate();
  for (const name of ['minimal', 'basic', 'full']) assert.ok(check(tomlValue(join(REPO, 'core', 'examples', `${name}.toml`))), `${name}: ${JSON.stringify(check.errors)}`);
  const valid = tomlFiles(join(FIXTURES, 'schema', 'valid'));
  const invalid = tomlFiles(join(FIXTURES, 'schema', 'invalid'));
  assert.ok(valid.length >= 4 && invalid.length >= 3, 'the fixtures are present');
  for (const file of valid) assert.ok(check(tomlValue(file)), `${file}: ${JSON.stringify(check.errors)}`);
  for (const file of invalid) assert.equal(check(tomlValue(file)), false, `${file} must not validate`);
  assert.equal(check({ python: { version: '3.12.1', packages: {} } }), false);
});

const UPSTREAM = join(SHARED, 'reference', 'upstream-examples');
test('the schema validates the upstream examples (only the 1.x one fails)', {
  skip: existsSync(UPSTREAM) ? false : `needs the upstream examples in ${UPSTREAM} (absent beside this clone)`,
}, () => {
  const check = validate();
  for (const dir of readdirSync(UPSTREAM))
    for (const file of tomlFiles(join(UPSTREAM, dir))) {
      const ok = check(tomlValue(file));
      if (file.endsWith('just_python_trust_on_first_use/test.toml')) assert.equal(ok, false, 'the 1.x fetcher syntax is invalid');
      else assert.ok(ok, `${file}: ${JSON.stringify(check.errors)}`);
    }
});

test('the schema covers the sections of installed third-party plugins', () => {
  const data = mkdtempSync(join(tmpdir(), 'as2-data-'));
  const env = { ANYSNAKE2_DATA_DIR: data };
  assert.equal('hello' in schemaOf(env).properties, false);
  assert.equal(runCli(['plugins', 'link', join(FIXTURES, 'plugin-hello'), '--no-install'], { cwd: tempProject(), env }).code, 0);
  const properties = schemaOf(env).properties as Record<string, { description: string }>;
  assert.match(properties.hello!.description, /plugin: hello/);
});
