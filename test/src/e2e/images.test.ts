/**
 * `build oci` and `build sif` on the fixture universe: the archive is byte-for-byte reproducible,
 * the real skopeo, umoci, GNU tar and podman accept it, and podman runs what only the image has.
 * apptainer is not installable here: `build sif` is checked for its exit 69 and, with a stand-in
 * apptainer that records its argv, for the exact command line it runs.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tarStream, type TarEntry } from '../../../core/dist/image/tar.js';
import { containerProject, fixtureUniverse, runCli } from '../support/cli.js';

const PROJECT_TOML = [
  '[container.env]',
  'GREETING = "hello from $ANYSNAKE2_TEST_WHO"',
  '[cmd.default]',
  'run = "fixture-only; echo \\"args: $*\\""',
  'post_run_inside = "echo \\"post: $ANYSNAKE_RUN_STATUS\\""',
].join('\n');
const ENV = { ANYSNAKE2_TEST_WHO: 'the host' };

const have = (tool: string) => spawnSync('sh', ['-c', `command -v ${tool}`]).status === 0;
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
const text = (r: SpawnSyncReturns<string>) => `exit ${r.status}\n${r.stdout}${r.stderr}`;

let built: { cwd: string; archive: string; digest: string } | undefined;
/** One project and its image, shared by the tests that only read it. */
function builtImage(): { cwd: string; archive: string; digest: string } {
  if (!built) {
    const cwd = containerProject(PROJECT_TOML);
    const r = runCli(['build', 'oci'], { cwd, env: ENV });
    assert.equal(r.code, 0, r.stderr);
    const [path, digest] = r.stdout.trim().split('\n');
    assert.equal(path, join(cwd, 'anysnake2_container.oci.tar'));
    assert.match(digest!, /^sha256:[0-9a-f]{64}$/);
    built = { cwd, archive: path!, digest: digest! };
  }
  return built;
}

test('build oci twice gives the same bytes and digest; --json reports path, digest, size and the file sha256', () => {
  const { cwd, archive, digest } = builtImage();
  const again = join(mkdtempSync(join(tmpdir(), 'as2-oci-')), 'again.tar');
  const r = runCli(['build', 'oci', '-o', again, '--json'], { cwd, env: ENV });
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { path: again, digest, size: readFileSync(archive).length, sha256: sha256(archive) });
  assert.equal(sha256(again), sha256(archive));
});

