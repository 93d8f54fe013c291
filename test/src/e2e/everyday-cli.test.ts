/**
 * The CLI as people expect it from the tools they know (issue 16): mistakes are usage errors with
 * "did you mean" before anything is pinned, help explains [cmd.*], colour follows NO_COLOR and
 * FORCE_COLOR, problems come in line order, --json for scripts, 2.x's -v N, and the tofu messages
 * say what happened (a sorted list is not a pin; the diff shows - before +; nothing is formatted
 * on a run that is refused).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, containerProject, runCli, tempProject, testEnv } from '../support/cli.js';

const read = (cwd: string) => readFileSync(join(cwd, 'anysnake2.toml'), 'utf8');
const noStack = (text: string) => assert.doesNotMatch(text, /\n\s+at /);
/** A config that would need network lookups to pin (nixpkgs floats): any pinning shows in the file. */
const FLOATING = '[nixpkgs]\npackages = ["b", "a"]\n\n[cmd.fail]\nrun = "touch ran-fail; exit 3"\n';

test('a misspelt command is a usage error with did-you-mean, inside a project or not, and pins nothing', () => {
  const outside = runCli(['chek'], { cwd: tempProject() });
  assert.equal(outside.code, 64, outside.stderr);
  assert.match(outside.stderr, /unknown command 'chek'; did you mean 'check'\?/);
  noStack(outside.stderr);

  const cwd = tempProject(FLOATING);
  for (const [word, guess] of [
    ['chek', 'check'],
    ['fali', 'fail'],
    ['updte', 'update'],
  ]) {
    const r = runCli([word!], { cwd });
    assert.equal(r.code, 64, r.stderr);
    assert.match(r.stderr, new RegExp(`unknown command '${word}'; did you mean '${guess}'\\?`));
    assert.match(r.stderr, /commands from .*anysnake2\.toml: fail;/);
  }
  assert.equal(read(cwd), FLOATING, 'an unknown command must not pin or format anything');
  // A word close to nothing outside a project: the missing config is the problem (66).
  assert.equal(runCli(['shell'], { cwd: tempProject() }).code, 66);
});

test("build roots names 'build rootfs' and never oclif's build:roots", () => {
  for (const cwd of [tempProject(), tempProject(FLOATING)]) {
    const r = runCli(['build', 'roots'], { cwd });
    assert.equal(r.code, 64, r.stderr);
    assert.match(r.stderr, /unknown command 'build roots'; did you mean 'build rootfs'\?/);
    assert.match(r.stderr, /build flake, build oci, build rootfs, build sif/);
    assert.doesNotMatch(r.stderr + r.stdout, /build:/);
  }
});

test('run ls -la suggests --', () => {
  const cwd = tempProject(FLOATING);
  const r = runCli(['-c', 'anysnake2.toml', 'run', 'ls', '-la'], { cwd });
  assert.equal(r.code, 64, r.stderr);
  assert.match(r.stderr, /unknown option '-la' for anysnake2 run/);
  assert.match(r.stderr, /put -- before it: anysnake2 run -- ls -la\n/);
  assert.equal(read(cwd), FLOATING);
});

test('--help explains bare anysnake2 and [cmd] names; <name> --help shows help instead of running it; -h everywhere', () => {
  const cwd = tempProject(FLOATING);
  const help = runCli(['--help'], { cwd });
  assert.equal(help.code, 0, help.stderr);
  assert.match(help.stdout, /A bare `anysnake2` runs \[cmd\.default\]/);
  assert.match(help.stdout, /`anysnake2 <name> \[words…\]` runs\s+\[cmd\.<name>\]/);

  for (const flag of ['--help', '-h']) {
    const r = runCli(['fail', flag], { cwd });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Run \[cmd\.fail\] of .*anysnake2\.toml in the container/);
    assert.match(r.stdout, /touch ran-fail; exit 3/);
  }
  assert.equal(read(cwd), FLOATING, 'help must not pin');
  // Without a project, help for a name still answers.
  assert.equal(runCli(['shell', '--help'], { cwd: tempProject() }).code, 0);
  for (const args of [
    ['check', '-h'],
    ['build', 'flake', '-h'],
    ['tofu', '-h'],
    ['update', '-h'],
    ['version', '-h'],
    ['plugins', '-h'],
  ]) {
    const r = runCli(args, { cwd });
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stdout, /USAGE/);
  }
});

