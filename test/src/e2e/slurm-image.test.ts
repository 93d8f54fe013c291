/**
 * Jobs that start an image instead of the rootfs (`[slurm] image = "oci"`, for nodes without
 * /nix/store), on the real one-node cluster with podman: the job script names the image and its
 * sha256, the job runs [cmd.X] with no `nix` at all (a recording `nix` first on PATH, which the job
 * inherits from submit), and a job whose image changed after submit ends with 65 naming both
 * digests, one whose image is gone with 66. Without a cluster: the core's own side of it (a run given
 * ANYSNAKE2_IMAGE* builds nothing, runs no nix, skips the warm path, checks the digest itself,
 * refuses a runtime that cannot start the image) and the config checks of `image`.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { containerProject, runCli, tempProject } from '../support/cli.js';
import { slurmSkipReason, startCluster, type Cluster } from '../support/slurm-cluster.js';

const havePodman = spawnSync('podman', ['--version'], { timeout: 30_000 }).status === 0;
const noPodman = havePodman ? false : 'podman is not installed';
const skip = slurmSkipReason() ?? noPodman;
const noNesting = { ANYSNAKE2_INSIDE: '', SINGULARITY_NAME: '', APPTAINER_NAME: '' };
const PODMAN = '[container]\nruntime = "podman"\n[podman]\noci_runtime = "runc"\nulimits = { nofile = "1024:1024", nproc = "1024:1024" }\n';
const COMMANDS = [
  '[slurm]',
  'image = "oci"',
  '[cmd.show]',
  `run = 'echo "inside=$ANYSNAKE2_INSIDE job=\${SLURM_JOB_ID:-none} words=$*"; fixture-only; for p in "$@"; do case $p in /nix/store/*) test -e "$p" && echo "visible: $p" || echo "not visible: $p";; esac; done'`,
  '[cmd.show.slurm]',
  'time = "10"',
].join('\n');

/** A store path of the host that no image holds (a file added to the store here): visible only when the host's /nix/store is bound. */
function hostOnlyStorePath(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'as2-marker-')), 'as2-host-only-marker');
  writeFileSync(file, 'only in the host store\n');
  const added = spawnSync('nix-store', ['--add', file], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(added.status, 0, added.stderr);
  return added.stdout.trim();
}
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

/**
 * A `nix` first on PATH that appends its arguments to `record` and then runs the real one —
 * only inside a Slurm job (submit itself builds with Nix), or always with `always`.
 */
function recordingNix(always = false): { path: string; record: string } {
  const dir = mkdtempSync(join(tmpdir(), 'as2-nixrec-'));
  const real = spawnSync('bash', ['-c', 'command -v nix'], { encoding: 'utf8' }).stdout.trim();
  assert.ok(real, 'nix is on PATH');
  const record = join(dir, 'calls');
  const when = always ? 'true' : '[ -n "${SLURM_JOB_ID:-}" ]';
  writeFileSync(join(dir, 'nix'), `#!/bin/bash\nif ${when}; then printf '%s\\n' "$*" >> '${record}'; fi\nexec '${real}' "$@"\n`);
  chmodSync(join(dir, 'nix'), 0o755);
  chmodSync(dir, 0o755);
  return { path: `${dir}:${process.env.PATH}`, record };
}

let cluster: Cluster | undefined;
before(() => {
  if (skip) return;
  cluster = startCluster();
});
after(() => cluster?.stop());

interface Row {
  id: string;
  state: string;
  exitCode: number | null;
  log: string;
}

