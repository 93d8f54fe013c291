/**
 * Nix's failures as anysnake2.toml errors (issue 12 §3), against the real Nix and the fixture
 * nixpkgs: an unknown package or Python version names its key (65), a missing local path is caught
 * by `check`, an unreachable host is 75, a package that does not build is 100 with a command to
 * paste, and root without build users is explained before Nix runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { containerProject, fixtureUniverse, runCli, testEnv, type CliResult } from '../support/cli.js';
import { NIX_OFFLINE_CONFIG } from '../support/nix.js';
import { pythonProject, startPackageIndex } from '../support/pypi.js';

/** Each test its own cache directory, so what is cached is what this test caused. */
function freshCache(): string {
  return mkdtempSync(join(tmpdir(), 'as2-cache-'));
}

function build(cwd: string, cache: string, env: NodeJS.ProcessEnv = {}): CliResult {
  return runCli(['build', 'rootfs'], { cwd, env: { XDG_CACHE_HOME: cache, ...env } });
}

const namesDir = (cache: string) => join(cache, 'anysnake2', 'nixpkgs-names');

test('an unknown package in nixpkgs.packages is a config error at its line, with the closest name of the pinned nixpkgs; the names are cached', () => {
  const cache = freshCache();
  const cwd = containerProject('', ['hello', 'helo']);
  const r = build(cwd, cache);
  assert.equal(r.code, 65, r.stderr);
  const line =
    readFileSync(join(cwd, 'anysnake2.toml'), 'utf8')
      .split('\n')
      .findIndex((l) => l.includes('"helo"')) + 1;
  assert.match(r.stderr, new RegExp(`anysnake2\\.toml:${line}:\\d+: nixpkgs\\.packages\\[1\\]: no package "helo" in nixpkgs 24\\.05; did you mean hello\\?`));
  assert.doesNotMatch(r.stderr, /undefined variable|flake\.nix:\d+/);
  assert.equal(readdirSync(namesDir(cache)).length, 1, 'one cached list for this nixpkgs');

  // A typo in dev_shell.inputs is not part of the rootfs build: only the cached names can catch it
  // before `develop` — and they do, without asking Nix again.
  // (The first run pinned the file into its canonical form, which has a [dev_shell] table.)
  const toml = readFileSync(join(cwd, 'anysnake2.toml'), 'utf8').replace('"helo"', '"fixture-only"');
  assert.match(toml, /^\s*inputs = \[\]$/m);
  writeFileSync(join(cwd, 'anysnake2.toml'), toml.replace(/^(\s*)inputs = \[\]$/m, '$1inputs = ["hello", "fixture-onyl"]'));
  const shell = build(cwd, cache);
  assert.equal(shell.code, 65, shell.stderr);
  assert.match(shell.stderr, /dev_shell\.inputs\[1\]: no package "fixture-onyl" in nixpkgs 24\.05; did you mean fixture-only\?/);
  assert.doesNotMatch(shell.stderr, /building the container/);
});

test('develop: a dev_shell.inputs typo names its key before nix develop starts, with nothing cached; a good shell evaluates once per flake', () => {
  const cache = freshCache();
  const cwd = containerProject('[dev_shell]\ninputs = ["hello", "fixture-onyl"]\n', ['hello']);
  const r = runCli(['develop'], { cwd, env: { XDG_CACHE_HOME: cache } });
  assert.equal(r.code, 65, r.stderr);
  assert.match(r.stderr, /anysnake2\.toml:\d+:\d+: dev_shell\.inputs\[1\]: no package "fixture-onyl" in nixpkgs 24\.05; did you mean fixture-only\?/);
  assert.doesNotMatch(r.stderr, /undefined variable/);

  writeFileSync(join(cwd, 'anysnake2.toml'), readFileSync(join(cwd, 'anysnake2.toml'), 'utf8').replace('"fixture-onyl"', '"fixture-only"'));
  const good = runCli(['develop'], { cwd, env: { XDG_CACHE_HOME: cache } });
  assert.equal(good.code, 0, good.stderr);
  const state = join(cwd, '.anysnake2_flake', '.dev_shell_state.json');
  assert.ok(existsSync(state));
});

test('a project that builds asks Nix for no names and caches nothing', () => {
  const cache = freshCache();
  const r = build(containerProject('', ['hello']), cache);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(existsSync(namesDir(cache)), false);
});

test('a python.version the pinned nixpkgs lacks is a config error listing the versions it has', async () => {
  const index = await startPackageIndex();
  try {
    const cwd = pythonProject(['[python]', 'version = "3.99"', 'ecosystem_date = "2024-08-09"', '[python.packages]', 'fixture-cli = ""'].join('\n'));
    const r = runCli(['build', 'rootfs'], { cwd, env: { ...index.env, XDG_CACHE_HOME: freshCache() } });
    assert.equal(r.code, 65, r.stderr);
    assert.match(r.stderr, /anysnake2\.toml:\d+:\d+: python\.version: nixpkgs 24\.05 has no Python 3\.99 \(no attribute python399\)/);
    assert.match(r.stderr, /hint: the Python versions of this nixpkgs: 3\.11;/);
    assert.doesNotMatch(r.stderr, /attribute 'python399' missing/);
  } finally {
    index.close();
  }
});

