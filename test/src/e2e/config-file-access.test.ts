/**
 * Bad input never ends in exit 1/70 or a hang: a config that is a directory, a FIFO, a symlink loop
 * or unreadable, a read-only project directory, NUL characters, bad environment names — and
 * whatever `run` would refuse, `check` refuses too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, runCli, tempProject, testEnv, type CliResult } from '../support/cli.js';

const noStackTrace = (stderr: string) => assert.doesNotMatch(stderr, /\n\s+at .*:\d+:\d+\)?\n/);

/** The CLI with a time limit: a hang is a failure, not a stuck suite. */
function runLimited(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliResult & { timedOut: boolean } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, env: testEnv(env), encoding: 'utf8', timeout: 30_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr, timedOut: r.signal === 'SIGTERM' };
}

const NOBODY = { uid: 65534, gid: 65534 };

/**
 * The CLI as an unprivileged user: as root (CI) through runuser as nobody, because root reads and
 * writes whatever it likes; otherwise as ourselves. Undefined (skip) when nobody cannot run it here.
 */
function asUnprivileged(args: string[], cwd: string, home: string): CliResult | undefined {
  const env = testEnv({ HOME: home, XDG_CACHE_HOME: join(home, '.cache'), XDG_DATA_HOME: join(home, '.local/share'), XDG_CONFIG_HOME: join(home, '.config') });
  const spawn = (argv: string[]) =>
    process.getuid?.() === 0
      ? spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, BIN, ...argv], { cwd, env, encoding: 'utf8', timeout: 60_000 })
      : spawnSync(process.execPath, [BIN, ...argv], { cwd, env, encoding: 'utf8', timeout: 60_000 });
  const probe = spawn(['--version']);
  if (probe.status !== 0) return undefined;
  const r = spawn(args);
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function unprivilegedHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'as2-nobody-home-'));
  if (process.getuid?.() === 0) chownSync(home, NOBODY.uid, NOBODY.gid);
  return home;
}

test('a config that is a directory is exit 66 saying so (not "internal error: EISDIR")', () => {
  const cwd = tempProject();
  mkdirSync(join(cwd, 'conf.toml'));
  mkdirSync(join(cwd, 'anysnake2.toml'));
  for (const args of [['check', '-c', 'conf.toml'], ['check'], ['build', 'flake']]) {
    const r = runLimited(args, cwd);
    assert.equal(r.code, 66, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /error: the config \S+(conf|anysnake2)\.toml is a directory, not a file\n\s+hint: /);
    noStackTrace(r.stderr);
  }
});

test('a config that is a FIFO is exit 66 at once, for check, build and run (today: hangs forever)', () => {
  const cwd = tempProject();
  assert.equal(spawnSync('mkfifo', [join(cwd, 'anysnake2.toml')]).status, 0);
  for (const args of [['check'], ['build', 'flake'], ['run', '--', 'true'], ['shell']]) {
    const started = Date.now();
    const r = runLimited(args, cwd);
    assert.equal(r.timedOut, false, `${args.join(' ')} hung`);
    assert.equal(r.code, 66, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /anysnake2\.toml is a named pipe \(FIFO\), not a file/);
    assert.ok(Date.now() - started < 20_000);
  }
});

test('a symlink loop and a dangling symlink are exit 66 naming the link', () => {
  const cwd = tempProject();
  symlinkSync('b.toml', join(cwd, 'a.toml'));
  symlinkSync('a.toml', join(cwd, 'b.toml'));
  symlinkSync('missing.toml', join(cwd, 'anysnake2.toml'));
  const loop = runLimited(['check', '-c', 'a.toml'], cwd);
  assert.equal(loop.code, 66, loop.stderr);
  assert.match(loop.stderr, /a\.toml is a symbolic link loop\n\s+hint: see where it points/);
  const dangling = runLimited(['check'], cwd);
  assert.equal(dangling.code, 66, dangling.stderr);
  assert.match(dangling.stderr, /anysnake2\.toml is a symbolic link to missing\.toml, which does not exist/);
});

test('an unreadable config (EACCES, as an unprivileged user) is exit 66 saying permission denied, not "not found"', (t) => {
  const cwd = tempProject('[cmd.x]\nrun = "true"\n');
  chmodSync(cwd, 0o755);
  chmodSync(join(cwd, 'anysnake2.toml'), 0o000);
  const r = asUnprivileged(['check'], cwd, unprivilegedHome());
  if (!r) return t.skip('the unprivileged user cannot run node and the CLI here');
  assert.equal(r.code, 66, r.stderr);
  assert.match(r.stderr, /anysnake2\.toml cannot be read: permission denied\n\s+hint: give yourself read access/);
  noStackTrace(r.stderr);
});

