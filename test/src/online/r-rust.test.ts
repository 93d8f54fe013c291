/**
 * The real R and Rust pipelines (opt-in: `npm run test:online`): real nixR, rust-overlay and nixpkgs,
 * with the versions the original's tests expect. Skipped without Nix or network.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tempProject } from '../support/cli.js';
import { anysnake2, onlineSkipReason } from '../support/online.js';

const skip = await onlineSkipReason();
const HOURS = 60 * 60 * 1000;

test('[R] date = "2024-05-10" gives R 4.4.0 with ACA and Rcpp (the original\'s test_just_r)', { skip, timeout: 3 * HOURS }, () => {
  const cwd = tempProject(['[anysnake2]', 'dtach = false', '[nixpkgs]', 'packages = ["bash"]', '[R]', 'date = "2024-05-10"', 'packages = ["ACA", "Rcpp"]'].join('\n'));
  const r = anysnake2(['run', '--', 'R', '-e', 'library(ACA); library(Rcpp); cat(R.version.string)'], cwd);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /R version 4\.4\.0/);
});

test('[rust] version = "1.55.0" gives cargo 1.55.0 with rustfmt and clippy (the original\'s minimal_rust)', { skip, timeout: 3 * HOURS }, () => {
  const cwd = tempProject(['[anysnake2]', 'dtach = false', '[nixpkgs]', 'packages = ["bash"]', '[rust]', 'version = "1.55.0"'].join('\n'));
  const r = anysnake2(['run', '--', 'bash', '-c', 'cargo --version && rustfmt --version && cargo clippy --version'], cwd);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^cargo 1\.55\.0/m);
  assert.match(r.stdout, /^rustfmt 1\./m);
  assert.match(r.stdout, /^clippy 0\.1\.55/m);
});
