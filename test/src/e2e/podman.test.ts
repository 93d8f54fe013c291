/**
 * The podman runtime for real (podman with `--runtime runc` and lowered ulimits, as these hosts
 * need, set through `[podman]`): the same RunPlan semantics as bwrap — volumes, home, working
 * directory, only the configured environment, exit status — the warm path replaying its
 * LaunchSpec (env file written again, removed after), and TERM ending the whole container.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BIN, containerProject, runCli, testEnv } from '../support/cli.js';
import { killProcesses, processesWith } from '../support/processes.js';

const noNesting = { ANYSNAKE2_INSIDE: '', SINGULARITY_NAME: '', APPTAINER_NAME: '', ANYSNAKE2_DEBUG_WARM_PATH: '1' };
const havePodman = spawnSync('podman', ['--version'], { timeout: 30_000 }).status === 0;
const skip = havePodman ? false : 'podman is not installed';
const PODMAN = '[container]\nruntime = "podman"\n[podman]\noci_runtime = "runc"\nulimits = { nofile = "1024:1024", nproc = "1024:1024" }\n';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('runtime = "podman": volumes, home, working directory, environment and exit status, full and warm path', { skip, timeout: 600_000 }, () => {
  const secret = `as2-podman-${randomBytes(8).toString('hex')}`;
  const cwd = containerProject(`${PODMAN}[container.volumes_rw]\n"." = "/project"\n[container.volumes_ro]\n"ro" = "/data"\n[container.env]\nTOKEN = "\${AS2_TEST_TOKEN}"\n`, [
    'hello',
  ]);
  mkdirSync(join(cwd, 'ro'));
  writeFileSync(join(cwd, 'ro', 'input.txt'), 'data\n');
  const script = [
    'echo "token=$TOKEN"',
    'echo "uid=$(id -u)"',
    'echo "pwd=$(pwd)"',
    'echo "home=$HOME"',
    'cat /data/input.txt',
    '(touch /data/x 2>/dev/null || echo ro-ok)',
    'touch /project/made-inside',
    'env | sort | sed -n "s/^\\(SECRET_HOST\\|container\\)=.*/leak: &/p"',
    'hello',
    'exit 7',
  ].join('; ');
  const env = { ...noNesting, AS2_TEST_TOKEN: secret, SECRET_HOST: 'leak' };
  const envFile = join(cwd, '.anysnake2_flake', 'run_scripts', 'run', 'podman.env');
  for (const path of ['missed', 'hit']) {
    const r = runCli(['run', '--', script], { cwd, env });
    assert.equal(r.code, 7, `${path}: ${r.stderr}`);
    assert.match(r.stderr, new RegExp(`warm path ${path}`));
    assert.match(r.stdout, new RegExp(`^token=${secret}$`, 'm'));
    assert.match(r.stdout, new RegExp(`^uid=${process.getuid!()}$`, 'm'));
    assert.match(r.stdout, /^pwd=\/project$/m, 'started where anysnake2 was run (the project, at /project)');
    assert.match(r.stdout, new RegExp(`^home=${process.env.HOME}$`, 'm'));
    assert.match(r.stdout, /^data$/m);
    assert.match(r.stdout, /^ro-ok$/m);
    assert.match(r.stdout, /Hello, world!/);
    assert.doesNotMatch(r.stdout, /leak:/);
    assert.ok(existsSync(join(cwd, 'made-inside')));
    assert.equal(existsSync(envFile), false, 'the env file is removed after the run');
  }
});

