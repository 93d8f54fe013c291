/**
 * Long work without a terminal (CI, nohup) prints plain progress lines with the elapsed time, and
 * --verbose streams Nix's build log as it happens (issue 16).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { containerProject, runCli } from '../support/cli.js';

test('without a terminal: progress lines with the elapsed time; --verbose streams the build log', () => {
  // A derivation that says something while it builds; the nonce makes it new for this run.
  const marker = `as2-build-log-${randomBytes(6).toString('hex')}`;
  const overlay = `final: prev: { loud = prev.runCommand "loud" { } "echo ${marker}; mkdir -p $out/bin"; }`;
  const cwd = containerProject('', ['hello', 'loud']);
  const config = join(cwd, 'anysnake2.toml');
  writeFileSync(config, readFileSync(config, 'utf8').replace('[nixpkgs]', `[nixpkgs]\noverlay = '${overlay}'`));

  // Interval 0: every change of the progress text is a line (the default is one line per 10 s at most).
  const r = runCli(['--verbose', 'build', 'rootfs'], { cwd, env: { ANYSNAKE2_PROGRESS_INTERVAL: '0' } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^\[\d+s\] built \d+\/\d+/m);
  assert.doesNotMatch(r.stderr, /\r|\x1b\[K/, 'no terminal control characters in a log');
  assert.match(r.stderr, new RegExp(`^debug: loud> ${marker}$`, 'm'));

  // Without --verbose the build log stays in Nix (and in the failure summary when a build fails).
  const second = `as2-build-log-${randomBytes(6).toString('hex')}`;
  writeFileSync(config, readFileSync(config, 'utf8').replace(marker, second));
  const quiet = runCli(['build', 'rootfs'], { cwd, env: { ANYSNAKE2_PROGRESS_INTERVAL: '0' } });
  assert.equal(quiet.code, 0, quiet.stderr);
  assert.match(quiet.stderr, /^\[\d+s\] built \d+\/\d+/m);
  assert.doesNotMatch(quiet.stderr, new RegExp(second));
});
