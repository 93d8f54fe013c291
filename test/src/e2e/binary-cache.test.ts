/**
 * `build rootfs --push` (issue 14 §2): the closure goes to a `file://` binary cache, signed with the
 * key `[nix] signing_key` names; a second, empty store then gets the same rootfs from the cache
 * only, with signatures checked — and refuses it when it trusts another key.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { containerProject, runCli, tempProject, testEnv } from '../support/cli.js';

const NIX = ['--extra-experimental-features', 'nix-command flakes'];
const nix = (args: string[], input?: string) => spawnSync('nix', [...NIX, ...args], { encoding: 'utf8', env: testEnv(), input, timeout: 300_000, killSignal: 'SIGKILL' });

function keyPair(dir: string, name: string): { secret: string; publicKey: string } {
  const secret = join(dir, `${name}.secret`);
  const generated = nix(['key', 'generate-secret', '--key-name', name]);
  assert.equal(generated.status, 0, generated.stderr);
  writeFileSync(secret, generated.stdout, { mode: 0o600 });
  const pub = nix(['key', 'convert-secret-to-public'], generated.stdout);
  assert.equal(pub.status, 0, pub.stderr);
  return { secret, publicKey: pub.stdout.trim() };
}

test('build rootfs --push signs the closure into a file:// cache; an empty store gets it from there only with the right key', () => {
  const work = mkdtempSync(join(tmpdir(), 'as2-cache-'));
  const { secret, publicKey } = keyPair(work, 'anysnake2-test-1');
  const cache = join(work, 'cache');
  const cwd = containerProject(`[nix]\ncache = "file://${cache}"\nsigning_key = "${secret}"\n`);
  const r = runCli(['build', 'rootfs', '--push', '--json'], { cwd });
  assert.equal(r.code, 0, r.stderr);
  const built = JSON.parse(r.stdout) as { storePath: string; pushedTo: string; signed: boolean };
  assert.equal(built.pushedTo, `file://${cache}`);
  assert.equal(built.signed, true);
  const hash = built.storePath.slice('/nix/store/'.length, '/nix/store/'.length + 32);
  const narinfo = readFileSync(join(cache, `${hash}.narinfo`), 'utf8');
  assert.match(narinfo, /^Sig: anysnake2-test-1:/m);

  // A second store, empty: the rootfs comes from the cache, every path's signature checked.
  const store = join(work, 'second-store');
  const copied = nix(['copy', '--from', `file://${cache}`, '--to', store, built.storePath, '--option', 'trusted-public-keys', publicKey]);
  assert.equal(copied.status, 0, copied.stderr);
  assert.ok(existsSync(join(store, built.storePath, 'rootfs', 'bin')), 'the rootfs is in the second store');
  const verified = nix(['store', 'verify', '--store', store, '--recursive', '--sigs-needed', '1', built.storePath, '--option', 'trusted-public-keys', publicKey]);
  assert.equal(verified.status, 0, verified.stderr);

  // Trusting another key, the same copy is refused.
  const other = keyPair(work, 'someone-else-1');
  const refused = nix(['copy', '--from', `file://${cache}`, '--to', join(work, 'third-store'), built.storePath, '--option', 'trusted-public-keys', other.publicKey]);
  assert.notEqual(refused.status, 0);
  assert.match(refused.stderr, /lacks a valid signature/);
});

test('--push without [nix] cache is 64; a bad cache url is 65 with its line', () => {
  const cwd = containerProject('');
  const r = runCli(['build', 'rootfs', '--push'], { cwd });
  assert.equal(r.code, 64, r.stderr);
  assert.match(r.stderr, /--push needs a binary cache/);
  const bad = tempProject('[nix]\ncache = "/shared/cache"\n');
  const checked = runCli(['check'], { cwd: bad });
  assert.equal(checked.code, 65, checked.stderr);
  assert.match(checked.stderr, /anysnake2\.toml:2:1: nix\.cache: is not a binary cache url/);
});