test('error, warning and hint labels are coloured only when asked: NO_COLOR, FORCE_COLOR, a terminal', () => {
  const cwd = tempProject('[nixpkgs]\npackages = 3\n');
  const plain = runCli(['check'], { cwd });
  assert.equal(plain.code, 65);
  assert.doesNotMatch(plain.stderr, /\x1b\[/);
  const forced = runCli(['check'], { cwd, env: { NO_COLOR: '', FORCE_COLOR: '1' } });
  assert.equal(forced.code, 65);
  assert.match(forced.stderr, /\x1b\[1;31merror:\x1b\[0m the config has 1 problem/);
  assert.equal(forced.stderr.replace(/\x1b\[[0-9;]*m/g, ''), plain.stderr, 'colour changes nothing but the labels');
  const warned = runCli(['check'], { cwd: tempProject('[container]\nnot_a_key = 1\n'), env: { NO_COLOR: '', FORCE_COLOR: '1' } });
  assert.equal(warned.code, 0, warned.stderr);
  assert.match(warned.stderr, /anysnake2\.toml:2:1: \x1b\[1;33mwarning:\x1b\[0m container\.not_a_key/);
  assert.doesNotMatch(runCli(['check'], { cwd, env: { NO_COLOR: '', FORCE_COLOR: '0' } }).stderr, /\x1b\[/);

  // On a terminal (script(1) gives the CLI a pty): colour by default, none with NO_COLOR.
  const onTty = (extra: NodeJS.ProcessEnv) =>
    spawnSync('script', ['-qec', `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} check`, '/dev/null'], {
      cwd,
      env: testEnv({ NO_COLOR: '', FORCE_COLOR: '', TERM: 'xterm', ...extra }),
      encoding: 'utf8',
      timeout: 60_000,
      killSignal: 'SIGKILL',
    }).stdout;
  assert.match(onTty({}), /\x1b\[1;31merror:/);
  assert.doesNotMatch(onTty({ NO_COLOR: '1' }), /\x1b\[1;31m/);
});

test('problems are listed in the order of their lines', () => {
  const cwd = tempProject(['[container]', 'runtime = 5', '', '[nixpkgs]', 'packages = 3', '', '[anysnake2]', 'dtach = "x"', ''].join('\n'));
  const r = runCli(['check'], { cwd });
  assert.equal(r.code, 65);
  const lines = [...r.stderr.matchAll(/anysnake2\.toml:(\d+):\d+: (\S+):/g)].map((m) => [Number(m[1]), m[2]]);
  assert.deepEqual(lines, [
    [2, 'container.runtime'],
    [5, 'nixpkgs.packages'],
    [8, 'anysnake2.dtach'],
  ]);
});

test('--json for check, version and plugins: data on stdout, not oclif internals', () => {
  const good = runCli(['check', '--json'], { cwd: tempProject('[nixpkgs]\npackages = ["hello"]\n[container]\nnot_a_key = 1\n') });
  assert.equal(good.code, 0, good.stderr);
  const ok = JSON.parse(good.stdout) as { ok: boolean; sections: string[]; warnings: string[]; problems: unknown[] };
  assert.equal(ok.ok, true);
  assert.deepEqual(ok.sections, ['container', 'nixpkgs']);
  assert.match(ok.warnings.join('\n'), /not_a_key/);

  const bad = runCli(['check', '--json'], { cwd: tempProject('[nixpkgs]\npackages = 3\n') });
  assert.equal(bad.code, 65);
  const failed = JSON.parse(bad.stdout) as { ok: boolean; problems: { path: string; line: number; column: number; message: string }[] };
  assert.equal(failed.ok, false);
  assert.deepEqual(
    failed.problems.map((p) => [p.path, p.line]),
    [['nixpkgs.packages', 2]],
  );

  const version = runCli(['version', '--json'], { cwd: tempProject() });
  assert.equal(version.code, 0, version.stderr);
  const v = JSON.parse(version.stdout) as { version: string; node: string };
  assert.match(v.version, /^\d+\.\d+\.\d+/);
  assert.equal(v.node, process.version);

  const plugins = runCli(['plugins', '--json'], { cwd: tempProject() });
  assert.equal(plugins.code, 0, plugins.stderr);
  const list = JSON.parse(plugins.stdout) as Record<string, unknown>[];
  const python = list.find((p) => p.name === '@anysnake2/plugin-python');
  assert.deepEqual(Object.keys(python!).sort(), ['anysnake2', 'name', 'root', 'type', 'version']);
  assert.equal(python!.type, 'bundled');
  assert.equal(python!.anysnake2, true);
  assert.ok(!list.some((p) => 'commandIDs' in p || 'options' in p), 'no oclif internals');
  assert.match(runCli(['plugins'], { cwd: tempProject() }).stdout, /No plugins installed/);
});

test('-v N and --verbosity N as in 2.x', () => {
  const cwd = containerProject();
  assert.equal(runCli(['build', 'flake'], { cwd }).code, 0);
  const quiet = runCli(['-v', '0', 'build', 'flake'], { cwd });
  assert.equal(quiet.code, 0, quiet.stderr);
  assert.equal(quiet.stderr, '');
  const normal = runCli(['--verbosity', '2', 'build', 'flake'], { cwd });
  assert.match(normal.stderr, /flake\.nix is up to date/);
  assert.doesNotMatch(normal.stderr, /^debug:/m);
  // 3–5 are --verbose: a failure shows its cause chain.
  writeFileSync(join(cwd, 'broken.toml'), '[nixpkgs]\npackages = 3\n');
  const verbose = runCli(['--verbose', '-c', 'broken.toml', 'check'], { cwd }).stderr.replace(/:\d+:\d+\)?$/gm, '');
  assert.notEqual(verbose, runCli(['-c', 'broken.toml', 'check'], { cwd }).stderr);
  for (const args of [
    ['-v', '3', '-c', 'broken.toml', 'check'],
    ['-c', 'broken.toml', 'check', '--verbosity=4'],
    ['--verbose', '5', '-c', 'broken.toml', 'check'],
  ]) {
    const r = runCli(args, { cwd });
    assert.equal(r.code, 65, r.stderr);
    assert.equal(r.stderr.replace(/:\d+:\d+\)?$/gm, ''), verbose, args.join(' '));
  }
  const bad = runCli(['-v', 'loud', 'check'], { cwd });
  assert.equal(bad.code, 64);
  assert.match(bad.stderr, /-v takes a verbosity level 0–5, not 'loud'/);
  // Words of a [cmd.*] are its own: -v after the name goes to "$@" (the warm path and oclif agree).
  assert.equal(runCli(['nope', '-v', 'x'], { cwd }).code, 64);
});

test('tofu: sorting a list is not pinning, the diff shows - before +, --json lists the pins', () => {
  const cwd = containerProject();
  assert.equal(runCli(['tofu'], { cwd }).code, 0);
  const pinned = read(cwd);
  const unsorted = pinned.replace(/"fixture-only",(\s*)"hello"\]/, '"hello",$1"fixture-only"]');
  assert.notEqual(unsorted, pinned);
  writeFileSync(join(cwd, 'anysnake2.toml'), unsorted);
  const dry = runCli(['tofu', '--dry-run', '--json'], { cwd });
  assert.equal(dry.code, 0, dry.stderr);
  const json = JSON.parse(dry.stdout) as { changed: boolean; written: boolean; pins: unknown[]; diff: string };
  assert.deepEqual([json.changed, json.written, json.pins], [true, false, []]);
  assert.match(dry.stderr, /would change/);
  // In a changed block the old lines come first, as in diff -u.
  const diff = dry.stderr.split('\n').filter((l) => /^[-+] /.test(l));
  assert.deepEqual(diff, ['- \t\t"hello",', '- \t\t"fixture-only"]', '+ \t\t"fixture-only",', '+ \t\t"hello"]']);
  const r = runCli(['tofu'], { cwd });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^formatted anysnake2\.toml$/m);
  assert.doesNotMatch(r.stderr, /pinned \d+ value/);
  assert.equal(read(cwd), pinned);
});

test('a run that check would refuse fails before anything is pinned or formatted', () => {
  const toml = '[nixpkgs]\npackages = ["b", "a"]\n[container.volumes_ro]\n"/does/not/exist/as2" = "/data"\n[cmd.x]\nrun = "true"\n';
  for (const args of [['x'], ['run', '--', 'true']]) {
    const cwd = tempProject(toml);
    const r = runCli(args, { cwd });
    assert.equal(r.code, 65, r.stderr);
    assert.match(r.stderr, /\/does\/not\/exist\/as2/);
    assert.doesNotMatch(r.stderr, /formatted|pinned/);
    assert.equal(read(cwd), toml);
  }
});
