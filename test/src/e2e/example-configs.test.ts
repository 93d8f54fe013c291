/** `anysnake2 config <name>` prints our own commented examples; each validates cleanly and gives a flake. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempProject } from '../support/cli.js';
import { nixParses } from '../support/nix.js';

for (const name of ['minimal', 'basic', 'full']) {
  test(`config ${name} is commented, valid without warnings, and builds a flake`, () => {
    const printed = runCli(['config', name], { cwd: tempProject() });
    assert.equal(printed.code, 0, printed.stderr);
    assert.ok(printed.stdout.split('\n').filter((l) => /^\s*#/.test(l)).length >= 2, 'has comments');
    const cwd = tempProject();
    writeFileSync(join(cwd, 'anysnake2.toml'), printed.stdout);
    const built = runCli(['build', 'flake'], { cwd });
    assert.equal(built.code, 0, built.stderr);
    assert.doesNotMatch(built.stderr, /warning|deprecated/, 'no warnings for our own examples');
    const flake = join(cwd, '.anysnake2_flake', 'flake.nix');
    assert.ok(nixParses(flake).ok);
    assert.match(readFileSync(flake, 'utf8'), /github:NixOS\/nixpkgs\/24\.05/);
  });
}