test('podman: TERM to anysnake2 ends the whole container with 143; nothing of it survives', { skip, timeout: 600_000 }, async () => {
  const cwd = containerProject(PODMAN, ['hello']);
  const marker = `77${randomBytes(3).readUIntBE(0, 3)}`;
  const run = spawn(process.execPath, [BIN, 'run', '--', `sleep ${marker}`], { cwd, env: testEnv(noNesting), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  run.stdout!.on('data', (d) => (output += d));
  run.stderr!.on('data', (d) => (output += d));
  const closed = new Promise<number | null>((resolve) => run.on('close', (code) => resolve(code)));
  try {
    const deadline = Date.now() + 300_000;
    while (!processesWith(`sleep ${marker}`).some((p) => p.endsWith(`: sleep ${marker}`))) {
      assert.ok(Date.now() < deadline && run.exitCode === null, `the container did not start:\n${output}`);
      await sleep(100);
    }
    process.kill(run.pid!, 'SIGTERM');
    const code = await Promise.race([closed, sleep(30_000).then(() => 'timeout' as const)]);
    assert.equal(code, 143, output);
    const since = Date.now();
    while (Date.now() - since < 5000 && processesWith(`sleep ${marker}`).length > 0) await sleep(100);
    assert.deepEqual(processesWith(`sleep ${marker}`), [], 'processes of the container survived');
  } finally {
    killProcesses(processesWith(`sleep ${marker}`));
    try {
      process.kill(-run.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

test('podman: a value with a line break is refused with a message, not mangled', { skip, timeout: 600_000 }, () => {
  const cwd = containerProject(`${PODMAN}[container.env]\nMULTI = "\${AS2_MULTI}"\n`, ['hello']);
  const r = runCli(['run', '--', 'true'], { cwd, env: { ...noNesting, AS2_MULTI: 'a\nb' } });
  assert.equal(r.code, 64, r.stderr);
  assert.match(r.stderr, /podman cannot pass a value with a line break into the container \(MULTI\)/);
  assert.match(r.stderr, /runtime = "bwrap"/);
});

test('[podman] image = "oci": the OCI image of build oci, loaded once per build, runs with the same plan and without the host /nix/store', { skip, timeout: 900_000 }, () => {
  const secret = `as2-podman-oci-${randomBytes(8).toString('hex')}`;
  const cwd = containerProject(`${PODMAN}image = "oci"\n[container.volumes_rw]\n"." = "/project"\n[container.env]\nTOKEN = "\${AS2_TEST_TOKEN}"\n`, ['hello']);
  const env = { ...noNesting, AS2_TEST_TOKEN: secret };
  let tag: string | undefined;
  try {
    assert.equal(runCli(['build', 'rootfs'], { cwd, env }).code, 0);
    // A host store path outside the closure: the nixpkgs source the flake was evaluated from.
    const hostOnly = realpathSync(join(cwd, '.anysnake2_flake', '.gcroot_for_flake_inputs', 'nixpkgs'));
    assert.ok(hostOnly.startsWith('/nix/store/'), hostOnly);
    for (const path of ['missed', 'hit']) {
      const script = `echo "token=$TOKEN"; echo "uid=$(id -u)"; echo "pwd=$(pwd)"; echo "home=$HOME"; hello; touch /project/made-inside; test -e ${hostOnly} && echo host-store-visible; exit 7`;
      const r = runCli(['run', '--', script], { cwd, env });
      assert.equal(r.code, 7, `${path}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`warm path ${path}`));
      if (path === 'missed') assert.match(r.stderr, /loading the image into podman/);
      assert.match(r.stdout, new RegExp(`^token=${secret}$`, 'm'));
      assert.match(r.stdout, new RegExp(`^uid=${process.getuid!()}$`, 'm'));
      assert.match(r.stdout, /^pwd=\/project$/m);
      assert.match(r.stdout, new RegExp(`^home=${process.env.HOME}$`, 'm'));
      assert.match(r.stdout, /Hello, world!/);
      assert.doesNotMatch(r.stdout, /host-store-visible/, 'the image carries its closure; the host store is not bound');
      assert.ok(existsSync(join(cwd, 'made-inside')));
      assert.equal(existsSync(join(cwd, '.anysnake2_flake', 'run_scripts', 'run', 'podman-image.oci.tar')), false, 'the archive is removed once loaded');
      const hash = realpathSync(join(cwd, '.anysnake2_flake', 'result'))
        .split('/')
        .pop()!
        .split('-')[0];
      tag = `localhost/anysnake2-run:${hash}`;
      assert.equal(spawnSync('podman', ['image', 'exists', tag], { timeout: 60_000 }).status, 0, `${tag} is in podman's storage`);
    }
    // The full path again (warm path off): the image is there, so nothing is packed or loaded.
    const again = runCli(['run', '--', 'true'], { cwd, env: { ...env, ANYSNAKE2_NO_WARM_PATH: '1' } });
    assert.equal(again.code, 0, again.stderr);
    assert.doesNotMatch(again.stderr, /loading the image/);
    // No value of [container.env] is stored in the image.
    const inspect = spawnSync('podman', ['image', 'inspect', '--format', '{{json .Config.Env}}', tag!], { encoding: 'utf8', timeout: 60_000 });
    assert.equal(inspect.status, 0, inspect.stderr);
    assert.doesNotMatch(inspect.stdout, new RegExp(secret));
  } finally {
    if (tag) spawnSync('podman', ['rmi', '--force', tag], { timeout: 120_000 });
  }
});

test('[podman] image is "rootfs" or "oci": anything else is a config error at its line and column', { skip }, () => {
  const cwd = containerProject(`${PODMAN}image = "docker"\n`, ['hello']);
  const r = runCli(['check'], { cwd, env: noNesting });
  assert.equal(r.code, 65, r.stderr);
  assert.match(r.stderr, /anysnake2\.toml:\d+:\d+: podman\.image: must be "rootfs" or "oci"/);
});
