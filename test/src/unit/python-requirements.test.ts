/** The [python.packages] grammar (behaviour reference §2.6, with 2.x's `~=` defect fixed) and the pyproject uv locks. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConstraint, parsePackage, pep508, RequirementError } from '@anysnake2/plugin-python/dist/requirement.js';
import { cutoffFor, renderPyproject } from '@anysnake2/plugin-python/dist/pyproject.js';
import { locksOldSetuptools } from '@anysnake2/plugin-python/dist/uv-lock-file.js';
import { explainMissingBuildSystem } from '@anysnake2/plugin-python/dist/build-failures.js';

test('version strings become PEP 440 specifiers as in 2.x, and ~= works', () => {
  const cases: [string, string][] = [
    ['', ''],
    ['1.5.1', '==1.5.1'],
    ['>=2', '>=2'],
    ['>=1, <2', '>=1,<2'],
    ['!=3', '!=3'],
    ['=1.2', '==1.2'],
    ['~=1.4', '~=1.4'],
    ['==2.*', '==2.*'],
    ['=== 1.0', '===1.0'],
  ];
  for (const [input, expected] of cases) assert.equal(parseConstraint(input), expected, input);
  for (const bad of ['>=', 'latest', '>=1;<2', '>=2.*', '=~=1.2']) assert.throws(() => parseConstraint(bad), RequirementError, bad);
});

test('string and table forms: pypi, pypi:X (exempt), URLs and VCS sources', () => {
  assert.deepEqual(parsePackage('scanpy', 'pypi:1.9.6').exempt, true);
  assert.equal(pep508(parsePackage('scanpy', 'pypi:1.9.6')), 'scanpy==1.9.6');
  assert.equal(parsePackage('pandas', { version: 'pypi' }).source.kind, 'pypi-newest');
  assert.equal(parsePackage('pandas', 'pypi:').source.kind, 'pypi-newest');
  assert.equal(pep508(parsePackage('Pandas', '')), 'Pandas');
  assert.equal(parsePackage('Foo_Bar.baz', '').normalized, 'foo-bar-baz');
  assert.deepEqual(parsePackage('dppd', 'github:TyberiusPrime/dppd').source, { kind: 'vcs', url: 'github:TyberiusPrime/dppd' });
  assert.deepEqual(parsePackage('x', { url: 'https://example.org/x-1.0.tar.gz' }).source, { kind: 'url', url: 'https://example.org/x-1.0.tar.gz' });
  assert.equal(parsePackage('x', { editable: true, url: 'github:o/r' }).editableFolder, 'code');
  assert.equal(parsePackage('x', { editable: 'hackonme', url: 'github:o/r' }).editableFolder, 'hackonme');
  assert.deepEqual(parsePackage('x', { build_systems: ['setuptools'] }).buildSystems, ['setuptools']);
  const wrong = (() => {
    try {
      parsePackage('x', { version: 'pypi:newest' });
    } catch (error) {
      return error as RequirementError;
    }
  })();
  assert.deepEqual(wrong?.key, ['version']);
  assert.throws(() => parsePackage('x', { url: 'ftp//nowhere' }), /neither a VCS source nor a download URL/);
});

test('the cut-off is the end of the ecosystem date in UTC, whatever the local time zone', () => {
  assert.equal(cutoffFor('2024-08-09'), '2024-08-10T00:00:00Z');
  assert.equal(cutoffFor('2024-12-31'), '2025-01-01T00:00:00Z');
  assert.equal(cutoffFor('2024-02-29'), '2024-03-01T00:00:00Z');
  assert.throws(() => cutoffFor('2023-02-29'), /not a calendar date/);
});

test('the pyproject uv locks: requires-python, sorted dependencies, cut-off and per-package exemption', () => {
  const text = renderPyproject({
    pythonVersion: '3.11',
    ecosystemDate: '2024-08-09',
    packages: [parsePackage('scanpy', 'pypi:1.10.3'), parsePackage('pandas', '>=2'), parsePackage('fixture-cli', '')],
    sources: { mine: { path: '/tmp/src "quoted"' } },
  });
  assert.match(text, /^requires-python = "==3\.11\.\*"$/m);
  assert.match(text, /dependencies = \[\n {4}"fixture-cli",\n {4}"pandas>=2",\n {4}"scanpy==1\.10\.3",\n\]/);
  assert.match(text, /^exclude-newer = "2024-08-10T00:00:00Z"$/m);
  assert.match(text, /^exclude-newer-package = \{ "scanpy" = false \}$/m);
  assert.match(text, /^"mine" = \{ path = "\/tmp\/src \\"quoted\\"" \}$/m);
});

test('the setuptools < 70.1 shim is needed only when the lock pins such a setuptools', () => {
  const lock = (v: string) => `version = 1\n\n[[package]]\nname = "setuptools"\nversion = "${v}"\nsource = { registry = "https://pypi.org/simple" }\n`;
  assert.equal(locksOldSetuptools(lock('69.5.1')), true);
  assert.equal(locksOldSetuptools(lock('70.0.0')), true);
  assert.equal(locksOldSetuptools(lock('70.1.0')), false);
  assert.equal(locksOldSetuptools(lock('80.9.0')), false);
  assert.equal(locksOldSetuptools('version = 1\n'), false);
});

test('a missing build backend in a failed sdist build is explained with the build_systems entry', () => {
  const hint = explainMissingBuildSystem({ derivation: 'needs-tinybuild-1.0', log: ['ERROR Backend subprocess exited', "ModuleNotFoundError: No module named 'setuptools'"] });
  assert.equal(
    hint,
    'needs-tinybuild-1.0 needs the build system setuptools: add build_systems = ["setuptools"] to [python.packages.needs-tinybuild] (add the entry if needs-tinybuild is only a dependency)',
  );
  assert.match(explainMissingBuildSystem({ derivation: 'x-2.0', log: ["ModuleNotFoundError: No module named 'poetry.core'"] }) ?? '', /build_systems = \["poetry-core"\]/);
  assert.equal(explainMissingBuildSystem({ derivation: 'x-2.0', log: ['error: something else'] }), undefined);
});
