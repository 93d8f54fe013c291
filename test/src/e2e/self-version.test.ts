/**
 * The version switch (`[anysnake2] url2`, behaviour reference §12) against a real npm registry:
 * verdaccio on 127.0.0.1 serves every workspace package twice, as they are (0.1.0) and as a temp
 * copy with another version number; everything else comes through its uplink from the user's
 * registry. A PATH whose `npm` records its calls proves when no switch happens. The git/flake
 * form is run against a local stand-in flake (this repository's flake.nix needs nixpkgs and the
 * npm registry to build, neither reachable offline) with the same interface: bin/anysnake2.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { BIN, fixtureUniverse, REPO, runCli, tempProject, testEnv } from '../support/cli.js';

const OTHER = '0.1.1-selftest';
/** Every package of the repository: core depends on each bundled plugin at its version. */
const WORKSPACES = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces;
const RUNNING = (JSON.parse(readFileSync(join(REPO, 'core', 'package.json'), 'utf8')) as { version: string }).version;
const run = promisify(execFile);

let skip: string | false = false;
let registry = '';
let verdaccio: ChildProcess | undefined;
const work = mkdtempSync(join(tmpdir(), 'as2-selfversion-'));
const npmrc = join(work, 'npmrc');
const calls = join(work, 'npm-calls');
const recorder = join(work, 'recording-bin');

/**
 * What every CLI run here gets: our registry, a fresh npx directory (it is keyed by the package
 * spec, so an old install of OTHER would be reused) over the user's content-addressed npm cache,
 * and an npm that records its calls.
 */
const env = () => ({
  npm_config_userconfig: npmrc,
  npm_config_registry: registry,
  npm_config_cache: join(work, 'npm-cache'),
  npm_config_update_notifier: 'false',
  npm_config_fund: 'false',
  npm_config_audit: 'false',
  NO_PROXY: '127.0.0.1',
  PATH: `${recorder}:${process.env.PATH}`,
});
const npmCalls = () => (existsSync(calls) ? readFileSync(calls, 'utf8') : '');
const pinned = (url2: string) => tempProject(`[anysnake2]\nurl2 = "${url2}"\n`);

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

/** A copy of a workspace package at `version`, its @anysnake2 dependencies moved along, packed. */
function pack(workspace: string, version: string): string {
  const copy = mkdtempSync(join(work, 'copy-'));
  cpSync(join(REPO, workspace), copy, { recursive: true, filter: (src) => !src.includes('node_modules') && !src.endsWith('.tsbuildinfo') });
  const manifest = JSON.parse(readFileSync(join(copy, 'package.json'), 'utf8')) as Record<string, unknown>;
  manifest['version'] = version;
  for (const field of ['dependencies', 'peerDependencies']) {
    const deps = manifest[field] as Record<string, string> | undefined;
    for (const name of Object.keys(deps ?? {})) if (name.startsWith('@anysnake2/')) deps![name] = version;
  }
  writeFileSync(join(copy, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  // oclif checks the shipped command manifest against the package version. The copy is packed as
  // built (--ignore-scripts): its prepack would look for the repository's scripts beside it.
  const oclifManifest = join(copy, 'oclif.manifest.json');
  if (existsSync(oclifManifest)) writeFileSync(oclifManifest, JSON.stringify({ ...JSON.parse(readFileSync(oclifManifest, 'utf8')), version }));
  const file = execFileSync('npm', ['pack', '--silent', '--ignore-scripts', '--pack-destination', work], { cwd: copy, encoding: 'utf8' }).trim().split('\n').pop()!;
  return join(work, file);
}

before(async () => {
  const upstream = execFileSync('npm', ['config', 'get', 'registry'], { encoding: 'utf8' }).trim().replace(/\/?$/, '/');
  try {
    await fetch(`${upstream}@oclif%2fcore`, { signal: AbortSignal.timeout(20_000) }).then((r) => r.ok || Promise.reject(new Error(`HTTP ${r.status}`)));
  } catch (error) {
    skip = `the npm registry ${upstream} cannot be reached (${(error as Error).message}): the pinned version's dependencies come from there`;
    return;
  }
  const port = await freePort();
  registry = `http://127.0.0.1:${port}/`;
  const proxy = process.env.https_proxy ?? process.env.HTTPS_PROXY;
  writeFileSync(
    join(work, 'verdaccio.yaml'),
    [
      `storage: ${JSON.stringify(join(work, 'storage'))}`,
      'auth:',
      `  htpasswd: { file: ${JSON.stringify(join(work, 'htpasswd'))} }`,
      'uplinks:',
      `  upstream: { url: ${JSON.stringify(upstream)}, timeout: 60s }`,
      ...(proxy ? [`https_proxy: ${JSON.stringify(proxy)}`] : []),
      'packages:',
      "  '@anysnake2/*': { access: $all, publish: $authenticated }",
      "  '**': { access: $all, proxy: upstream }",
      'log: { type: stdout, format: pretty, level: warn }',
    ].join('\n'),
  );
  verdaccio = spawn(process.execPath, [join(REPO, 'node_modules', 'verdaccio', 'bin', 'verdaccio'), '--config', join(work, 'verdaccio.yaml'), '--listen', registry], {
    stdio: 'ignore',
  });
  for (let i = 0; ; i++) {
    const up = await fetch(`${registry}-/ping`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) break;
    // 30 s: a loaded machine (2 cores, several test runs) starts it slowly.
    if (i > 300) throw new Error('verdaccio did not start on 127.0.0.1');
    await new Promise((r) => setTimeout(r, 100));
  }
  const user = await fetch(`${registry}-/user/org.couchdb.user:selftest`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'selftest', password: 'selftest-password' }),
  }).then((r) => r.json() as Promise<{ token: string }>);
  writeFileSync(npmrc, `registry=${registry}\n//127.0.0.1:${port}/:_authToken=${user.token}\n`);
  // Tarballs are found by their integrity hash: sharing the user's content cache is safe and saves the downloads.
  mkdirSync(join(work, 'npm-cache'));
  const userCache = join(execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' }).trim(), '_cacache');
  if (existsSync(userCache)) symlinkSync(userCache, join(work, 'npm-cache', '_cacache'));
  const publishEnv = { ...process.env, ...env(), PATH: process.env.PATH };
  const tarballs = [...WORKSPACES.map((w) => [pack(w, RUNNING), 'latest']), ...WORKSPACES.map((w) => [pack(w, OTHER), 'selftest'])];
  await Promise.all(tarballs.map(([file, tag]) => run('npm', ['publish', file!, '--tag', tag!], { env: publishEnv })));

  const realNpm = execFileSync('sh', ['-c', 'command -v npm'], { encoding: 'utf8' }).trim();
  mkdirSync(recorder);
  writeFileSync(join(recorder, 'npm'), `#!/bin/sh\necho "$*" >> '${calls}'\nexec '${realNpm}' "$@"\n`);
  chmodSync(join(recorder, 'npm'), 0o755);
});

