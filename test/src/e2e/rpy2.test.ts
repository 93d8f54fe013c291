/**
 * rpy2 >= 3.6 is a meta-package over rpy2-rinterface (which holds rpy2/rinterface_lib) and
 * rpy2-robjects: with [R], the package holding rinterface_lib is patched, the others are left alone, and R_HOME names the R that nixR's wrapper wraps, not the wrapper.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fixtureUniverse, runCli } from '../support/cli.js';
import { NIX_FLAGS, nixEnv } from '../support/nix.js';
import { pythonProject, startPackageIndex, type PackageIndex } from '../support/pypi.js';

let index: PackageIndex;
before(async () => {
  index = await startPackageIndex();
});
after(() => index.close());

test('rpy2 3.6 (split into rpy2-rinterface and rpy2-robjects) builds, and rinterface_lib points at the real R and the [R] packages', () => {
  const nixR = join(fixtureUniverse(), 'nixR');
  const cwd = pythonProject(
    // The user's build_systems for an rpy2 package and anysnake2's rpy2 patch both reach its build.
    [
      '[python]',
      'version = "3.11"',
      'ecosystem_date = "2025-06-01"',
      '[python.packages]',
      'rpy2-rinterface = { build_systems = ["tinybuild"] }',
      '[R]',
      'date = "2024-05-10"',
      'packages = ["ACA"]',
      `url = "${nixR}"`,
    ].join('\n'),
  );
  const code = "import os, rpy2, rpy2.robjects, rpy2.rinterface_lib; print(rpy2.__version__); print(os.environ['R_HOME']); print(os.environ['R_LIBS_SITE'])";
  const r = runCli(['run', '--', 'python', '-c', code], { cwd, env: index.env });
  assert.equal(r.code, 0, r.stderr);
  const lock = readFileSync(join(cwd, 'anysnake2.uv.lock'), 'utf8');
  for (const name of ['rpy2', 'rpy2-rinterface', 'rpy2-robjects']) assert.match(lock, new RegExp(`name = "${name}"\\nversion = "3\\.6\\.0"`));
  const [version, home, site] = r.stdout.trim().split('\n');
  assert.equal(version, '3.6.0');
  assert.match(home!, /^\/nix\/store\/[0-9a-z]{32}-.*\/lib\/R$/);
  assert.match(site!, /^\/nix\/store\/[0-9a-z]{32}-.*\/lib\/R\/library$/);
  assert.notEqual(dirname(home!), dirname(dirname(site!)), 'R_HOME is the wrapped R, not the wrapper (whose lib/R holds only library/)');
  const nix = (...args: string[]) => execFileSync('nix', [...NIX_FLAGS, ...args], { encoding: 'utf8', env: nixEnv() });
  const rootfsDrv = execFileSync('nix-store', ['-q', '--deriver', join(cwd, '.anysnake2_flake', 'result')], { encoding: 'utf8' }).trim();
  const drvs = execFileSync('nix-store', ['-q', '--requisites', rootfsDrv], { encoding: 'utf8' }).split('\n');
  const rinterface = drvs.find((d) => /-rpy2-rinterface-3\.6\.0\.drv$/.test(d));
  assert.ok(rinterface, 'no rpy2-rinterface derivation in the closure');
  const inputs = Object.keys((Object.values(JSON.parse(nix('show-derivation', rinterface))) as { inputDrvs: object }[])[0]!.inputDrvs).join('\n');
  assert.match(inputs, /-tinybuild-[^/]*\.drv$/m, 'the build_systems entry was lost');
  assert.match(inputs, /-R-[^/]*\.drv$/m, 'the rpy2 patch lost R');
});
