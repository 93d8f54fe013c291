/**
 * Building the rootfs with real Nix on the fixture universe and running commands in it with real
 * bubblewrap: the equivalents of the original's integration tests, offline.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { containerProject, fixtureUniverse, runCli } from '../support/cli.js';

/** Dead, or a zombie waiting for its new parent (init) to reap it. */
function gone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  const stat = spawnSync('cat', [`/proc/${pid}/stat`], { encoding: 'utf8' }).stdout;
  return / Z /.test(stat.slice(stat.lastIndexOf(')')));
}

const bwrapEnv = { ANYSNAKE2_INSIDE: '', SINGULARITY_NAME: '', APPTAINER_NAME: '' };
const run = (cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) => runCli(args, { cwd, env: { ...bwrapEnv, ...env } });

test('run -- bash --version (test_minimal_bash_version)', () => {
  const cwd = containerProject();
  const r = run(cwd, ['run', '--', 'bash', '--version']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /GNU bash, version 5\.2/);
});

test('the rootfs has the layout of reference §6.1; R and venv places only come with the plugins that want them', () => {
  // R-like and venv-like packages without [R] or [python]: the core links bin, etc, lib and share only
  // (/R_libs, /lib64 and /pyvenv.cfg are the R and python plugins' linkIntoRootfs; e2e/r and e2e/python cover them).
  const cwd = containerProject('', ['hello', 'fixture-only', 'anysnake2Layouts.rLike', 'anysnake2Layouts.venvLike']);
  assert.equal(run(cwd, ['build', 'rootfs']).code, 0);
  const rootfs = join(cwd, '.anysnake2_flake', 'result', 'rootfs');
  for (const dir of ['bin', 'etc', 'usr/lib', 'usr/share', 'tmp', 'var/tmp']) assert.ok(existsSync(join(rootfs, dir)), dir);
  assert.equal(readlinkSync(join(rootfs, 'usr', 'bin')), 'bin');
  assert.equal(readFileSync(join(rootfs, 'etc', 'passwd'), 'utf8'), '');
  assert.equal(readFileSync(join(rootfs, 'etc', 'group'), 'utf8'), '');
  assert.match(readFileSync(join(rootfs, 'etc', 'bashrc'), 'utf8'), /export SSL_CERT_FILE=\/etc\/ssl\/certs\/ca-bundle\.crt/);
  assert.match(readlinkSync(join(rootfs, 'bin', 'hello')), /^\/nix\/store\/[a-z0-9]{32}-hello\/bin\/hello$/);
  assert.ok(existsSync(join(cwd, '.anysnake2_flake', '.gcroot_for_flake_inputs', 'nixpkgs')), 'flake inputs have a GC root');
  for (const absent of ['R_libs', 'lib64', 'pyvenv.cfg', 'lib']) assert.equal(existsSync(join(rootfs, absent)), false, absent);
  assert.ok(existsSync(join(rootfs, 'usr', 'lib', 'python3.12', 'site-packages', 'demo', '__init__.py')));
});

test("a missing program exits 127 with bash's message (test_minimal_no_python)", () => {
  const cwd = containerProject();
  const r = run(cwd, ['run', '--', 'python', '--version']);
  assert.equal(r.code, 127);
  assert.match(r.stderr, /python: command not found/);
});

test('a single word runs as a shell line; several words keep their quoting', () => {
  const cwd = containerProject();
  assert.match(run(cwd, ['run', '--', 'echo a && echo b']).stdout, /^a\nb\n$/);
  assert.equal(run(cwd, ['run', '--', 'printf', '[%s]', 'x y', "it's"]).stdout, "[x y][it's]");
});

