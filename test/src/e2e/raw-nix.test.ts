/**
 * Keys that hold Nix code stay one parenthesised expression (issue 11 item 4): `check` rejects a
 * URI literal that closes the parentheses (exit 65, file:line:column, the TOML path), and
 * `build flake` never writes — nor exits 0 with — a flake.nix that Nix cannot parse.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempProject } from '../support/cli.js';
import { nixParses } from '../support/nix.js';

const BASE = `
[nixpkgs]
url = "github:NixOS/nixpkgs/master/24.05"
packages = ["hello"]

[flake-util]
url = "github:numtide/flake-utils/main/11707dc2f618dd54ca8739b309ec4fc024de578b"

[dev_shell]
inputs = []
shell = "bash"
`;

/** Closes the printer's parenthesis and adds a binding: Nix reads `a:''` as one URI token. */
const BYPASS = "a:'' ) ; injected = ( ''";
const toml = (s: string) => JSON.stringify(s);

const CASES: [string, string, RegExp][] = [
  [
    'nixpkgs.packages',
    BASE.replace('packages = ["hello"]', `packages = ["hello", ${toml(BYPASS)}]`),
    /anysnake2\.toml:4:\d+: nixpkgs\.packages\[1\]: is not exactly one Nix expression/,
  ],
  [
    'nixpkgs.overlay',
    BASE.replace('packages = ["hello"]', `packages = ["hello"]\noverlay = ${toml(BYPASS)}`),
    /anysnake2\.toml:5:\d+: nixpkgs\.overlay: is not exactly one Nix expression/,
  ],
  ['dev_shell.inputs', BASE.replace('inputs = []', `inputs = [${toml(BYPASS)}]`), /anysnake2\.toml:\d+:\d+: dev_shell\.inputs\[0\]: is not exactly one Nix expression/],
  [
    'python.packages.<name>.override_attrs',
    `${BASE}\n[python]\nversion = "3.12"\necosystem_date = "2024-08-09"\n[python.packages]\nattrs = { version = "", override_attrs = { preBuild = ${toml(BYPASS)} } }\n`,
    /python\.packages\.attrs\.override_attrs\.preBuild: is not exactly one Nix expression/,
  ],
  [
    'R.override_attrs',
    `${BASE}\n[R]\ndate = "2024-01-01"\npackages = []\n[R.override_attrs]\nbase = ${toml(BYPASS)}\n`,
    /R\.override_attrs\.base: is not exactly one Nix expression/,
  ],
];

for (const [key, config, expected] of CASES)
  test(`check rejects a URI literal that escapes the parentheses in ${key}`, () => {
    const cwd = tempProject(config);
    const r = runCli(['check'], { cwd });
    assert.equal(r.code, 65, r.stderr);
    assert.match(r.stderr, expected);
    assert.match(r.stderr, /hint: .*a:b is a URI/);
    assert.doesNotMatch(r.stderr, /\n\s+at .*\.js:\d+/, 'no stack trace');
  });

test('build flake with the bypass writes no flake and exits 65', () => {
  const cwd = tempProject(BASE.replace('packages = ["hello"]', `packages = ["hello", ${toml(BYPASS)}]`));
  const r = runCli(['build', 'flake'], { cwd });
  assert.equal(r.code, 65, r.stderr);
  assert.equal(existsSync(join(cwd, '.anysnake2_flake', 'flake.nix')), false);
});

test('build flake refuses a flake that Nix cannot parse and names the key (an overlay with an undefined name)', () => {
  const cwd = tempProject(BASE.replace('packages = ["hello"]', 'packages = ["hello"]\noverlay = "final: prev: { x = notDefinedAnywhere; }"'));
  assert.equal(runCli(['check'], { cwd }).code, 0, 'the expression itself is well-formed');
  const r = runCli(['build', 'flake'], { cwd });
  assert.equal(r.code, 65, r.stderr);
  const at = /anysnake2\.toml:(\d+):(\d+): nixpkgs\.overlay: is Nix code that does not fit in the generated flake: undefined variable 'notDefinedAnywhere'/.exec(r.stderr);
  assert.ok(at, r.stderr);
  // The location is the overlay's value in the file as it is now (pinning may have rewritten it).
  const line = readFileSync(join(cwd, 'anysnake2.toml'), 'utf8').split('\n')[Number(at[1]) - 1]!;
  assert.match(line, /overlay = "final: prev:/);
  assert.equal(existsSync(join(cwd, '.anysnake2_flake', 'flake.nix')), false, 'nothing written');
});

test('valid raw Nix, including URIs and strings full of quotes, builds a flake that parses', () => {
  const packages = ['hello', "(a:'')", 'python3.withPackages (ps: [ps.pip])', `(builtins.trace ''it's ''${'fine'} ''' ) '' hello)`];
  const cwd = tempProject(BASE.replace('packages = ["hello"]', `packages = ${JSON.stringify(packages)}\noverlay = "final: prev: { y = final.hello; } # trailing comment"`));
  const r = runCli(['build', 'flake'], { cwd });
  assert.equal(r.code, 0, r.stderr);
  const file = join(cwd, '.anysnake2_flake', 'flake.nix');
  assert.ok(nixParses(file).ok);
  assert.match(readFileSync(file, 'utf8'), /\(a:''\)/);
});
