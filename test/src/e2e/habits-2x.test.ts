/**
 * 2.x habits that keep working (issue 16): `[anysnake2] do_not_modify_flake` keeps a flake.nix its
 * user edited, and `[devshell]` (the old spelling) values move into the [dev_shell] that pinning writes.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { containerProject, runCli, tempProject } from '../support/cli.js';

test('do_not_modify_flake = true keeps an edited flake.nix, warns naming it, and puts the generated one aside', () => {
  const cwd = containerProject();
  const config = join(cwd, 'anysnake2.toml');
  writeFileSync(config, readFileSync(config, 'utf8').replace('dtach = false', 'dtach = false\ndo_not_modify_flake = true'));
  const flake = join(cwd, '.anysnake2_flake', 'flake.nix');
  const first = runCli(['build', 'flake'], { cwd });
  assert.equal(first.code, 0, first.stderr);
  assert.doesNotMatch(first.stderr, /left as it is/, 'a flake nobody edited is written as usual');
  const generated = readFileSync(flake, 'utf8');
  const edited = `# edited by hand\n${generated}`;
  writeFileSync(flake, edited);

  const r = runCli(['build', 'flake'], { cwd });
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /anysnake2\.toml:\d+:\d+: warning: \.anysnake2_flake\/flake\.nix differs from what anysnake2 generates and is left as it is \(do_not_modify_flake = true\); the generated flake is in \.anysnake2_flake\/flake\.generated\.nix/,
  );
  assert.equal(readFileSync(flake, 'utf8'), edited);
  assert.equal(readFileSync(join(cwd, '.anysnake2_flake', 'flake.generated.nix'), 'utf8'), generated);
  // The edited flake builds and runs.
  const built = runCli(['run', '--', 'hello'], { cwd });
  assert.equal(built.code, 0, built.stderr);

  // Without the setting, the generated flake replaces the edit.
  writeFileSync(config, readFileSync(config, 'utf8').replace('do_not_modify_flake = true', 'do_not_modify_flake = false'));
  const plain = runCli(['build', 'flake'], { cwd });
  assert.equal(plain.code, 0, plain.stderr);
  assert.equal(readFileSync(flake, 'utf8'), generated);
  assert.ok(!existsSync(join(cwd, '.anysnake2_flake', 'flake.generated.nix')));
});

test('[devshell] shell and inputs (2.x spelling) move into the [dev_shell] that pinning writes', () => {
  const cwd = tempProject('[devshell]\nshell = "zsh"\ninputs = ["git"]\n');
  const r = runCli(['tofu', '--explain'], { cwd });
  assert.equal(r.code, 0, r.stderr);
  const text = readFileSync(join(cwd, 'anysnake2.toml'), 'utf8');
  assert.match(text, /\[dev_shell\]\n\tinputs = \["git"\]\n\tshell = "zsh"/);
  assert.match(r.stderr, /dev_shell\.shell = "zsh" {2}← \[devshell\] shell, the old spelling/);
  // The old section is now a duplicate the user is told to delete; the value in use is still zsh.
  const check = runCli(['check'], { cwd });
  assert.match(check.stderr, /devshell: is the old spelling of dev_shell, which is also present, so it is ignored: delete it/);
  const schemaless = runCli(['tofu', '--dry-run'], { cwd });
  assert.match(schemaless.stderr, /nothing to write/);
});