test('[cmd.X] runs pre → run → post_run_inside → post_run_outside; while_run_outside is stopped with its children (test_basic_pre_post_run)', () => {
  const cwd = containerProject(`
[cmd.test_pre_post]
pre_run_outside = """
echo "pre_run"
"""
while_run_outside = """
sleep 1000 &
echo "$!" > while_child.txt
echo "$BASHPID" > while_run.txt
while :; do sleep 0.1; done
"""
run = """
sleep 2
echo "run"
"""
post_run_inside = """
echo "post_run_inside $ANYSNAKE_RUN_STATUS"
"""
post_run_outside = """
echo "post_run"
"""
`);
  // Twice: the first run takes the full path, the second the warm path; both behave the same.
  for (const path of ['full', 'warm']) {
    const r = run(cwd, ['test_pre_post'], { ANYSNAKE2_DEBUG_WARM_PATH: '1' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, path === 'warm' ? /warm path hit/ : /warm path missed/);
    assert.match(r.stdout, /^pre_run\nrun\npost_run_inside 0\npost_run\n$/);
    for (const file of ['while_run.txt', 'while_child.txt']) {
      const pid = Number(readFileSync(join(cwd, file), 'utf8').trim());
      assert.ok(pid > 0, file);
      assert.ok(gone(pid), `${path}: ${file}: pid ${pid} must be gone`);
    }
  }
});

test('single-line scripts, extra words as "$@", and run\'s exit status (not post_run\'s)', () => {
  const cwd = containerProject(`
[cmd.single]
post_run_inside = "echo 'posthello from inside'"
post_run_outside = "echo 'posthello from outside'"
pre_run_outside = "echo 'prehello from outside'"
run = "echo 'hello from command'; printf '<%s>' \\"$@\\"; echo; exit 7"
`);
  const r = run(cwd, ['single', 'a b', '--flag', "c'd"]);
  assert.equal(r.code, 7, r.stderr);
  assert.equal(r.stdout, "prehello from outside\nhello from command\n<a b><--flag><c'd>\nposthello from inside\nposthello from outside\n");
});

test('a failing pre_run_outside aborts with the numbered script', () => {
  const cwd = containerProject('[cmd.x]\npre_run_outside = "echo one\\nfalse\\necho never"\nrun = "echo ran"\n');
  const r = run(cwd, ['x']);
  assert.equal(r.code, 70);
  assert.doesNotMatch(r.stdout, /never|ran/);
  assert.match(r.stderr, /pre_run_outside failed with exit status 1/);
  assert.match(r.stderr, / {3}2 \| false/);
});

test('a failure on the warm path is reported as on the full path (a pre_run_outside that fails now)', () => {
  const cwd = containerProject('[cmd.x]\npre_run_outside = "test ! -e stop"\nrun = "echo ran"\n');
  const env = { ANYSNAKE2_DEBUG_WARM_PATH: '1' };
  assert.equal(run(cwd, ['x'], env).code, 0);
  writeFileSync(join(cwd, 'stop'), '');
  const failed = run(cwd, ['x'], env);
  assert.match(failed.stderr, /warm path hit/);
  // The warm path's bundle throws the error classes report-failure knows (scripts/bundle-runtime.mjs).
  assert.equal(failed.code, 70, failed.stderr);
  assert.match(failed.stderr, /^error: \[cmd\.x\] pre_run_outside failed with exit status 1/m);
  assert.doesNotMatch(failed.stderr, /internal error/);
  assert.doesNotMatch(failed.stdout, /ran/);
});

test('the project folder appears at /project through volumes_rw; volumes_ro is read-only', () => {
  const cwd = containerProject('[container.volumes_rw]\n"." = "/project"\n[container.volumes_ro]\n"ro" = "/data"\n');
  mkdirSync(join(cwd, 'ro'));
  writeFileSync(join(cwd, 'ro', 'input.txt'), 'data\n');
  const r = run(cwd, ['run', '--', 'cat /data/input.txt && ls /project && touch /project/made-inside && (touch /data/x 2>/dev/null || echo ro-ok)']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^data\n/);
  assert.match(r.stdout, /anysnake2\.toml/);
  assert.match(r.stdout, /ro-ok/);
  assert.ok(existsSync(join(cwd, 'made-inside')));
});

test('container.env expands host variables; nothing else leaks in', () => {
  const cwd = containerProject('[container.env]\nGREETING = "${HOST_GREETING}, $HOST_NAME!"\nLITERAL = "cost: $$5"\n');
  const r = run(cwd, ['run', '--', 'env'], { HOST_GREETING: 'hello', HOST_NAME: 'world', SECRET_TOKEN: 'leak' });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^GREETING=hello, world!$/m);
  assert.match(r.stdout, /^LITERAL=cost: \$5$/m);
  assert.match(r.stdout, /^PATH=\/bin$/m);
  assert.doesNotMatch(r.stdout, /SECRET_TOKEN|HOST_GREETING/);
});

