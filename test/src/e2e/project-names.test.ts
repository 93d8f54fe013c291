/**
 * Names from anysnake2.toml that become paths ([cmd.<name>], [clones.<dir>] <name>) never leave
 * the project: `check` refuses them with line:column (exit 65), and nothing outside is written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, tempProject } from '../support/cli.js';

const noStackTrace = (stderr: string) => assert.doesNotMatch(stderr, /\n\s+at .*:\d+:\d+\)?\n/);
const bwrapEnv = { ANYSNAKE2_INSIDE: '', SINGULARITY_NAME: '', APPTAINER_NAME: '' };

test('a [cmd] name with "../" is exit 65 with line:column, and running it writes nothing outside the project', () => {
  const victim = `as2-victim-${randomBytes(4).toString('hex')}`;
  // .anysnake2_flake/run_scripts/<name> → <tmp>/<victim> on a tool that joins blindly.
  const name = `../../../${victim}`;
  const cwd = tempProject(`[cmd."${name}"]\nrun = "echo hi"\n[cmd.fine]\nrun = "echo ok"\n`);
  const check = runCli(['check'], { cwd });
  assert.equal(check.code, 65, check.stderr);
  assert.match(check.stderr, new RegExp(`anysnake2\\.toml:\\d+:1: cmd\\."\\.\\./\\.\\./\\.\\./${victim}": is not a valid command name: it must not start with "\\."`));
  assert.match(check.stderr, /hint: rename the \[cmd\.<name>\] table/);
  noStackTrace(check.stderr);
  const run = runCli([name], { cwd, env: bwrapEnv });
  assert.equal(run.code, 65, run.stderr);
  assert.equal(existsSync(join(tmpdir(), victim)), false, `${join(tmpdir(), victim)} was written`);
});

test('command names are words: letters, digits, "-", "_", "." (not first)', () => {
  const good = runCli(['check'], { cwd: tempProject('[cmd.test_R]\nrun = "a"\n[cmd."build-2.0"]\nrun = "b"\n[cmd."données"]\nrun = "c"\n') });
  assert.equal(good.code, 0, good.stderr);
  for (const bad of ['.hidden', 'a/b', 'a b', '', 'x\\\\y', '$(id)']) {
    const r = runCli(['check'], { cwd: tempProject(`[cmd."${bad}"]\nrun = "a"\n`) });
    assert.equal(r.code, 65, `${bad}: ${r.stderr}`);
    assert.match(r.stderr, /anysnake2\.toml:1:1: cmd\..*: is not a valid command name/, bad);
  }
});

test('clone names and directories stay inside the project; a clone named "../anysnake2.toml" is exit 65, not a crash', () => {
  const cases: [string, RegExp][] = [
    [
      '[clones.code]\n"../anysnake2.toml" = "github:TyberiusPrime/dppd"\n',
      /anysnake2\.toml:2:1: clones\.code\."\.\.\/anysnake2\.toml": is not a valid clone name: it must be one directory name/,
    ],
    ['[clones."."]\n"anysnake2.toml" = "github:TyberiusPrime/dppd"\n', /clones\."\."\."anysnake2\.toml": is not a valid clone name: it must not be the config file/],
    ['[clones."../outside"]\nx = "github:TyberiusPrime/dppd"\n', /anysnake2\.toml:1:1: clones\."\.\.\/outside": is not a valid clone directory: it must stay inside the project/],
    ['[clones."/tmp/elsewhere"]\nx = "github:TyberiusPrime/dppd"\n', /clones\."\/tmp\/elsewhere": is not a valid clone directory: it must be relative/],
    [
      '[clones.".anysnake2_flake"]\nx = "github:TyberiusPrime/dppd"\n',
      /clones\.\.anysnake2_flake|clones\."\.anysnake2_flake": is not a valid clone directory: it must not be inside \.anysnake2_flake/,
    ],
    ['[clones.code]\n".." = "github:TyberiusPrime/dppd"\n', /clones\.code\."\.\.": is not a valid clone name/],
  ];
  for (const [toml, expected] of cases) {
    const cwd = tempProject(toml);
    for (const args of [['check'], ['build', 'flake']]) {
      const r = runCli(args, { cwd });
      assert.equal(r.code, 65, `${args.join(' ')} on ${toml}: ${r.stderr}`);
      assert.match(r.stderr, expected);
      noStackTrace(r.stderr);
    }
    assert.equal(readFileSync(join(cwd, 'anysnake2.toml'), 'utf8'), toml, 'the config is untouched');
  }
});