test('a misspelled local path in a url is caught by check, with its position and the closest existing name', () => {
  const u = fixtureUniverse();
  const cwd = containerProject();
  const toml = readFileSync(join(cwd, 'anysnake2.toml'), 'utf8').replace(`${u}/flake-utils"`, `${u}/flake-utilz"`);
  writeFileSync(join(cwd, 'anysnake2.toml'), `${toml}\n[clones.code]\nrepo = "git+file://${u}/no-such-repo"\n`);
  const r = runCli(['check'], { cwd });
  assert.equal(r.code, 65, r.stderr);
  assert.match(r.stderr, new RegExp(`anysnake2\\.toml:\\d+:\\d+: flake-util\\.url: the local path ${u}/flake-utilz does not exist`));
  assert.match(r.stderr, /did you mean .*\/flake-utils\?/);
  assert.match(r.stderr, /clones\.code\.repo: the local path .*\/no-such-repo does not exist/);
  assert.doesNotMatch(r.stderr, /getting status of/);
});

/** Unreachable hosts fail at once: one download attempt (Nix retries 5 times by default). */
const oneAttempt = { NIX_CONFIG: `${NIX_OFFLINE_CONFIG}\ndownload-attempts = 1` };

test('a network failure in nix flake lock is exit 75', () => {
  const u = fixtureUniverse();
  // The local git host answers ls-remote for github:NixOS/nixpkgs, but Nix fetches GitHub tarballs over HTTPS: unreachable here.
  const cwd = containerProject();
  const toml = readFileSync(join(cwd, 'anysnake2.toml'), 'utf8').replace(`url = "${u}/mini-nixpkgs"`, 'url = "github:NixOS/nixpkgs"');
  writeFileSync(join(cwd, 'anysnake2.toml'), toml);
  const r = build(cwd, freshCache(), oneAttempt);
  assert.equal(r.code, 75, r.stderr);
  assert.match(r.stderr, /nix flake lock failed/);
  assert.match(r.stderr, /Couldn't resolve host|unable to download/);
  assert.match(r.stderr, /check the network and proxy settings/);
});

test('a download that fails during nix build is exit 75, not a build failure', () => {
  const fetch = '(fetchurl { url = "http://nonexistent.invalid/source.tar.gz"; sha256 = "0000000000000000000000000000000000000000000000000000"; })';
  const r = build(containerProject('', ['hello', fetch]), freshCache(), oneAttempt);
  assert.equal(r.code, 75, r.stderr);
  assert.match(r.stderr, /nix build could not download source\.tar\.gz/);
});

test('a package that fails to build: exit 100, the derivation, its log tail, and a rerun command that works when pasted', () => {
  const broken = '(runCommand "broken-pkg" { } "echo compiling; echo the real error >&2; exit 3")';
  const cwd = containerProject('', ['hello', broken]);
  const r = build(cwd, freshCache());
  assert.equal(r.code, 100, r.stderr);
  assert.match(r.stderr, /error: a package failed to build: broken-pkg/);
  assert.match(r.stderr, /last \d+ log lines of broken-pkg:\n(.*\n)*\s+> the real error/);
  const log = /hint: the whole build log: (nix .* log \/nix\/store\/[a-z0-9]{32}-broken-pkg\.drv)$/m.exec(r.stderr)?.[1];
  assert.ok(log, r.stderr);
  const shown = spawnSync('bash', ['-c', `exec ${log}`], { cwd: tmpdir(), env: testEnv(), encoding: 'utf8', timeout: 120_000, killSignal: 'SIGKILL' });
  assert.equal(shown.status, 0, shown.stderr);
  assert.equal(shown.stdout, 'compiling\nthe real error\n');
  const rerun = /hint: to build it again and watch its log: (nix .*)$/m.exec(r.stderr)?.[1];
  assert.ok(rerun, r.stderr);
  assert.doesNotMatch(rerun, /internal-json|--out-link/);
  const pasted = spawnSync('bash', ['-c', `exec ${rerun}`], { cwd: tmpdir(), env: testEnv(), encoding: 'utf8', timeout: 300_000, killSignal: 'SIGKILL' });
  assert.notEqual(pasted.status, 0, pasted.stderr);
  assert.match(pasted.stderr, /broken-pkg> the real error/);
  assert.match(pasted.stderr, /builder for '.*-broken-pkg\.drv' failed with exit code 3/);
});

// Debian's nix-bin as root before its build users exist; only where that is the situation.
const rootWithoutNixbld = process.getuid?.() === 0 && spawnSync('getent', ['group', 'nixbld']).status !== 0;
test('root with build-users-group = nixbld and no such group: exit 69 with the exact fix, before Nix builds anything', {
  skip: !rootWithoutNixbld && 'needs root without a nixbld group',
}, () => {
  const nixConfig = NIX_OFFLINE_CONFIG.split('\n')
    .filter((line) => !line.startsWith('build-users-group'))
    .join('\n');
  const cwd = containerProject();
  const r = build(cwd, freshCache(), { NIX_CONFIG: nixConfig });
  assert.equal(r.code, 69, r.stderr);
  assert.match(r.stderr, /Nix cannot build as root here: build-users-group is 'nixbld', but that group does not exist/);
  assert.match(
    r.stderr,
    /hint: create the group and its users: groupadd -r nixbld && .*useradd .* — or, for a single-user install, put 'build-users-group =' into \/etc\/nix\/nix\.conf/,
  );
  assert.doesNotMatch(r.stderr, /building the container/);
});
