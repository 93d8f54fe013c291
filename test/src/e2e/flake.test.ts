/** `anysnake2 build flake`: deterministic output, write-only-on-change, git, real Nix parse/lock/eval. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { FIXTURES, runCli, tempProject } from '../support/cli.js';
import { NIX_FLAGS, nixEnv, nixParses } from '../support/nix.js';

const CONFIG = `
[nixpkgs]
allow_unfree = true
overlay = "final: prev: { lzma = \\"xz-from-overlay\\"; }"
packages = ["hello", "(python3.withPackages (ps: [ps.pip]))", "rust-bin.nightly.\\"2020-01-01\\".default", "coreutils"]
permitted_insecure_packages = ["openssl-1.1.1w", "python-2.7.18.8"]
url = "github:NixOS/nixpkgs/master/24.05"

[flake-util]
url = "github:numtide/flake-utils/main/11707dc2f618dd54ca8739b309ec4fc024de578b"

[dev_shell]
inputs = ["python3Packages.black"]
`;

const flakeDir = (cwd: string) => join(cwd, '.anysnake2_flake');
const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd: flakeDir(cwd), encoding: 'utf8' });

test('same config → byte-identical flake in any directory', () => {
  const a = tempProject(CONFIG);
  const b = tempProject(CONFIG);
  assert.equal(runCli(['build', 'flake'], { cwd: a }).code, 0);
  assert.equal(runCli(['build', 'flake'], { cwd: b, env: { TZ: 'Asia/Tokyo', LANG: 'de_DE.UTF-8' } }).code, 0);
  for (const file of ['flake.nix', 'functions.nix', '.gitignore']) assert.equal(readFileSync(join(flakeDir(a), file), 'utf8'), readFileSync(join(flakeDir(b), file), 'utf8'), file);
});

test('the flake carries the nixpkgs part of the config', () => {
  const cwd = tempProject(CONFIG);
  const r = runCli(['build', 'flake'], { cwd });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /wrote \.anysnake2_flake\/\.gitignore, \.anysnake2_flake\/flake\.nix, \.anysnake2_flake\/functions\.nix/);
  const flake = readFileSync(join(flakeDir(cwd), 'flake.nix'), 'utf8');
  assert.match(flake, /url = "github:NixOS\/nixpkgs\/24\.05";/);
  assert.match(flake, /url = "github:numtide\/flake-utils\/11707dc2f618dd54ca8739b309ec4fc024de578b";/);
  assert.match(flake, /allowUnfree = true;/);
  assert.match(flake, /permittedInsecurePackages = \[\n\s+"openssl-1\.1\.1w"\n\s+"python-2\.7\.18\.8"\n\s+\];/);
  assert.match(flake, /\(python3\.withPackages \(ps: \[ps\.pip\]\)\)/);
  assert.match(flake, /\(rust-bin\.nightly\."2020-01-01"\.default\)/);
  assert.match(flake, /\(final: prev: \{ lzma = "xz-from-overlay"; \}\)/);
  assert.match(flake, /python3Packages\.black/);
  // coreutils is always there and de-duplicated
  assert.equal(flake.match(/^\s+coreutils$/gm)?.length, 1);
  const parsed = nixParses(join(flakeDir(cwd), 'flake.nix'));
  assert.ok(parsed.ok, parsed.stderr);
});

test('files are committed in the flake dir, rewritten only when changed', () => {
  const cwd = tempProject(CONFIG);
  runCli(['build', 'flake'], { cwd });
  assert.equal(git(cwd, 'status', '--porcelain'), '');
  const commits = git(cwd, 'rev-list', '--count', 'HEAD').trim();
  const mtime = statSync(join(flakeDir(cwd), 'flake.nix')).mtimeMs;
  const again = runCli(['build', 'flake'], { cwd });
  assert.equal(again.code, 0);
  assert.match(again.stderr, /flake\.nix is up to date/);
  assert.equal(statSync(join(flakeDir(cwd), 'flake.nix')).mtimeMs, mtime);
  assert.equal(git(cwd, 'rev-list', '--count', 'HEAD').trim(), commits);
  assert.deepEqual(git(cwd, 'ls-files').trim().split('\n').sort(), ['.gitignore', 'flake.nix', 'functions.nix']);
});

test('nix flake lock succeeds offline with nixpkgs and flake-utils overridden to local fixtures, and the config reaches pkgs', () => {
  const cwd = tempProject(CONFIG);
  assert.equal(runCli(['build', 'flake'], { cwd }).code, 0);
  const overrides = ['--override-input', 'nixpkgs', `path:${join(FIXTURES, 'mini-nixpkgs')}`, '--override-input', 'flake-utils', `path:${join(FIXTURES, 'flake-utils')}`];
  execFileSync('nix', [...NIX_FLAGS, 'flake', 'lock', `path:${flakeDir(cwd)}`, ...overrides], { env: nixEnv(), stdio: 'pipe' });
  const lock = JSON.parse(readFileSync(join(flakeDir(cwd), 'flake.lock'), 'utf8'));
  assert.deepEqual(Object.keys(lock.nodes.root.inputs).sort(), ['flake-utils', 'nixpkgs']);
  const evaluated = execFileSync(
    'nix',
    [
      ...NIX_FLAGS,
      'eval',
      '--json',
      `path:${flakeDir(cwd)}#legacyPackages.x86_64-linux`,
      '--apply',
      'pkgs: { inherit (pkgs.config) allowUnfree permittedInsecurePackages; lzma = pkgs.lzma; pkgconfigAlias = pkgs ? pkgconfig; }',
    ],
    { env: nixEnv(), encoding: 'utf8' },
  );
  assert.deepEqual(JSON.parse(evaluated), {
    allowUnfree: true,
    permittedInsecurePackages: ['openssl-1.1.1w', 'python-2.7.18.8'],
    lzma: 'xz-from-overlay',
    pkgconfigAlias: true,
  });
});