test('a missing home or volume is a clean config error with its position', () => {
  const home = run(containerProject('[container]\nhome = "$HOME/does-not-exist-xyz"\n'), ['run', '--', 'true']);
  assert.equal(home.code, 65);
  assert.match(home.stderr, /anysnake2\.toml:\d+:\d+: container\.home: the container home .*does-not-exist-xyz does not exist on the host/);
  const volume = run(containerProject('[container.volumes_rw]\n"missing-dir" = "/data"\n'), ['run', '--', 'true']);
  assert.equal(volume.code, 65);
  assert.match(volume.stderr, /container\.volumes_rw\.missing-dir: the host path .*missing-dir does not exist/);
});

test('nesting is refused', () => {
  const r = runCli(['run', '--', 'true'], { cwd: containerProject(), env: { ANYSNAKE2_INSIDE: 'shell' } });
  assert.equal(r.code, 64);
  assert.match(r.stderr, /can't run inside an anysnake2 container/);
});

test('an unknown runtime is a config error; no runtime at all is exit 69 naming what to install', () => {
  const unknown = run(containerProject('[container]\nruntime = "docker"\n'), ['run', '--', 'true']);
  assert.equal(unknown.code, 65);
  assert.match(unknown.stderr, /container\.runtime: no installed plugin provides the runtime "docker"/);
  assert.match(unknown.stderr, /apptainer, singularity, bwrap/);
});

test('a failing nix build shows the failing derivation and its last log lines, not a wall of text', () => {
  const broken = '(runCommand "broken-pkg" { } "for i in $(seq 1 60); do echo noise $i; done; echo the real error >&2; exit 3")';
  const cwd = containerProject('', ['hello', broken]);
  const r = run(cwd, ['run', '--', 'true']);
  assert.equal(r.code, 100, r.stderr);
  assert.match(r.stderr, /a package failed to build: broken-pkg/);
  assert.match(r.stderr, /builder for '\/nix\/store\/[a-z0-9]{32}-broken-pkg\.drv' failed with exit code 3/);
  assert.match(r.stderr, /last \d+ log lines of broken-pkg:\n(.*\n)*\s+> the real error/);
  assert.doesNotMatch(r.stderr, /noise 10\n/);
  assert.ok(r.stderr.split('\n').length < 60, `${r.stderr.split('\n').length} lines`);
});

test('without any runtime installed: exit 69 naming what to install', () => {
  const bin = mkdtempSync(join(tmpdir(), 'as2-path-'));
  for (const tool of ['bash', 'git', 'nix']) {
    const found = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
    symlinkSync(found, join(bin, tool));
  }
  const r = run(containerProject(), ['run', '--', 'true'], { PATH: bin });
  assert.equal(r.code, 69, r.stderr);
  assert.match(r.stderr, /no container runtime is installed/);
  assert.match(r.stderr, /bwrap: apt-get install bubblewrap/);
  assert.match(r.stderr, /apptainer: install apptainer/);
});

test('[flakes]: a local absolute-path flake whose nixpkgs follows ours; unset packages → its default, a list → those, [] → none', () => {
  const u = fixtureUniverse();
  const cwd = containerProject(`
[flakes.local]
url = "${u}/hello-flake"
follows = ["nixpkgs"]
[flakes.listed]
url = "${u}/hello-flake"
follows = ["nixpkgs"]
packages = ["packages.x86_64-linux.second"]
[flakes.none]
url = "${u}/hello-flake"
follows = ["nixpkgs"]
packages = []
`);
  const r = run(cwd, ['run', '--', 'hello-from-flake && second-from-flake']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, 'hello from a local flake\nsecond package\n');
  const flake = readFileSync(join(cwd, '.anysnake2_flake', 'flake.nix'), 'utf8');
  assert.match(flake, new RegExp(`local = \\{\\n\\s+url = "path:${u}/hello-flake";\\n\\s+inputs\\.nixpkgs\\.follows = "nixpkgs";`));
  assert.match(flake, /local\.defaultPackage\.\$\{system\} or local\.packages\.\$\{system\}\.default/);
  assert.match(flake, /listed\.packages\.x86_64-linux\.second/);
  assert.doesNotMatch(flake, /none\.(default|packages)/);
});
