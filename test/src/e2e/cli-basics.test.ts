import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, runCli, tempProject } from '../support/cli.js';

const version = JSON.parse(readFileSync(join(REPO, 'core', 'package.json'), 'utf8')).version as string;

test('--version, -V and version print the version', () => {
  const cwd = tempProject();
  for (const args of [['--version'], ['-V'], ['version']]) {
    const r = runCli(args, { cwd });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout.trim(), `anysnake2 ${version}`);
  }
});

test('--help and help list the built-in commands', () => {
  const cwd = tempProject();
  for (const args of [['--help'], ['help']]) {
    const r = runCli(args, { cwd });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /build +Build parts of the environment/);
    assert.match(r.stdout, /config +Print an example anysnake2\.toml/);
    assert.match(r.stdout, /plugins/);
  }
});

test('help build lists build flake', () => {
  const r = runCli(['help', 'build'], { cwd: tempProject() });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /build flake +Write \.anysnake2_flake\/flake\.nix/);
});

test('config lists the examples; unknown names are usage errors', () => {
  const cwd = tempProject();
  const list = runCli(['config'], { cwd });
  assert.equal(list.code, 0);
  assert.match(list.stdout, /minimal/);
  assert.match(list.stdout, /basic/);
  assert.match(list.stdout, /full/);
  const bad = runCli(['config', 'huge'], { cwd });
  assert.equal(bad.code, 64);
  assert.doesNotMatch(bad.stderr, /\n\s+at /);
});

test('a missing config exits 66 with the touch hint', () => {
  const cwd = tempProject();
  const r = runCli(['build', 'flake'], { cwd });
  assert.equal(r.code, 66, r.stderr);
  assert.match(r.stderr, /anysnake2\.toml/);
  assert.match(r.stderr, /touch anysnake2\.toml/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  const explicit = runCli(['-c', 'other.toml', 'build', 'flake'], { cwd });
  assert.equal(explicit.code, 66);
  assert.match(explicit.stderr, /other\.toml/);
});

test('an empty config is valid', () => {
  const cwd = tempProject('');
  const r = runCli(['build', 'flake'], { cwd });
  assert.equal(r.code, 0, r.stderr);
  assert.match(readFileSync(join(cwd, '.anysnake2_flake', 'flake.nix'), 'utf8'), /github:NixOS\/nixpkgs/);
});

test('an unknown command fails listing the commands of the config', () => {
  const cwd = tempProject('[cmd.shell]\nrun = "fish"\n\n[cmd.test]\nrun = "true"\n');
  const r = runCli(['nope'], { cwd });
  assert.equal(r.code, 64, r.stderr);
  assert.match(r.stderr, /unknown command 'nope'/);
  assert.match(r.stderr, /shell, test/);
  assert.match(r.stderr, /build flake/);
});

test('a bare anysnake2 looks for [cmd.default]', () => {
  const cwd = tempProject('[nixpkgs]\npackages = []\n');
  const r = runCli([], { cwd });
  assert.equal(r.code, 64, r.stderr);
  assert.match(r.stderr, /unknown command 'default'/);
});

test('global options may precede the command, as in anysnake2 2.x', () => {
  const cwd = tempProject();
  const r = runCli(['-c', 'missing.toml', 'build', 'flake'], { cwd });
  assert.equal(r.code, 66);
  assert.match(r.stderr, /missing\.toml/);
});
