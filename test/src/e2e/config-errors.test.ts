import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempProject } from '../support/cli.js';

const build = (toml: string) => {
  const cwd = tempProject(toml);
  return { cwd, ...runCli(['build', 'flake'], { cwd }) };
};
const noStackTrace = (stderr: string) => assert.doesNotMatch(stderr, /\n\s+at .*\(.*:\d+:\d+\)/);

test('a top-level scalar is a clean exit-65 error with its position (the original panics)', () => {
  const r = build('foo = 1\n[nixpkgs]\npackages = []\n');
  assert.equal(r.code, 65, r.stderr);
  assert.match(r.stderr, /anysnake2\.toml:1:1: foo: is a value at the top level/);
  assert.match(r.stderr, /hint: move `foo = …` into the \[section\]/);
  noStackTrace(r.stderr);
  assert.equal(existsSync(join(r.cwd, '.anysnake2_flake', 'flake.nix')), false, 'nothing is written for a bad config');
});

test('TOML syntax errors name file:line:column', () => {
  const r = build('[nixpkgs]\npackages = ["a",\n');
  assert.equal(r.code, 65);
  assert.match(r.stderr, /anysnake2\.toml:3:\d+: TOML syntax error/);
  noStackTrace(r.stderr);
});

test('all problems are reported at once, each with line:column, TOML path and hint', () => {
  const r = build(
    [
      '[nixpkgs]',
      'packages = ["hello", 7]',
      'allow_unfree = "yes"',
      '',
      '[python]',
      'version = "3.12.1"',
      '[python.packages]',
      'dppd = { url = "github:/TyberiusPrime/dppd", version = "1" }',
      'numba = { preferWheel = true }',
      '',
      '[R]',
      'packages = ["ACA"]',
      '[R.additional_packages]',
      'kedd = "{ }"',
    ].join('\n'),
  );
  assert.equal(r.code, 65, r.stderr);
  assert.match(r.stderr, /the config has \d+ problems/);
  assert.match(r.stderr, /anysnake2\.toml:2:22: nixpkgs\.packages\[1\]: expected a string, found the number 7/);
  assert.match(r.stderr, /anysnake2\.toml:3:1: nixpkgs\.allow_unfree: expected true or false, found the string "yes"/);
  assert.match(r.stderr, /anysnake2\.toml:6:1: python\.version: must be major\.minor/);
  assert.match(r.stderr, /python\.packages\.numba\.preferWheel: is not a valid key here\n\s+hint: did you mean override_attrs\.preferWheel\?/);
  assert.doesNotMatch(r.stderr, /numba: expected/, 'the union failure is explained by the table variant only');
  assert.match(r.stderr, /python\.packages\.dppd: has both url and version/);
  assert.match(r.stderr, /python\.packages\.dppd\.url: github: urls must start with the repo/);
  assert.match(r.stderr, /R\.additional_packages\.kedd: must be named "<package>_<version>"/);
  noStackTrace(r.stderr);
});

test('unknown keys warn with a did-you-mean suggestion and are ignored', () => {
  const r = build('[nixpkgs]\npakages = ["hello"]\n\n[container]\nhome_dir = "/tmp"\n');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /anysnake2\.toml:2:1: warning: nixpkgs\.pakages: is not a known key and is ignored \(did you mean packages\?\)/);
  assert.match(r.stderr, /container\.home_dir: is not a known key and is ignored \(did you mean home\?\)/);
});

test('a section no plugin owns fails naming the plugin to install', () => {
  const r = build('[hello]\npackage = "hello"\n');
  assert.equal(r.code, 65);
  assert.match(r.stderr, /anysnake2\.toml:1:1: hello: no installed plugin handles the section \[hello\]/);
  assert.match(r.stderr, /anysnake2 plugins install anysnake2-plugin-hello/);
  const typo = build('[nixpgks]\nurl = "github:NixOS/nixpkgs"\n');
  assert.match(typo.stderr, /did you mean \[nixpkgs\]\?/);
});

test('the spellings the original README documents are accepted with a one-line deprecation notice', () => {
  const r = build(
    [
      '[container]',
      'dtach = false',
      '[devshell]',
      'inputs = ["hello"]',
      'shell = "fish"',
      '[poetry2nix]',
      'prefer_wheels = false',
      '[flakes.hello]',
      'url = "github:TyberiusPrime/hello_flake/main"',
      'rev = "f32e7e451e9463667f6a1ddb7a662ec70d35144b"',
      '[env]',
      'X = "1"',
    ].join('\n'),
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /anysnake2\.toml:2:1: deprecated: container\.dtach: is the old spelling of anysnake2\.dtach/);
  assert.match(r.stderr, /anysnake2\.toml:3:1: deprecated: devshell: is the old spelling of dev_shell: rename it \(still accepted\)\n/);
  assert.match(r.stderr, /deprecated: poetry2nix\.prefer_wheels: is the old spelling of uv2nix\.prefer_wheels/);
  assert.match(r.stderr, /deprecated: flakes\.hello\.rev: is the 1\.x spelling of the revision in url/);
  assert.match(r.stderr, /warning: env: has no effect and is ignored: container environment variables belong in \[container\.env\]/);
  const flake = readFileSync(join(r.cwd, '.anysnake2_flake', 'flake.nix'), 'utf8');
  assert.match(flake, /hello/, 'the devshell input arrived under its new name');
});

test("the poetry2nix era's nativeBuildInputs is accepted as build_systems, with a notice", () => {
  const cwd = tempProject(
    ['[python]', 'version = "3.11"', 'ecosystem_date = "2024-08-09"', '[python.packages]', "session-info = {poetry2nix.nativeBuildInputs=['setuptools']}"].join('\n'),
  );
  const r = runCli(['check'], { cwd });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /anysnake2\.toml:5:17: deprecated: python\.packages\.session-info\.poetry2nix\.nativeBuildInputs: is the poetry2nix-era spelling of build_systems/);
});

test('raw Nix keys that would break out of their expression are rejected at load time', () => {
  const r = build('[nixpkgs]\npackages = ["(foo) ; x = (bar", "fish"]\noverlay = "final: prev: {"\n');
  assert.equal(r.code, 65);
  assert.match(r.stderr, /nixpkgs\.packages\[0\]: is not exactly one Nix expression/);
  assert.match(r.stderr, /nixpkgs\.overlay: is not exactly one Nix expression: missing '\}'/);
});

test('dates must be strings', () => {
  const r = build('[python]\nversion = "3.12"\necosystem_date = 2024-08-09\n');
  assert.equal(r.code, 65);
  assert.match(r.stderr, /anysnake2\.toml:3:1: python\.ecosystem_date: must be a date written as "YYYY-MM-DD"\n\s+hint: dates must be written as strings/);
});

test('a [cmd.X] with a built-in name is warned about: it can never run', () => {
  const r = build('[cmd.build]\nrun = "make"\n');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /anysnake2\.toml:1:1: warning: cmd\.build: can never run: `anysnake2 build` is a built-in command; rename it/);
});
