/**
 * Wheel selection offline: `fixture-native` ships platform wheels (manylinux, musllinux, macOS,
 * Windows, another CPython, another CPU) and an sdist. uv locks every file; the build installs the
 * one CPython 3.11 on x86_64 glibc Linux can use, or builds the sdist when sdists are preferred.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { pythonProject, startPackageIndex, type PackageIndex } from '../support/pypi.js';

let index: PackageIndex;
before(async () => {
  index = await startPackageIndex();
});
after(() => index.close());

const TAG = 'import fixture_native; print(fixture_native.__tag__)';
const WHEELS = [
  'cp310-cp310-manylinux_2_17_aarch64.manylinux2014_aarch64',
  'cp311-cp311-macosx_11_0_arm64',
  'cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64',
  'cp311-cp311-musllinux_1_1_x86_64',
  'cp311-cp311-win_amd64',
  'cp312-cp312-manylinux_2_17_x86_64.manylinux2014_x86_64',
];

test('every platform wheel is locked; the manylinux cp311 one is installed for CPython 3.11 on x86_64 Linux', () => {
  const cwd = pythonProject(['[python]', 'version = "3.11"', 'ecosystem_date = "2024-08-09"', '[python.packages]', 'fixture-native = ""'].join('\n'));
  const r = runCli(['run', '--', 'python', '-c', TAG], { cwd, env: index.env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64');
  const lock = readFileSync(join(cwd, 'anysnake2.uv.lock'), 'utf8');
  for (const tag of WHEELS) assert.ok(lock.includes(`fixture_native-1.0-${tag}.whl`), `${tag} locked`);
  assert.ok(lock.includes('fixture_native-1.0.tar.gz'), 'the sdist locked');
});

test('with sdists preferred, fixture-native is built from its sdist', () => {
  const cwd = pythonProject(
    ['[python]', 'version = "3.11"', 'ecosystem_date = "2024-08-09"', '[python.packages]', 'fixture-native = { build_systems = ["tinybuild"] }'].join('\n'),
  );
  const toml = join(cwd, 'anysnake2.toml');
  const text = readFileSync(toml, 'utf8');
  assert.match(text, /^\[uv2nix\]$/m);
  writeFileSync(toml, text.replace(/^\[uv2nix\]$/m, '[uv2nix]\nprefer_wheels = false'));
  const r = runCli(['run', '--', 'python', '-c', TAG], { cwd, env: index.env });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'sdist');
});