after(() => {
  verdaccio?.kill();
  rmSync(join(work, 'npm-cache', '_cacache'), { force: true }); // the link, not the user's cache
  rmSync(work, { recursive: true, force: true });
});

test('a project pinned to another npm version runs that version, with its exit status', { timeout: 240_000 }, (t) => {
  if (skip) return t.skip(skip);
  const cwd = pinned(`npm:@anysnake2/core@${OTHER}`);
  // tofu writes what the pinned version would pin, so it switches; --dry-run keeps the file.
  const r = runCli(['tofu', '--dry-run'], { cwd, env: env() });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`^switching to anysnake2 ${OTHER.replace(/\./g, '\\.')} \\(pinned in anysnake2\\.toml\\)$`, 'm'));
  assert.match(r.stderr + r.stdout, /--dry-run: anysnake2\.toml would change/);
  assert.match(npmCalls(), new RegExp(`exec --yes --package=@anysnake2/core@${OTHER.replace(/\./g, '\\.')}`));
  // Installed now: --offline finds it in npm's cache and npx directory (and the child gets --offline too).
  const offline = runCli(['--offline', 'tofu', '--dry-run'], { cwd, env: env() });
  assert.equal(offline.code, 64, offline.stderr);
  assert.match(offline.stderr, /--offline, but these values are not pinned yet/);
  assert.match(npmCalls(), /exec --yes --offline --package=/);
  // A read-only command runs here, says so in one line, and starts no npm.
  rmSync(calls, { force: true });
  const version = runCli(['version'], { cwd, env: env() });
  assert.equal(version.stdout, `anysnake2 ${RUNNING}\n`, version.stderr);
  assert.equal(version.stderr, `note: anysnake2.toml pins anysnake2 ${OTHER}; this read-only command runs in the installed ${RUNNING} (commands that build or run switch)\n`);
  assert.equal(npmCalls(), '');
  // The child's own failure is its status, not a fetch failure: an unknown flag is a usage error (64).
  const usage = runCli(['tofu', '--no-such-flag'], { cwd, env: env() });
  assert.equal(usage.code, 64, usage.stderr);
  assert.doesNotMatch(usage.stderr, /could not fetch/);
});