test('build oci writes an archive only when its inputs or the file changed', () => {
  const cwd = containerProject(PROJECT_TOML);
  const archive = join(cwd, 'anysnake2_container.oci.tar');
  const build = () => {
    const r = runCli(['build', 'oci', '--json'], { cwd, env: ENV });
    assert.equal(r.code, 0, r.stderr);
    return { ...(JSON.parse(r.stdout) as { digest: string; sha256: string }), stderr: r.stderr, stat: statSync(archive) };
  };
  const first = build();
  assert.match(first.stderr, /writing the image/);
  // Same inputs, file untouched: used as it is (same inode, not rewritten), with the recorded sha256.
  const second = build();
  assert.match(second.stderr, /the image is up to date/);
  assert.doesNotMatch(second.stderr, /writing the image/);
  assert.equal(second.stat.ino, first.stat.ino);
  assert.equal(second.stat.mtimeMs, first.stat.mtimeMs);
  assert.equal(second.sha256, sha256(archive));
  // The file changed behind our back: written again, the same bytes as before.
  writeFileSync(archive, 'not an image');
  const repaired = build();
  assert.match(repaired.stderr, /writing the image/);
  assert.equal(sha256(archive), first.sha256);
  // Different inputs (an image variable): a new archive.
  const r = runCli(['build', 'oci', '--json'], { cwd, env: { ...ENV, ANYSNAKE2_TEST_WHO: 'someone else' } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /writing the image/);
  assert.notEqual((JSON.parse(r.stdout) as { sha256: string }).sha256, first.sha256);
  assert.equal(sha256(archive), (JSON.parse(r.stdout) as { sha256: string }).sha256);
});

test('build oci -o into a place that cannot be written fails at once with exit 64 and a hint', () => {
  const cwd = containerProject(PROJECT_TOML);
  const r = runCli(['build', 'oci', '-o', join(cwd, 'anysnake2.toml', 'image.tar')], { cwd, env: ENV });
  assert.equal(r.code, 64, r.stderr);
  assert.match(r.stderr, /^error: cannot write .*anysnake2\.toml\/image\.tar: EEXIST/m);
  assert.match(r.stderr, /hint: choose a writable place with -o FILE/);
  assert.doesNotMatch(r.stderr, /internal error|    at /);
  assert.ok(!existsSync(join(cwd, '.anysnake2_flake', 'result')), 'nothing was built');
});

test('the archive is an OCI image layout: GNU tar lists it, its layer has fixed owners, times and modes', () => {
  const { archive, digest } = builtImage();
  const layout = mkdtempSync(join(tmpdir(), 'as2-layout-'));
  assert.equal(spawnSync('tar', ['-xf', archive, '-C', layout]).status, 0);
  assert.deepEqual(JSON.parse(readFileSync(join(layout, 'oci-layout'), 'utf8')), { imageLayoutVersion: '1.0.0' });
  const index = JSON.parse(readFileSync(join(layout, 'index.json'), 'utf8'));
  assert.equal(index.manifests[0].digest, digest);
  const blob = (d: string) => join(layout, 'blobs', 'sha256', d.slice('sha256:'.length));
  const manifest = JSON.parse(readFileSync(blob(digest), 'utf8'));
  assert.equal(`sha256:${sha256(blob(digest))}`, digest);
  const layer = manifest.layers[0];
  assert.equal(layer.mediaType, 'application/vnd.oci.image.layer.v1.tar+gzip');
  assert.equal(`sha256:${sha256(blob(layer.digest))}`, layer.digest);
  const listing = spawnSync('tar', ['-tvzf', blob(layer.digest), '--numeric-owner'], { encoding: 'utf8', maxBuffer: 64 << 20, env: { ...process.env, TZ: 'UTC' } });
  assert.equal(listing.status, 0, listing.stderr);
  const lines = listing.stdout.trim().split('\n');
  assert.ok(
    lines.every((line) => / 0\/0 .* 1970-01-01 00:00 /.test(line)),
    'owner 0/0 and mtime 1 everywhere',
  );
  const entry = (path: string) => lines.find((line) => line.endsWith(` ${path}`) || line.includes(` ${path} -> `));
  assert.match(entry('tmp/')!, /^drwxrwxrwt /);
  assert.match(entry('bin/fixture-only')!, /^lrwxrwxrwx .* -> \/nix\/store\/[a-z0-9]{32}-fixture-only\/bin\/fixture-only$/);
  assert.ok(
    lines.some((line) => /^-r-xr-xr-x .* nix\/store\/[a-z0-9]{32}-fixture-only\/bin\/fixture-only$/.test(line)),
    'the closure is in the image',
  );
  assert.match(entry('anysnake2/outer_run.sh')!, /^-rwxr-xr-x /);
});

test('skopeo inspects the archive: digest, environment and default command', { skip: !have('skopeo') && 'skopeo is not installed (apt-get install skopeo)' }, () => {
  const { archive, digest } = builtImage();
  const inspect = spawnSync('skopeo', ['inspect', `oci-archive:${archive}`], { encoding: 'utf8' });
  assert.equal(inspect.status, 0, inspect.stderr);
  const info = JSON.parse(inspect.stdout);
  assert.equal(info.Digest, digest);
  assert.deepEqual(info.Env, ['PATH=/bin', 'BASH_ENV=/etc/bashrc', 'GREETING=hello from the host']);
  const config = JSON.parse(spawnSync('skopeo', ['inspect', '--config', `oci-archive:${archive}`], { encoding: 'utf8' }).stdout);
  assert.deepEqual(config.config.Cmd, ['/bin/bash', '/anysnake2/outer_run.sh']);
});

test('umoci unpacks the image rootless: the symlink forest resolves inside the image', { skip: !have('umoci') && 'umoci is not installed (apt-get install umoci)' }, () => {
  const { archive } = builtImage();
  const work = mkdtempSync(join(tmpdir(), 'as2-umoci-'));
  mkdirSync(join(work, 'layout'));
  assert.equal(spawnSync('tar', ['-xf', archive, '-C', join(work, 'layout')]).status, 0);
  const unpack = spawnSync('umoci', ['unpack', '--rootless', '--image', `${join(work, 'layout')}:anysnake2`, join(work, 'bundle')], { encoding: 'utf8' });
  assert.equal(unpack.status, 0, text(unpack));
  const rootfs = join(work, 'bundle', 'rootfs');
  const target = readlinkSync(join(rootfs, 'bin', 'fixture-only'));
  assert.ok(target.startsWith('/nix/store/'), target);
  assert.ok(existsSync(join(rootfs, target)), `${target} is inside the image`);
  const bundleConfig = JSON.parse(readFileSync(join(work, 'bundle', 'config.json'), 'utf8'));
  assert.deepEqual(bundleConfig.process.args, ['/bin/bash', '/anysnake2/outer_run.sh']);
  rmSync(work, { recursive: true, force: true });
});

/**
 * podman options that let this machine run a container at all, found with a busybox rootfs that
 * has nothing to do with our image. Tried in order: podman's defaults; then for hosts like this
 * one (no CAP_SYS_RESOURCE, so the default rlimits cannot be set; cgroup v1 with a v2 hierarchy
 * that has controllers, which crun refuses) runc with limits below the current ones.
 */
function podmanOptions(storage: string): { options?: string[]; reason: string } {
  const busybox = spawnSync('sh', ['-c', 'command -v busybox'], { encoding: 'utf8' }).stdout.trim();
  if (!busybox) return { reason: 'busybox (busybox-static) is needed for the podman probe' };
  const probeRoot = join(storage, 'probe-rootfs');
  mkdirSync(join(probeRoot, 'bin'), { recursive: true });
  copyFileSync(busybox, join(probeRoot, 'bin', 'busybox'));
  chmodSync(join(probeRoot, 'bin', 'busybox'), 0o755);
  const base = ['--root', join(storage, 'root'), '--runroot', join(storage, 'run'), '--storage-driver', 'vfs'];
  const limits = ['--ulimit', 'nofile=1024:1024', '--ulimit', 'nproc=1024:1024'];
  const candidates = [[], ...(have('runc') ? [['--runtime', 'runc', ...limits]] : []), ['--cgroups=disabled', ...limits]];
  const failures: string[] = [];
  for (const extra of candidates) {
    const probe = spawnSync('podman', [...base, 'run', '--rm', ...extra, '--rootfs', probeRoot, '/bin/busybox', 'echo', 'probe ok'], { encoding: 'utf8' });
    if (probe.status === 0 && probe.stdout.includes('probe ok')) return { options: [...base, 'run', '--rm', ...extra], reason: '' };
    failures.push(`[${extra.join(' ')}] ${probe.stderr.trim().split('\n').pop()}`);
  }
  return { reason: `podman cannot run any container on this machine: ${failures.join('; ')}` };
}

test('podman runs the archive: what only the container has, the default command, the environment', (t) => {
  if (!have('podman')) return t.skip('podman is not installed (apt-get install podman)');
  const { archive } = builtImage();
  const storage = mkdtempSync(join(tmpdir(), 'as2-podman-'));
  try {
    const { options, reason } = podmanOptions(storage);
    if (!options) return t.skip(reason);
    const podman = (...args: string[]) => spawnSync('podman', [...options, `oci-archive:${archive}`, ...args], { encoding: 'utf8' });
    assert.notEqual(spawnSync('sh', ['-c', 'command -v fixture-only']).status, 0, 'the host must not have fixture-only');
    const only = podman('fixture-only');
    assert.equal(only.status, 0, text(only));
    assert.match(only.stdout, /^only inside the container: fixture-only from \/nix\/store\/[a-z0-9]{32}-fixture-only$/m);
    const byDefault = podman();
    assert.equal(byDefault.status, 0, text(byDefault));
    assert.match(byDefault.stdout, /only inside the container[^\n]*\nargs: \npost: 0\n$/);
    const env = podman('bash', '-c', 'echo "$GREETING|$PATH|$BASH_ENV"');
    assert.equal(env.stdout, 'hello from the host|/bin|/etc/bashrc\n', text(env));
  } finally {
    rmSync(storage, { recursive: true, force: true });
  }
});

test('build sif without apptainer or singularity exits 69 and says what to install', (t) => {
  if (have('apptainer') || have('singularity')) return t.skip('apptainer or singularity is installed here');
  const cwd = containerProject(PROJECT_TOML);
  const r = runCli(['build', 'sif'], { cwd, env: ENV });
  assert.equal(r.code, 69, r.stderr);
  assert.match(r.stderr, /building a SIF needs apptainer or singularity: neither is on PATH, and path:.*mini-nixpkgs provides neither/);
  assert.match(r.stderr, /hint: install apptainer/);
  assert.ok(!existsSync(join(cwd, 'anysnake2_container.oci.tar')), 'nothing is built first');
});

test('build sif runs `apptainer build --force FILE oci-archive:ARCHIVE` on the OCI archive', () => {
  const bin = mkdtempSync(join(tmpdir(), 'as2-apptainer-'));
  const log = join(bin, 'argv');
  // Records argv NUL-separated and writes the output file, as the real build does.
  writeFileSync(join(bin, 'apptainer'), `#!/bin/bash\nprintf '%s\\0' "$@" > '${log}'\necho SIF > "$3"\n`);
  chmodSync(join(bin, 'apptainer'), 0o755);
  const { cwd, archive, digest } = builtImage();
  const sif = join(bin, 'out', 'image.sif');
  const r = runCli(['build', 'sif', '-o', sif], { cwd, env: { ...ENV, PATH: `${bin}:${process.env.PATH}` } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, `${sif}\n`);
  assert.deepEqual(readFileSync(log, 'utf8').split('\0').slice(0, -1), ['build', '--force', sif, `oci-archive:${archive}`]);
  assert.equal(readFileSync(sif, 'utf8'), 'SIF\n');
  const skopeo = spawnSync('skopeo', ['inspect', `oci-archive:${archive}`], { encoding: 'utf8' });
  if (skopeo.status === 0) assert.equal(JSON.parse(skopeo.stdout).Digest, digest, 'the SIF is made from the same image');
});

test('build sif takes apptainer from [outside_nixpkgs] through nix shell when PATH has none', (t) => {
  if (have('apptainer') || have('singularity')) return t.skip('apptainer or singularity is installed here, and PATH wins');
  const dir = mkdtempSync(join(tmpdir(), 'as2-outside-'));
  const log = join(mkdtempSync(join(tmpdir(), 'as2-argv-')), 'argv');
  // A nixpkgs stand-in whose only package is an `apptainer` that records its argv.
  writeFileSync(
    join(dir, 'flake.nix'),
    `{
  inputs.nixpkgs.url = "path:${fixtureUniverse()}/mini-nixpkgs";
  outputs = { self, nixpkgs }: let pkgs = nixpkgs.legacyPackages.x86_64-linux; in {
    legacyPackages.x86_64-linux.apptainer = pkgs.writeScriptBin "apptainer" ''
      #!\${pkgs.bash}/bin/bash
      printf '%s\\0' "$@" > ${log}
      echo SIF > "$3"
    '';
  };
}
`,
  );
  const cwd = containerProject(PROJECT_TOML);
  const toml = join(cwd, 'anysnake2.toml');
  writeFileSync(toml, readFileSync(toml, 'utf8').replace(/(\[outside_nixpkgs\]\nurl = )"[^"]*"/, `$1"${dir}"`));
  const r = runCli(['build', 'sif'], { cwd, env: ENV });
  assert.equal(r.code, 0, r.stderr);
  const sif = join(cwd, 'anysnake2_container.sif');
  assert.equal(r.stdout, `${sif}\n`);
  const archive = join(cwd, 'anysnake2_container.oci.tar');
  assert.deepEqual(readFileSync(log, 'utf8').split('\0').slice(0, -1), ['build', '--force', sif, `oci-archive:${archive}`]);
  assert.equal(readFileSync(sif, 'utf8'), 'SIF\n');
});

test('tar: names and link targets beyond ustar limits travel as pax records that GNU tar reads', async () => {
  const long = `nix/store/${'a'.repeat(32)}-${'long-name-'.repeat(12)}/${'sub/'.repeat(20)}file-ü.txt`;
  const target = `/nix/store/${'b'.repeat(32)}-${'target-'.repeat(20)}`;
  const entries: TarEntry[] = [
    { type: 'file', path: long, mode: 0o444, size: 3, source: Buffer.from('hi\n') },
    { type: 'symlink', path: 'link', target },
  ];
  const chunks: Buffer[] = [];
  for await (const chunk of tarStream(entries)) chunks.push(chunk);
  const file = join(mkdtempSync(join(tmpdir(), 'as2-tar-')), 'x.tar');
  writeFileSync(file, Buffer.concat(chunks));
  const listing = spawnSync('tar', ['-tvf', file, '--numeric-owner'], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8', TZ: 'UTC' } });
  assert.equal(listing.status, 0, listing.stderr);
  const [first, second] = listing.stdout.trim().split('\n');
  assert.ok(first!.endsWith(` ${long}`), first);
  assert.match(first!, /^-r--r--r-- 0\/0 +3 1970-01-01/);
  assert.ok(second!.endsWith(` link -> ${target}`), second);
});
