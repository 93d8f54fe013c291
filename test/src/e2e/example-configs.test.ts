/** `anysnake2 config <name>` prints our own commented examples; each validates cleanly and gives a flake. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, fixtureUniverse, runCli, tempProject } from '../support/cli.js';
import { startPackageIndex } from '../support/pypi.js';
import { nixParses } from '../support/nix.js';

for (const name of ['minimal', 'basic', 'full']) {
  test(`config ${name} is commented, valid without warnings, and builds a flake`, () => {
    const printed = runCli(['config', name], { cwd: tempProject() });
    assert.equal(printed.code, 0, printed.stderr);
    assert.ok(printed.stdout.split('\n').filter((l) => /^\s*#/.test(l)).length >= 2, 'has comments');
    const cwd = tempProject();
    writeFileSync(join(cwd, 'anysnake2.toml'), printed.stdout);
    const built = runCli(['build', 'flake'], { cwd });
    // Our own warnings start a line; nix's (indented under an error) are not ours.
    assert.doesNotMatch(built.stderr, /^(\S+:\d+:\d+: )?(warning|deprecated):/m, 'no warnings for our own examples');
    if (/^\[python\]/m.test(printed.stdout)) {
      // Offline, neither uv (from the pinned GitHub uv2nix) nor a Mercurial package source can be
      // fetched: locking stops cleanly after pinning.
      assert.equal(built.code, 75, built.stderr);
      assert.match(built.stderr, /could not fetch uv|could not check out https:\/\/hg\.sr\.ht/);
      assert.equal(runCli(['check'], { cwd }).code, 0);
      return;
    }
    assert.equal(built.code, 0, built.stderr);
    const flake = join(cwd, '.anysnake2_flake', 'flake.nix');
    assert.ok(nixParses(flake).ok);
    assert.match(readFileSync(flake, 'utf8'), /github:NixOS\/nixpkgs\/24\.05/);
  });
}

test('the offline demo (examples/offline-demo) needs no lookup and runs its command in the container', async () => {
  const universe = fixtureUniverse();
  const cwd = tempProject(readFileSync(join(REPO, 'examples', 'offline-demo', 'anysnake2.toml'), 'utf8').replaceAll('@FIXTURES@', universe));
  const offline = runCli(['tofu', '--offline'], { cwd });
  assert.equal(offline.code, 0, offline.stderr);
  const index = await startPackageIndex();
  try {
    const r = runCli([], { cwd, env: { USER: 'demo-user', ...index.env } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^only inside the container: fixture-only from \/nix\/store\//m);
    assert.match(r.stdout, /hello, demo-user; the project is at \/project: anysnake2\.toml/);
    assert.match(r.stdout, /^pandas 2\.2\.2 \(as of 2024-08-09\), scanpy 1\.10\.3 \(pinned\)$/m);
  } finally {
    index.close();
  }
});