test('--no-version-switch keeps the running version and starts no npm', (t) => {
  if (skip) return t.skip(skip);
  rmSync(calls, { force: true });
  const cwd = pinned(`npm:@anysnake2/core@${OTHER}`);
  // --offline tofu stops at the unpinned values before any lookup: the running version said so.
  for (const args of [
    ['--no-version-switch', '--offline', 'tofu'],
    ['--offline', 'tofu', '--no-version-switch'],
  ]) {
    const r = runCli(args, { cwd, env: env() });
    assert.equal(r.code, 64, r.stderr);
    assert.match(r.stderr, /--offline, but these values are not pinned yet/);
    assert.doesNotMatch(r.stderr, /switching/);
  }
  assert.equal(npmCalls(), '');
});

test('"dev", the running version, a legacy Rust pin or no pin at all never start npm', (t) => {
  if (skip) return t.skip(skip);
  rmSync(calls, { force: true });
  for (const url2 of ['dev', `npm:@anysnake2/core@${RUNNING}`, 'github:TyberiusPrime/anysnake2_release_flakes/main/2.3.6']) {
    const r = runCli(['--offline', 'tofu'], { cwd: pinned(url2), env: env() });
    assert.equal(r.code, 64, r.stderr);
    assert.doesNotMatch(r.stderr, /switching/, url2);
  }
  const legacy = runCli(['version'], { cwd: pinned('github:TyberiusPrime/anysnake2/main/2.3.6'), env: env() });
  assert.match(
    legacy.stderr,
    new RegExp(`anysnake2\\.toml:2:1: notice: url2 pins the original anysnake2 2\\.x .* To pin it, write url2 = "npm:@anysnake2/core@${RUNNING.replace(/\./g, '\\.')}"`),
  );
  assert.equal(legacy.stderr.split('\n').filter((l) => l.includes('notice')).length, 1);
  assert.equal(runCli(['--offline', 'tofu'], { cwd: tempProject(''), env: env() }).code, 64);
  assert.equal(npmCalls(), '');
});

test('the child of a switch never switches again', (t) => {
  if (skip) return t.skip(skip);
  rmSync(calls, { force: true });
  const r = runCli(['--offline', 'tofu'], { cwd: pinned(`npm:@anysnake2/core@${OTHER}`), env: { ...env(), ANYSNAKE2_VERSION_SWITCHED: `npm:@anysnake2/core@${OTHER}` } });
  assert.equal(r.code, 64, r.stderr);
  assert.doesNotMatch(r.stderr, /switching|note:/);
  assert.equal(npmCalls(), '');
});

test('a version the registry does not have: exit 75 with the npm command and its output', { timeout: 120_000 }, (t) => {
  if (skip) return t.skip(skip);
  const r = runCli(['run'], { cwd: pinned('npm:@anysnake2/core@9.9.9'), env: env() });
  assert.equal(r.code, 75, r.stderr);
  assert.match(r.stderr, /could not fetch the pinned anysnake2: npm exec --yes '?--package=@anysnake2\/core@9\.9\.9'? .* failed/);
  assert.match(r.stderr, /E?404|No matching version|notarget/i);
  assert.equal(r.stdout, '');
});

test('url2 that cannot pin anysnake2 is a config error at its position', (t) => {
  if (skip) return t.skip(skip);
  const r = runCli(['run'], { cwd: pinned('npm:@anysnake2/core@^0.1'), env: env() });
  assert.equal(r.code, 65);
  assert.match(r.stderr, /anysnake2\.toml:2:1: anysnake2\.url2: an npm pin needs an exact version, not "\^0\.1"/);
  const hg = runCli(['tofu'], { cwd: pinned('hg+https://hg.example.org/anysnake2'), env: env() });
  assert.equal(hg.code, 65);
  assert.match(hg.stderr, /must be hosted on a git repo/);
  // Read-only commands do not switch, so check reports it with the other problems.
  const check = runCli(['check'], { cwd: pinned('npm:@anysnake2/core@^0.1'), env: env() });
  assert.equal(check.code, 65, check.stderr);
  assert.match(check.stderr, /an npm pin needs an exact version/);
});

test('trust on first use writes the running version into a missing url2', (t) => {
  if (skip) return t.skip(skip);
  const cwd = tempProject('');
  const r = runCli(['tofu'], { cwd, env: env() });
  assert.equal(r.code, 0, r.stderr);
  assert.match(readFileSync(join(cwd, 'anysnake2.toml'), 'utf8'), new RegExp(`\\[anysnake2\\]\\n(?:.*\\n)*?\\turl2 = "npm:@anysnake2/core@${RUNNING.replace(/\./g, '\\.')}"`));
});

