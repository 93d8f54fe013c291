/**
 * The R plugin end to end, offline: `[R]` becomes nixR's R_by_date in the flake (the fixture nixR
 * in the universe keeps its interface; its R is a stand-in script that loads packages from the
 * library paths like R does), real Nix builds it, and the container (bubblewrap) runs R.
 * The date tofu reads nixR's generated/readme.md from the local git host.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { containerProject, fixtureUniverse, gitHost, runCli } from '../support/cli.js';

const rSection = (lines: string[], url = `${fixtureUniverse()}/nixR`) => ['[R]', `url = "${url}"`, ...lines].join('\n');
const noStackTrace = (stderr: string) => assert.doesNotMatch(stderr, /\n\s+at .*:\d+:\d+\)?/);

test('R as of a date: the packages load in the container, /R_libs and /lib64 are filled, overrides reach the packages', () => {
  const cwd = containerProject(
    rSection([
      'date = "2024-05-10"',
      'packages = ["ACA", "Rcpp"]',
      '[R.override_attrs]',
      "ACA = '''",
      'old: {',
      "postInstall = ''",
      '  echo "Yes" >$out/library/ACA/override_in_place',
      "'';",
      '}',
      "'''",
      '[R.dependency_overrides]',
      `kedd = 'old: old ++ [ "R6" ]'`,
      '[R.additional_packages]',
      `"kedd_1.0.3" = '{ r = [ "Rcpp" ]; }'`,
    ]),
    ['hello'],
  );
  const r = runCli(['run', '--', 'R', '-e', 'library(ACA); library(kedd); sessionInfo()'], { cwd });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^R version 4\.4\.0 /m);
  assert.match(r.stdout, /\[1\] kedd_1\.0\.3 ACA_1\.1$/m);

  const rootfs = join(cwd, '.anysnake2_flake', 'result', 'rootfs');
  // The requested packages, the dependencies they import (R6 only through dependency_overrides)
  // and R's own base packages; nothing that was not asked for.
  for (const pkg of ['ACA', 'Rcpp', 'kedd', 'R6', 'base']) assert.ok(existsSync(join(rootfs, 'R_libs', pkg, 'DESCRIPTION')), pkg);
  assert.equal(existsSync(join(rootfs, 'R_libs', 'IRkernel')), false);
  assert.match(readFileSync(join(rootfs, 'R_libs', 'Rcpp', 'DESCRIPTION'), 'utf8'), /^Version: 1\.0\.12$/m);
  assert.equal(readFileSync(join(rootfs, 'R_libs', 'ACA', 'override_in_place'), 'utf8'), 'Yes\n');
  assert.ok(existsSync(join(rootfs, 'lib64', 'libR.so')));

  const missing = runCli(['run', '--', 'R', '-e', 'library(IRkernel)'], { cwd });
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /there is no package called ‘IRkernel’/);

  const flake = readFileSync(join(cwd, '.anysnake2_flake', 'flake.nix'), 'utf8');
  assert.match(flake, /R_tracked = nixR\.R_by_date \{/);
  assert.match(flake, /r_pkg_names = \[\s*"ACA"\s*"Rcpp"\s*"kedd"\s*\];/);
  assert.match(flake, /nix_pkgs_pkgs = pkgs;/);
  assert.match(flake, /rPackages = R_tracked\.rPackages;/);
  // nixR has no nixpkgs input, so nothing follows ours (as in the original).
  assert.match(flake, /nixR = \{\s*url = "[^"]+";\s*\};/);
});

test("use_inside_nix_pkgs = false builds R against nixR's own nixpkgs", () => {
  const cwd = containerProject(rSection(['date = "2023-10-24"', 'packages = ["Rcpp", "IRkernel"]', 'use_inside_nix_pkgs = false']), ['hello']);
  const r = runCli(['run', '--', 'R', '-e', 'library(Rcpp); library(IRkernel); sessionInfo()'], { cwd });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^R version 4\.3\.1 /m);
  assert.match(r.stdout, /IRkernel_1\.3\.2 Rcpp_1\.0\.11$/m);
  // IRkernel's kernelspec (what the Jupyter plugin installs) and the R6 it imports.
  const libs = join(cwd, '.anysnake2_flake', 'result', 'rootfs', 'R_libs');
  assert.match(readFileSync(join(libs, 'IRkernel', 'kernelspec', 'kernel.json'), 'utf8'), /"IRkernel::main\(\)"/);
  assert.ok(existsSync(join(libs, 'R6', 'DESCRIPTION')));
  assert.match(readFileSync(join(cwd, '.anysnake2_flake', 'flake.nix'), 'utf8'), /nix_pkgs_pkgs = null;/);
});

test('a missing date is filled with the newest one the pinned nixR offers; a date it does not offer names the nearest ones', () => {
  const cwd = containerProject(rSection(['packages = ["ACA"]'], 'github:TyberiusPrime/nixR'), ['hello']);
  const rev = execFileSync('git', ['--git-dir', join(gitHost(), 'github/TyberiusPrime/nixR.git'), 'rev-parse', 'main'], { encoding: 'utf8' }).trim();
  const tofu = runCli(['tofu'], { cwd });
  assert.equal(tofu.code, 0, tofu.stderr);
  let toml = readFileSync(join(cwd, 'anysnake2.toml'), 'utf8');
  assert.match(toml, /^\s*date = "2025-04-15"$/m);
  assert.ok(toml.includes(`url = "github:TyberiusPrime/nixR/main/${rev}"`), toml);

  writeFileSync(join(cwd, 'anysnake2.toml'), toml.replace('date = "2025-04-15"', 'date = "2024-05-12"'));
  const wrong = runCli(['build', 'flake'], { cwd });
  assert.equal(wrong.code, 65, wrong.stderr);
  assert.match(wrong.stderr, /anysnake2\.toml:\d+:\d+: R\.date: nixR \(github:TyberiusPrime\/nixR\/main\/[0-9a-f]{40}\) offers no R ecosystem for 2024-05-12/);
  assert.match(
    wrong.stderr,
    /hint: nearest dates it offers: 2024-10-30 \(R 4\.4\.1, Bioconductor 3\.20\), 2024-10-29 \(R 4\.4\.1, Bioconductor 3\.19\), 2024-05-10 \(R 4\.4\.0, Bioconductor 3\.19\)\n/,
  );
  noStackTrace(wrong.stderr);
  toml = readFileSync(join(cwd, 'anysnake2.toml'), 'utf8');
  assert.match(toml, /date = "2024-05-12"/, 'a wrong date is reported, never replaced');
});

test('a date the local nixR does not offer is an exit-65 error listing the three closest dates', () => {
  const cwd = containerProject(rSection(['date = "2022-01-01"', 'packages = ["ACA"]']), ['hello']);
  const r = runCli(['build', 'flake'], { cwd });
  assert.equal(r.code, 65, r.stderr);
  assert.match(r.stderr, /R\.date: nixR \([^)]*\/nixR\) offers no R ecosystem for 2022-01-01/);
  assert.match(
    r.stderr,
    /hint: nearest dates it offers: 2024-10-29 \(R 4\.4\.1, Bioconductor 3\.19\), 2024-05-10 \(R 4\.4\.0, Bioconductor 3\.19\), 2023-10-24 \(R 4\.3\.1, Bioconductor 3\.17\)\n/,
  );
  noStackTrace(r.stderr);
});

test('additional_packages keys must be "<package>_<version>": an exit-65 config error for each bad key', () => {
  const cwd = containerProject(rSection(['date = "2024-05-10"', 'packages = ["ACA"]', '[R.additional_packages]', `kedd = '{ }'`, `"kedd_1_0" = '{ }'`]), ['hello']);
  const r = runCli(['build', 'flake'], { cwd });
  assert.equal(r.code, 65, r.stderr);
  assert.match(r.stderr, /anysnake2\.toml:\d+:\d+: R\.additional_packages\.kedd: must be named "<package>_<version>"/);
  assert.match(r.stderr, /R\.additional_packages\.kedd_1_0: must be named "<package>_<version>"/);
  assert.match(r.stderr, /hint: e\.g\. "kedd_1\.0\.3"/);
  noStackTrace(r.stderr);
  assert.equal(existsSync(join(cwd, '.anysnake2_flake', 'flake.nix')), false);
});
