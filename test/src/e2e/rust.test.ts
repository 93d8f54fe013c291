/**
 * The Rust plugin end to end, offline: the rust-overlay stand-in (test/fixtures/rust-overlay) is the
 * flake input, its overlay gives `rust-bin.stable."<v>".minimal.override { extensions }`, real Nix
 * builds the rootfs and the container (bubblewrap) runs the toolchain's stand-in binaries.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { explainRustOverlayMismatch } from '@anysnake2/plugin-rust/dist/build-failures.js';
import { containerProject, fixtureUniverse, runCli } from '../support/cli.js';

/** The rust-overlay stand-in, copied into the universe by prepare-universe.sh (its nixpkgs input rewritten to the sibling). */
const rustOverlay = (): string => join(fixtureUniverse(), 'rust-overlay');

function rustProject(rust: string, packages: string[] = ['hello']): string {
  return containerProject(['[rust]', `url = "${rustOverlay()}"`, rust, ''].join('\n'), packages);
}

const VERSIONS = 'cargo --version; rustc --version; rustfmt --version; cargo clippy --version; cargo fmt --version; cc --version';

test('[rust] version = "1.80.0": cargo, rustc, rustfmt and clippy of 1.80.0 and a cc in the container', () => {
  const cwd = rustProject('version = "1.80.0"');
  const run = runCli(['run', '--', 'bash', '-c', VERSIONS], { cwd });
  assert.equal(run.code, 0, run.stderr);
  assert.deepEqual(run.stdout.trim().split('\n'), [
    'cargo 1.80.0 (376290515 2024-07-16)',
    'rustc 1.80.0 (051478957 2024-07-21)',
    'rustfmt 1.7.0-stable (05147895 2024-07-21)',
    'clippy 0.1.80 (0514789 2024-07-21)',
    'rustfmt 1.7.0-stable (05147895 2024-07-21)',
    'cc (anysnake2 fixture stand-in for stdenv.cc)',
  ]);
  const flake = readFileSync(join(cwd, '.anysnake2_flake', 'flake.nix'), 'utf8');
  assert.match(flake, /rust-overlay = \{\n\s+url = "path:[^"]+\/rust-overlay";\n\s+inputs\.nixpkgs\.follows = "nixpkgs";/);
  assert.match(flake, /\(import rust-overlay\)/);
  assert.match(flake, /rust_toolchain = pkgs\.rust-bin\.stable\."1\.80\.0"\.minimal\.override \{\n\s+extensions = \[\n\s+"rustfmt"\n\s+"clippy"\n\s+\];/);
  assert.doesNotMatch(flake, /rust-src/, 'rust-src only for evcxr');
  // minimal profile: no documentation in the rootfs.
  const docs = runCli(['run', '--', 'bash', '-c', 'test -e /usr/share/doc/rust && echo docs || echo no-docs'], { cwd });
  assert.equal(docs.stdout.trim(), 'no-docs', docs.stderr);
});

test('a missing [rust] version is pinned to the newest stable of the pinned rust-overlay and written back', () => {
  const cwd = rustProject('');
  const tofu = runCli(['tofu'], { cwd });
  assert.equal(tofu.code, 0, tofu.stderr);
  const toml = readFileSync(join(cwd, 'anysnake2.toml'), 'utf8');
  assert.match(toml, /^\[rust\]\n\turl = "[^"]+"\n\tversion = "1\.81\.0"$/m);
  const run = runCli(['run', '--', 'rustc', '--version'], { cwd });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(run.stdout.trim(), 'rustc 1.81.0 (eeb90cda1 2024-09-04)');
  // Pinned now: a second tofu changes nothing.
  assert.equal(runCli(['tofu'], { cwd }).code, 0);
  assert.equal(readFileSync(join(cwd, 'anysnake2.toml'), 'utf8'), toml);
});

test('a version the pinned rust-overlay lacks is a config error (65) naming its newest and nearby versions, before any build', () => {
  const newer = rustProject('version = "1.99.0"');
  const result = runCli(['run', '--', 'true'], { cwd: newer });
  assert.equal(result.code, 65, result.stderr);
  assert.match(
    result.stderr,
    /anysnake2\.toml:\d+:\d+: rust\.version: rust-overlay \/\S+ has no stable Rust 1\.99\.0; its newest is 1\.81\.0, nearby: 1\.79\.0, 1\.80\.0, 1\.80\.1, 1\.81\.0/,
  );
  assert.match(result.stderr, /hint: Rust 1\.99\.0 is newer than this rust-overlay/);
  assert.doesNotMatch(result.stderr, /building|attribute .* missing|at Object|\.ts:\d+/);
  assert.equal(existsSync(join(newer, '.anysnake2_flake', 'result')), false);

  const between = rustProject('version = "1.80.5"');
  const typo = runCli(['build', 'flake'], { cwd: between });
  assert.equal(typo.code, 65, typo.stderr);
  assert.match(typo.stderr, /has no stable Rust 1\.80\.5; its newest is 1\.81\.0/);
  assert.match(typo.stderr, /hint: set version to one of the versions it has/);
});

test('evcxr in nixpkgs.packages adds rust-src to the toolchain', () => {
  const cwd = rustProject('version = "1.80.1"', ['evcxr', 'hello']);
  const result = runCli(['build', 'flake'], { cwd });
  assert.equal(result.code, 0, result.stderr);
  const flake = readFileSync(join(cwd, '.anysnake2_flake', 'flake.nix'), 'utf8');
  assert.match(flake, /stable\."1\.80\.1"\.minimal\.override \{\n\s+extensions = \[\n\s+"rustfmt"\n\s+"clippy"\n\s+"rust-src"\n\s+\];/);
});

test('a [rust] url that is not rust-overlay says so', () => {
  const u = fixtureUniverse();
  const cwd = rustProject('');
  const toml = join(cwd, 'anysnake2.toml');
  writeFileSync(toml, readFileSync(toml, 'utf8').replace(/url = "[^"]*rust-overlay"/, `url = "${u}/hello-flake"`));
  const result = runCli(['tofu'], { cwd });
  assert.notEqual(result.code, 0);
  assert.match(result.stderr, /rust\.version: .*rust\.url: \S+hello-flake does not look like rust-overlay: it has no manifests\/stable\/default\.nix/);
  assert.match(result.stderr, /hint: point \[rust\] url at github:oxalica\/rust-overlay/);
});

test('rust-overlay / nixpkgs mismatches in build logs are explained', () => {
  const tooOld = explainRustOverlayMismatch({
    derivation: 'rust-minimal-1.81.0',
    log: ['error: linking with `cc` failed', '/nix/store/x-rustc-1.81.0/nix-support/darwin-sdk-setup.bash: No such file or directory'],
  });
  assert.match(tooOld ?? '', /rust-overlay is older than the nixpkgs/);
  const tooNew = explainRustOverlayMismatch({
    derivation: 'rust-minimal-1.81.0',
    log: ["error: anonymous function at /nix/store/y-source/lib/mk-component-set.nix:2:1 called without required argument 'bintools'"],
  });
  assert.match(tooNew ?? '', /too new for the nixpkgs/);
  assert.equal(explainRustOverlayMismatch({ derivation: 'hello-2.12', log: ['error: cannot coerce a set to a string'] }), undefined);
  assert.equal(explainRustOverlayMismatch({ derivation: 'rust-minimal-1.81.0', log: ['error: something else'] }), undefined);
});

test("a changed [rust] version spawns no second `nix eval`: the pinned revision's versions are kept", () => {
  // rust-overlay as a git repository at a pinned revision (a path: source is read every time).
  const overlay = mkdtempSync(join(tmpdir(), 'as2-rust-overlay-git-'));
  cpSync(rustOverlay(), overlay, { recursive: true });
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@localhost', ...args], { cwd: overlay, encoding: 'utf8' }).trim();
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'overlay');
  const url = `git+file://${overlay}?rev=${git('rev-parse', 'HEAD')}`;
  // A nix that records the overlay reads (they carry ANYSNAKE2_RUST_OVERLAY), then runs the real one.
  const bin = mkdtempSync(join(tmpdir(), 'as2-recnix-'));
  const calls = join(bin, 'calls');
  const realNix = execFileSync('sh', ['-c', 'command -v nix'], { encoding: 'utf8' }).trim();
  writeFileSync(join(bin, 'nix'), `#!/bin/sh\n[ -n "$ANYSNAKE2_RUST_OVERLAY" ] && echo "$1" >> '${calls}'\nexec '${realNix}' "$@"\n`);
  chmodSync(join(bin, 'nix'), 0o755);
  const dataDir = mkdtempSync(join(tmpdir(), 'as2-data-'));
  const env = { PATH: `${bin}:${process.env.PATH}`, ANYSNAKE2_DATA_DIR: dataDir };
  const count = () => (existsSync(calls) ? readFileSync(calls, 'utf8').split('\n').filter(Boolean).length : 0);

  const cwd = containerProject(['[rust]', `url = "${url}"`, 'version = "1.80.0"', ''].join('\n'));
  const first = runCli(['build', 'flake'], { cwd, env });
  assert.equal(first.code, 0, first.stderr);
  assert.equal(count(), 1, "the first build reads the overlay's versions");
  const config = join(cwd, 'anysnake2.toml');
  writeFileSync(config, readFileSync(config, 'utf8').replace('version = "1.80.0"', 'version = "1.81.0"'));
  const changed = runCli(['build', 'flake'], { cwd, env });
  assert.equal(changed.code, 0, changed.stderr);
  assert.match(readFileSync(join(cwd, '.anysnake2_flake', 'flake.nix'), 'utf8'), /stable\."1\.81\.0"/);
  assert.equal(count(), 1, 'the changed version is checked against the kept versions');
  // A version the revision lacks is still refused, from the kept list.
  writeFileSync(config, readFileSync(config, 'utf8').replace('version = "1.81.0"', 'version = "1.99.0"'));
  const missing = runCli(['build', 'flake'], { cwd, env });
  assert.equal(missing.code, 65, missing.stderr);
  assert.match(missing.stderr, /has no stable Rust 1\.99\.0; its newest is 1\.81\.0/);
  assert.equal(count(), 1);
  assert.equal(readdirSync(join(dataDir)).length > 0, true, 'kept in the data folder, not the project');
});