test('a read-only project directory is exit 73 naming the path that cannot be written (not 70 EACCES)', (t) => {
  // Pinned first (as ourselves, through the local git host), so the build has nothing to look up.
  const cwd = tempProject('');
  assert.equal(runCli(['tofu'], { cwd }).code, 0);
  if (process.getuid?.() === 0) chownSync(join(cwd, 'anysnake2.toml'), NOBODY.uid, NOBODY.gid), chownSync(cwd, NOBODY.uid, NOBODY.gid);
  chmodSync(cwd, 0o555);
  const before = readFileSync(join(cwd, 'anysnake2.toml'), 'utf8');
  const r = asUnprivileged(['build', 'flake'], cwd, unprivilegedHome());
  chmodSync(cwd, 0o755);
  if (!r) return t.skip('the unprivileged user cannot run node and the CLI here');
  assert.equal(r.code, 73, r.stderr);
  // The first write may be the project lock (in .anysnake2_flake) or a flake file: either names the path.
  assert.match(r.stderr, new RegExp(`error: cannot (write|open or create) ${cwd}/\\S+: permission denied\\n\\s+hint: make ${cwd}(/\\.anysnake2_flake)? writable for you`));
  noStackTrace(r.stderr);
  assert.equal(readFileSync(join(cwd, 'anysnake2.toml'), 'utf8'), before);
});

test('a NUL character in any key or string is exit 65 at check, with its TOML path (today: valid, then 70 at build)', () => {
  const cwd = tempProject(
    [
      '[cmd.x]',
      'run = "echo \\u0000 hi"',
      '[cmd."y\\u0000"]',
      'run = "true"',
      '[container.env]',
      'FOO = "a\\u0000b"',
      '[dev_shell]',
      'shell = "ba\\u0000sh"',
      '[nixpkgs]',
      'packages = ["hel\\u0000lo"]',
    ].join('\n'),
  );
  for (const args of [['check'], ['build', 'flake']]) {
    const r = runLimited(args, cwd);
    assert.equal(r.code, 65, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /the config has 5 problems/);
    for (const where of [
      /anysnake2\.toml:2:1: cmd\.x\.run: contains a NUL character/,
      /anysnake2\.toml:3:1: cmd\."y\\u0000": contains a NUL/,
      /:6:1: container\.env\.FOO: contains a NUL/,
      /:8:1: dev_shell\.shell: contains a NUL/,
      /:10:13: nixpkgs\.packages\[0\]: contains a NUL/,
    ])
      assert.match(r.stderr, where);
    assert.match(r.stderr, /hint: remove the \\u0000 escape/);
  }
});

test('an empty environment name or one with "=" is exit 65 at check (today: exit 1 from bwrap)', () => {
  const r = runLimited(['check'], tempProject('[container.env]\n"" = "x"\n"A=B" = "y"\nGOOD = "z"\n'));
  assert.equal(r.code, 65, r.stderr);
  assert.match(r.stderr, /anysnake2\.toml:2:1: container\.env\."": is an empty environment variable name/);
  assert.match(r.stderr, /anysnake2\.toml:3:1: container\.env\."A=B": is not a valid environment variable name: it contains "="/);
  assert.doesNotMatch(r.stderr, /GOOD/);
});

test('check refuses what run refuses: a missing home, a missing volume, an unknown runtime', () => {
  const cwd = tempProject(
    [
      '[container]',
      'runtime = "podman-nonexistent"',
      'home = "no-such-home"',
      '[container.volumes_ro]',
      '"no-such-dir" = "/data"',
      '[container.volumes_rw]',
      '"." = "relative"',
    ].join('\n'),
  );
  const r = runLimited(['check'], cwd);
  assert.equal(r.code, 65, r.stderr);
  assert.match(r.stderr, /the config has 4 problems/);
  assert.match(r.stderr, /anysnake2\.toml:2:1: container\.runtime: no installed plugin provides the runtime "podman-nonexistent"\n\s+hint: use "auto" or one of: .*bwrap/);
  assert.match(r.stderr, new RegExp(`anysnake2\\.toml:3:1: container\\.home: the container home ${cwd}/no-such-home does not exist on the host`));
  assert.match(r.stderr, new RegExp(`anysnake2\\.toml:5:1: container\\.volumes_ro\\.no-such-dir: the host path ${cwd}/no-such-dir does not exist`));
  assert.match(r.stderr, /anysnake2\.toml:7:1: container\.volumes_rw\."\.": the container path "relative" must be absolute/);
  mkdirSync(join(cwd, 'no-such-home'));
  mkdirSync(join(cwd, 'no-such-dir'));
  writeFileSync(join(cwd, 'anysnake2.toml'), '[container]\nhome = "no-such-home"\n[container.volumes_ro]\n"no-such-dir" = "/data"\n');
  const fixed = runLimited(['check'], cwd);
  assert.equal(fixed.code, 0, fixed.stderr);
});