/** A local flake whose default package has bin/anysnake2, built from the offline mini-nixpkgs. */
function standInFlake(script: string): string {
  const dir = mkdtempSync(join(work, 'flake-'));
  writeFileSync(
    join(dir, 'flake.nix'),
    [
      '{',
      `  inputs.nixpkgs.url = "path:${fixtureUniverse()}/mini-nixpkgs";`,
      '  outputs = { self, nixpkgs }: let pkgs = nixpkgs.legacyPackages.x86_64-linux; in {',
      `    packages.x86_64-linux.default = pkgs.writeScriptBin "anysnake2" "#!\${pkgs.bash}/bin/bash\\n${script}\\n";`,
      '  };',
      '}',
    ].join('\n'),
  );
  return dir;
}

test('a flake url2 is built with nix and its bin/anysnake2 gets the original words and keeps its status', { timeout: 120_000 }, () => {
  const flake = standInFlake('echo \\"flake anysnake2 ($#): $*\\"; exit 3');
  const cwd = pinned(flake);
  const r = runCli(['--verbose', 'my-cmd', 'a b'], { cwd });
  assert.equal(r.code, 3, r.stderr);
  assert.equal(r.stdout, 'flake anysnake2 (3): --verbose my-cmd a b\n');
  assert.match(r.stderr, new RegExp(`^switching to anysnake2 ${flake} \\(pinned in anysnake2\\.toml\\)$`, 'm'));
  const broken = standInFlake('exit 0');
  writeFileSync(join(broken, 'flake.nix'), '{ outputs = { self }: { }; }');
  const b = runCli(['run'], { cwd: pinned(broken) });
  assert.equal(b.code, 75, b.stderr);
  assert.match(b.stderr, new RegExp(`could not fetch the pinned anysnake2: nix .*build --no-link --json path:${broken} failed`));
  assert.match(b.stderr, /does not provide attribute/);
  // Credentials in url2 reach git, never the terminal.
  const secret = runCli(['run'], { cwd: pinned('git+http://fixture-user:fixture-token@127.0.0.1:9/anysnake2.git?ref=main') });
  assert.equal(secret.code, 75, secret.stderr);
  assert.match(secret.stderr, /build --no-link --json 'git\+http:\/\/127\.0\.0\.1:9\/anysnake2\.git\?ref=main' failed/);
  assert.doesNotMatch(secret.stderr, /fixture-token/);
});

