/**
 * Rewriting anysnake2.toml (pinning) changes its content only: the mode and owner stay, a symlink
 * stays a symlink and its target is updated (atomically, in the target's directory), and temp
 * files an interrupted rewrite left behind are removed by the next run — only the stale ones.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, tempProject } from '../support/cli.js';

const NOBODY = 65534;
const temps = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

test('a 0600 anysnake2.toml stays 0600 (and keeps its owner) when pinning rewrites it', () => {
  const cwd = tempProject('[nixpkgs]\n');
  const file = join(cwd, 'anysnake2.toml');
  chmodSync(file, 0o600);
  const root = process.getuid?.() === 0;
  if (root) chownSync(file, NOBODY, NOBODY);
  const r = runCli(['tofu'], { cwd });
  assert.equal(r.code, 0, r.stderr);
  assert.match(readFileSync(file, 'utf8'), /url = "github:NixOS\/nixpkgs\/master\/24\.11"/, 'it was rewritten');
  const after = statSync(file);
  assert.equal((after.mode & 0o7777).toString(8), '600');
  if (root) assert.deepEqual([after.uid, after.gid], [NOBODY, NOBODY], 'the owner is kept');
  assert.deepEqual(temps(cwd), []);
});

test('a symlinked anysnake2.toml stays a link; its real target (two links away) is rewritten in its own directory', () => {
  const cwd = tempProject();
  const shared = mkdtempSync(join(tmpdir(), 'as2-shared-config-'));
  mkdirSync(join(shared, 'real'));
  writeFileSync(join(shared, 'real', 'config.toml'), '[nixpkgs]\n');
  chmodSync(join(shared, 'real', 'config.toml'), 0o640);
  symlinkSync('real/config.toml', join(shared, 'hop.toml'));
  symlinkSync(join(shared, 'hop.toml'), join(cwd, 'anysnake2.toml'));
  const r = runCli(['tofu'], { cwd });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(lstatSync(join(cwd, 'anysnake2.toml')).isSymbolicLink(), 'the project link is still a link');
  assert.equal(readlinkSync(join(cwd, 'anysnake2.toml')), join(shared, 'hop.toml'));
  assert.ok(lstatSync(join(shared, 'hop.toml')).isSymbolicLink(), 'the middle link is still a link');
  assert.match(readFileSync(join(shared, 'real', 'config.toml'), 'utf8'), /url = "github:NixOS\/nixpkgs\/master\/24\.11"/);
  assert.equal((statSync(join(shared, 'real', 'config.toml')).mode & 0o777).toString(8), '640');
  for (const dir of [cwd, shared, join(shared, 'real')]) assert.deepEqual(temps(dir), [], dir);
});

test("stale .anysnake2.toml.*.tmp files are removed by the next run; a live writer's is left alone", () => {
  const cwd = tempProject('[nixpkgs]\n');
  assert.equal(runCli(['tofu'], { cwd }).code, 0, 'pinned: the next run rewrites nothing');
  // A pid that surely belongs to no process now: one that just ended.
  const dead = spawnSync('sh', ['-c', 'echo $$'], { encoding: 'utf8' }).stdout.trim();
  const ago = (seconds: number) => new Date(Date.now() - seconds * 1000);
  const make = (name: string, age: number) => {
    writeFileSync(join(cwd, name), 'half a config');
    utimesSync(join(cwd, name), ago(age), ago(age));
    return name;
  };
  const deadWriter = make(`.anysnake2.toml.${dead}.0123456789ab.tmp`, 60);
  const ancient = make(`.anysnake2.toml.${process.pid}.00000000000a.tmp`, 3600);
  const olderFormat = make('.anysnake2.toml.abcdef012345.tmp', 3600);
  const liveWriter = make(`.anysnake2.toml.${process.pid}.0123456789ab.tmp`, 60);
  // (A dead writer's file younger than 5 s is kept too: unit/fs-atomic checks that with a fixed clock,
  // since a CLI start on a loaded machine can take longer than that.)
  const otherFile = make(`.notes.txt.${dead}.0123456789ab.tmp`, 3600);
  const r = runCli(['tofu'], { cwd });
  assert.equal(r.code, 0, r.stderr);
  for (const gone of [deadWriter, ancient, olderFormat]) {
    assert.equal(existsSync(join(cwd, gone)), false, `${gone} is stale and should be gone`);
    assert.match(r.stderr, new RegExp(`removed \\S*${gone.replace(/\./g, '\\.')}, left behind by an interrupted write`));
  }
  for (const kept of [liveWriter, otherFile]) assert.ok(existsSync(join(cwd, kept)), `${kept} must stay`);
});