test('image = "oci" with podman: the job starts the OCI archive, named with its sha256 in the script, and runs no nix; a changed image is 65, a missing one 66', {
  skip,
  timeout: 900_000,
}, () => {
  const project = containerProject(`${PODMAN}${COMMANDS}`);
  const nix = recordingNix();
  const env = { ...noNesting, ...cluster!.env, PATH: nix.path };
  const cli = (args: string[]) => runCli(args, { cwd: project, env });
  const sbatch = (args: string[]) => {
    const r = spawnSync('sbatch', ['--parsable', '--output=/dev/null', ...args], { cwd: project, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000 });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout.trim().split(';')[0]!;
  };
  const waitFor = (id: string): Row => {
    const end = Date.now() + 300_000;
    for (;;) {
      const r = cli(['jobs', '--json']);
      assert.equal(r.code, 0, r.stderr);
      const row = (JSON.parse(r.stdout) as Row[]).find((j) => j.id === id);
      if (row && row.exitCode !== null && !['PENDING', 'RUNNING', 'COMPLETING'].includes(row.state)) return row;
      assert.ok(Date.now() < end, `job ${id} did not end: ${JSON.stringify(row)}`);
      spawnSync('sleep', ['0.5']);
    }
  };

  // The recording nix does record in a job that calls nix (so its silence below means something).
  sbatch(['--wait', '--wrap', 'nix --version > /dev/null']);
  assert.match(readFileSync(nix.record, 'utf8'), /^--version$/m);
  rmSync(nix.record);

  const hostOnly = hostOnlyStorePath();
  const r = cli(['submit', 'show', 'a b', hostOnly, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const job = JSON.parse(r.stdout) as { id: string; log: string; script: string; image: { kind: string; path: string; sha256: string } };
  const image = join(project, 'anysnake2_container.oci.tar');
  assert.deepEqual(job.image, { kind: 'oci', path: image, sha256: sha256(image) });
  const script = readFileSync(job.script, 'utf8');
  assert.ok(script.includes(`\n# image: ${image}\n# image sha256: ${job.image.sha256}\n`), script);
  assert.match(script, /^# runtime: podman$/m);
  const row = waitFor(job.id);
  const log = readFileSync(job.log, 'utf8');
  assert.equal(row.exitCode, 0, log);
  assert.equal(row.state, 'COMPLETED');
  assert.ok(log.includes(`inside=show job=${job.id} words=a b ${hostOnly}\n`), log);
  assert.match(log, /^only inside the container: fixture-only from \/nix\/store\//m, log);
  // The closure comes from the image: the host's /nix/store is not there.
  assert.ok(log.includes(`not visible: ${hostOnly}\n`), log);
  assert.equal(existsSync(nix.record), false, `the job ran nix: ${existsSync(nix.record) ? readFileSync(nix.record, 'utf8') : ''}`);
  // An image job is never replayed on the warm path: each submit builds and hashes the image again.
  assert.equal(existsSync(join(project, '.anysnake2_flake', 'run_scripts', '.warm_commands', 'submit.json')), false, 'an image submit recorded a warm entry');

  // Held behind a job that waits (held) until the image was changed.
  const changedJob = () => {
    const blocker = sbatch(['--hold', '--wrap', 'true']);
    const submitted = cli(['submit', 'show', '--dependency', `afterany:${blocker}`, '--json']);
    assert.equal(submitted.code, 0, submitted.stderr);
    return { blocker, job: JSON.parse(submitted.stdout) as typeof job };
  };
  const changed = changedJob();
  assert.equal(changed.job.image.sha256, job.image.sha256, 'the same rootfs gives the same image bytes');
  appendFileSync(image, 'changed');
  const now = sha256(image);
  spawnSync('scancel', [changed.blocker], { env: { ...process.env, ...env }, timeout: 60_000 });
  const changedRow = waitFor(changed.job.id);
  const changedLog = readFileSync(changed.job.log, 'utf8');
  assert.equal(changedRow.exitCode, 65, changedLog);
  assert.ok(changedLog.includes(`changed since this job was submitted: its sha256 is ${now}, the job expects ${job.image.sha256}`), changedLog);

  const missing = changedJob();
  assert.equal(sha256(image), job.image.sha256, 'submit wrote the image again');
  rmSync(image);
  spawnSync('scancel', [missing.blocker], { env: { ...process.env, ...env }, timeout: 60_000 });
  const missingRow = waitFor(missing.job.id);
  const missingLog = readFileSync(missing.job.log, 'utf8');
  assert.equal(missingRow.exitCode, 66, missingLog);
  assert.match(missingLog, /the image .*anysnake2_container\.oci\.tar of this job is missing on /);
  assert.equal(existsSync(nix.record), false, 'no job ran nix');
});

test('a run given ANYSNAKE2_IMAGE* starts the image with podman: no build, no nix, no warm path; the core checks the digest itself', { skip: noPodman, timeout: 900_000 }, () => {
  const project = containerProject(`${PODMAN}[cmd.show]\nrun = 'echo "words=$*"; fixture-only; test -e "$1" && echo "visible: $1" || echo "not visible: $1"'\n`);
  const hostOnly = hostOnlyStorePath();
  const built = runCli(['build', 'oci', '--json'], { cwd: project, env: noNesting });
  assert.equal(built.code, 0, built.stderr);
  const image = (JSON.parse(built.stdout) as { path: string }).path;
  // A warm entry for the rootfs run, in the same environment: the image run must not replay it.
  const nix = recordingNix(true);
  const warm = runCli(['show', hostOnly], { cwd: project, env: { ...noNesting, PATH: nix.path, ANYSNAKE2_DEBUG_WARM_PATH: '1' } });
  assert.equal(warm.code, 0, warm.stderr);
  assert.match(warm.stdout, /^visible: /m, 'the rootfs run sees the host store');
  rmSync(nix.record, { force: true });
  const given = (file: string, digest: string) => ({
    ...noNesting,
    PATH: nix.path,
    ANYSNAKE2_DEBUG_WARM_PATH: '1',
    ANYSNAKE2_IMAGE: file,
    ANYSNAKE2_IMAGE_KIND: 'oci',
    ANYSNAKE2_IMAGE_SHA256: digest,
  });
  // The same words as the warm entry's: the image run neither looks it up nor replays it.
  const r = runCli(['show', hostOnly], { cwd: project, env: given(image, sha256(image)) });
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.includes(`words=${hostOnly}\nonly inside the container: fixture-only from /nix/store/`), r.stdout);
  assert.ok(r.stdout.includes(`not visible: ${hostOnly}\n`), r.stdout);
  assert.doesNotMatch(r.stderr, /warm path/);
  const verbose = runCli(['--verbose', 'show', hostOnly], { cwd: project, env: given(image, sha256(image)) });
  assert.equal(verbose.code, 0, verbose.stderr);
  assert.ok(verbose.stderr.includes(` --pull never oci-archive:${image} `), verbose.stderr);
  assert.doesNotMatch(verbose.stderr, /--rootfs/);
  assert.equal(existsSync(nix.record), false, `nix ran: ${existsSync(nix.record) ? readFileSync(nix.record, 'utf8') : ''}`);

  const wrong = 'f'.repeat(64);
  const changed = runCli(['show'], { cwd: project, env: given(image, wrong) });
  assert.equal(changed.code, 65, changed.stderr);
  assert.ok(changed.stderr.includes(`its sha256 is ${sha256(image)}, the job expects ${wrong}`), changed.stderr);
  const gone = runCli(['show'], { cwd: project, env: given(join(project, 'gone.oci.tar'), wrong) });
  assert.equal(gone.code, 66, gone.stderr);
  assert.match(gone.stderr, /the image .*gone\.oci\.tar is missing/);
  assert.equal(existsSync(nix.record), false, 'nix ran');
});

test('a runtime that cannot start the image refuses (65 naming [container] runtime); apptainer from Nix is not used for a SIF', () => {
  const file = join(mkdtempSync(join(tmpdir(), 'as2-img-')), 'env.sif');
  writeFileSync(file, 'not really a SIF\n');
  const nix = recordingNix(true);
  const env = (kind: string) => ({ ...noNesting, PATH: nix.path, ANYSNAKE2_IMAGE: file, ANYSNAKE2_IMAGE_KIND: kind, ANYSNAKE2_IMAGE_SHA256: sha256(file) });
  const bwrap = containerProject('[container]\nruntime = "bwrap"\n[cmd.x]\nrun = "true"\n');
  const refused = runCli(['x'], { cwd: bwrap, env: env('oci') });
  assert.equal(refused.code, 65, refused.stderr);
  assert.match(refused.stderr, /anysnake2\.toml:\d+:\d+: container\.runtime: the runtime "bwrap" cannot start a oci image/);
  assert.match(refused.stderr, /set \[container\] runtime to one that can: podman/);
  const apptainer = containerProject('[container]\nruntime = "apptainer"\n[cmd.x]\nrun = "true"\n');
  const missing = runCli(['x'], { cwd: apptainer, env: env('sif') });
  assert.equal(missing.code, 69, missing.stderr);
  assert.match(missing.stderr, /apptainer is not installed on this host, and a run from an image does not take it from Nix/);
  const bad = runCli(['x'], { cwd: apptainer, env: { ...env('sif'), ANYSNAKE2_IMAGE_SHA256: 'not-hex' } });
  assert.equal(bad.code, 64, bad.stderr);
  assert.match(bad.stderr, /ANYSNAKE2_IMAGE_SHA256 must be a sha256/);
  assert.equal(existsSync(nix.record), false, `nix ran: ${existsSync(nix.record) ? readFileSync(nix.record, 'utf8') : ''}`);
});

test('a bad image value is 65 with line:column; an image the configured runtime cannot start is 65 with a fix', () => {
  const bad = runCli(['check'], { cwd: tempProject('[slurm]\nimage = "docker"\n[cmd.x]\nrun = "true"\n') });
  assert.equal(bad.code, 65, bad.stderr);
  assert.match(bad.stderr, /anysnake2\.toml:2:\d+: slurm\.image: must be "store", "sif" or "oci"/);
  for (const [runtime, kind, able] of [
    ['bwrap', 'sif', '"apptainer" \\(apptainer or singularity can\\)'],
    ['podman', 'sif', '"apptainer" \\(apptainer or singularity can\\)'],
    ['apptainer', 'oci', '"podman" \\(podman can\\)'],
  ] as const) {
    const r = runCli(['check'], { cwd: tempProject(`[container]\nruntime = "${runtime}"\n[cmd.x]\nrun = "true"\n[cmd.x.slurm]\nimage = "${kind}"\n`) });
    assert.equal(r.code, 65, r.stderr);
    assert.match(r.stderr, new RegExp(`anysnake2\\.toml:6:\\d+: cmd\\.x\\.slurm\\.image: \\[container\\] runtime = "${runtime}" cannot start a ${kind} image`));
    assert.match(r.stderr, new RegExp(`set \\[container\\] runtime = ${able}, or image = "store"`));
  }
  for (const ok of [
    '[container]\nruntime = "podman"\n[slurm]\nimage = "oci"\n',
    '[container]\nruntime = "apptainer"\n[slurm]\nimage = "sif"\n',
    '[slurm]\nimage = "sif"\n',
    '[slurm]\nimage = "store"\n',
  ]) {
    const r = runCli(['check'], { cwd: tempProject(`${ok}[cmd.x]\nrun = "true"\n`) });
    assert.equal(r.code, 0, `${ok}: ${r.stderr}`);
  }
});