test('TERM, and INT without a terminal, reach the switched-to child; its status is ours', { timeout: 240_000 }, async () => {
  // `sleep & wait`: bash runs a trap at once during `wait`; with a foreground sleep it may treat an INT
  // as the child's business (bash's wait-and-cooperative-exit) and the trap comes late or not at all.
  const cwd = pinned(standInFlake("trap 'echo got TERM; exit 7' TERM; trap 'echo got INT; exit 8' INT; echo ready; while :; do sleep 0.1 & wait $!; done"));
  for (const [signal, expected] of [
    ['SIGTERM', 7],
    ['SIGINT', 8],
  ] as const) {
    // Its own process group: whatever goes wrong, the group is killed and no loop outlives the test
    // holding a pipe open (which once kept the test runner waiting past CI's wall clock).
    const child = spawn(process.execPath, [BIN, 'run'], { cwd, env: testEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const killGroup = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    };
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const closed = new Promise<number | null>((done) => child.on('close', done));
    try {
      // Ready, gone before it got there, or neither within the bound (the nix build of the stand-in included).
      const early = await Promise.race([
        new Promise<'ready'>((ready) => child.stdout.on('data', (d) => ((stdout += d), stdout.includes('ready') && ready('ready')))),
        closed.then(() => 'ended' as const),
        new Promise<'slow'>((slow) => setTimeout(slow, 150_000, 'slow').unref()),
      ]);
      assert.equal(early, 'ready', `the switched-to child was not ready (${early}):\n${stdout}\n${stderr}`);
      child.kill(signal);
      // A lost signal would otherwise wait for the test timeout without saying which one was lost.
      const code = await Promise.race([closed, new Promise<'lost'>((lost) => setTimeout(lost, 30_000, 'lost').unref())]);
      assert.equal(code, expected, `${signal}: ${stderr}${code === 'lost' ? `\n${processGroupState(child.pid!)}` : ''}`);
      assert.match(stdout, new RegExp(`got ${signal.slice(3)}`));
    } finally {
      killGroup();
    }
  }
});

test('a signal that reaches anysnake2 while it is still starting the switched-to child is passed on, not lost', { timeout: 240_000 }, async () => {
  // The child signals its parent at once, as a caller that saw it start might: anysnake2 may still be
  // inside spawn() then, and must already be listening (else INT ends it and leaves the child running).
  const cwd = pinned(standInFlake("trap 'echo got INT; exit 8' INT; kill -INT $PPID; while :; do sleep 0.1 & wait $!; done"));
  for (let round = 0; round < 3; round++) {
    const child = spawn(process.execPath, [BIN, 'run'], { cwd, env: testEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const closed = new Promise<number | null>((done) => child.on('close', done));
    try {
      const code = await Promise.race([closed, new Promise<'lost'>((lost) => setTimeout(lost, 150_000, 'lost').unref())]);
      assert.equal(code, 8, `round ${round}: ${stderr}${code === 'lost' ? `\n${processGroupState(child.pid!)}` : ''}`);
      assert.match(stdout, /got INT/);
    } finally {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
});

/** Who is still there in a process group, and how each handles signals: what a lost signal leaves to explain it. */
function processGroupState(pgid: number): string {
  const ps = spawnSync('ps', ['-o', 'pid,ppid,pgid,stat,args', '-g', String(pgid)], { encoding: 'utf8', timeout: 10_000 });
  const masks = (ps.stdout ?? '')
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/)[0])
    .filter((pid): pid is string => Boolean(pid))
    .map((pid) => {
      try {
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        return `${pid}: ${status
          .split('\n')
          .filter((l) => /^(SigBlk|SigIgn|SigCgt|SigPnd|ShdPnd):/.test(l))
          .join(' ')}`;
      } catch {
        return `${pid}: gone`;
      }
    });
  return `process group ${pgid} when the signal was lost:\n${ps.stdout}${masks.join('\n')}`;
}

/**
 * url2 is chosen by whoever wrote the config, e.g. a repository just cloned: reading, explaining,
 * checking or completing in it must not execute the pinned anysnake2. The stand-in leaves a marker.
 */
test('read-only commands and completion never start the pinned version; run and [cmd] names do', { timeout: 600_000 }, () => {
  const marker = join(work, 'pinned-version-ran');
  const flake = standInFlake(`echo \\"$*\\" >> ${marker}`);
  const cwd = pinned(flake);
  writeFileSync(join(cwd, 'anysnake2.toml'), `[anysnake2]\nurl2 = "${flake}"\n\n[cmd.my-cmd]\nrun = "true"\n`);
  const note = `note: anysnake2.toml pins anysnake2 ${flake}; this read-only command runs in the installed ${RUNNING} (commands that build or run switch)\n`;
  for (const args of [
    ['check'],
    ['-c', 'anysnake2.toml', 'check'],
    ['check', '--config', 'anysnake2.toml'],
    ['--help'],
    ['-h'],
    ['help', 'run'],
    ['run', '--help'],
    ['--offline', 'build', 'rootfs', '--help'],
    ['tofu', '-h'],
    ['schema'],
    ['config'],
    ['version'],
    ['--verbose', 'version'],
    ['version', '--json'],
    // `<name> --help` explains [cmd.<name>] without running it.
    ['my-cmd', '--help'],
  ]) {
    const r = runCli(args, { cwd });
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.ok(!existsSync(marker), `${args.join(' ')} started the pinned version`);
    assert.equal(r.stderr.split(note).length, 2, `one note for ${args.join(' ')}: ${r.stderr}`);
  }
  // Pressing Tab: candidates only, not a word on stderr.
  for (const args of [
    ['completion', '--complete', '--'],
    ['completion', '--complete', '--', 'my'],
    ['completion', 'bash'],
  ]) {
    const r = runCli(args, { cwd });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.doesNotMatch(r.stdout, /note:|pins/);
    assert.ok(!existsSync(marker), `${args.join(' ')} started the pinned version`);
  }
  assert.match(runCli(['completion', '--complete', '--'], { cwd }).stdout, /^my-cmd$/m);
  // --json output stays JSON on stdout.
  const doctor = runCli(['doctor', '--json'], { cwd });
  assert.doesNotThrow(() => JSON.parse(doctor.stdout), doctor.stdout);
  assert.ok(!existsSync(marker), 'doctor --json started the pinned version');
  // Building or running switches: run, a [cmd] name (words after -- are its own, --help too), bare anysnake2.
  for (const args of [['run', '--', 'x'], ['my-cmd', '--', '--help'], []]) {
    rmSync(marker, { force: true });
    const r = runCli(args, { cwd });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /^switching to anysnake2 /m);
    assert.equal(readFileSync(marker, 'utf8'), `${args.join(' ')}\n`);
  }
});
