/**
 * The Slurm job script (plugins/slurm/src/job-script.ts): run with real bash, with a stand-in for
 * node that records its argv, so the words that reach `anysnake2 <cmd>` are checked byte for byte,
 * hostile ones included, and the recorded exit status is the command's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { jobName, jobScript, sbatchOptions } from '@anysnake2/plugin-slurm/dist/job-script.js';
import { IMAGE_ENV, IMAGE_KIND_ENV, IMAGE_SHA256_ENV } from '@anysnake2/plugin-slurm/dist/image-check.js';
import { shellQuoteWord } from '../../../core/dist/shell-quote.js';
import * as core from '../../../core/dist/pipeline/run-image.js';

function scriptIn(dir: string, words: string[], exitWith: number) {
  const project = join(dir, "my project's $(dir)");
  const logs = join(project, 'anysnake2_jobs', 'logs');
  mkdirSync(logs, { recursive: true });
  // The "node" binary: records every argument NUL-terminated and ends with the given status.
  const node = join(dir, 'fake node');
  writeFileSync(node, `#!/bin/bash\nprintf '%s\\0' "$@" > ${shellQuoteWord(join(dir, 'argv'))}\nprintf '%s' "$PWD" > ${shellQuoteWord(join(dir, 'cwd'))}\nexit ${exitWith}\n`);
  chmodSync(node, 0o755);
  const text = jobScript({
    commandName: 'align',
    words,
    resources: { cpus: 4, time: '1:00:00', extra: ['--mail-type=END'] },
    jobName: jobName(project, 'align'),
    projectDir: project,
    configFile: join(project, 'anysnake2.toml'),
    logDir: logs,
    nodeBinary: node,
    cliEntry: '/opt/anysnake2/core/bin/run.js',
    version: '0.1.0',
    rootfs: '/nix/store/00000000000000000000000000000000-anysnake2_container/rootfs',
    runtime: 'bwrap',
    quote: shellQuoteWord,
  });
  const file = join(dir, 'job.sbatch');
  writeFileSync(file, text);
  return { project, logs, file, text };
}

test('the job runs `anysnake2 <cmd> -- words` with every word intact, from the project directory, and records its status', () => {
  const dir = mkdtempSync(join(tmpdir(), 'as2-jobscript-'));
  const words = ['plain', 'two words', `it's "quoted"`, '$(touch /tmp/pwned)', '`id`', 'line\nbreak', '--config', '-c', '', '*', '\\', '#SBATCH --uid=0'];
  const { project, logs, file, text } = scriptIn(dir, words, 7);
  const r = spawnSync('bash', [file], { env: { PATH: process.env.PATH, SLURM_JOB_ID: '4242' }, encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 7, r.stderr);
  const argv = readFileSync(join(dir, 'argv'), 'utf8').split('\0').slice(0, -1);
  assert.deepEqual(argv, ['/opt/anysnake2/core/bin/run.js', '--no-version-switch', '-c', join(project, 'anysnake2.toml'), 'align', '--', ...words]);
  assert.equal(readFileSync(join(dir, 'cwd'), 'utf8'), project);
  assert.equal(readFileSync(join(logs, '4242.status'), 'utf8'), '7\n');
  // Only the header's own lines are #SBATCH lines: no word and no path adds one.
  assert.deepEqual(
    text.split('\n').filter((l) => l.startsWith('#SBATCH')),
    [`#SBATCH --job-name=${jobName(project, 'align')}`, '#SBATCH --time=1:00:00', '#SBATCH --cpus-per-task=4', '#SBATCH --mail-type=END'],
  );
  assert.match(jobName(project, 'align'), /^[A-Za-z0-9_.-]+$/);
  assert.match(r.stderr, /is not in the \/nix\/store of .*: building it there/);
});

test('an array task records its status as <array job>_<task>', () => {
  const dir = mkdtempSync(join(tmpdir(), 'as2-jobscript-'));
  const { logs, file } = scriptIn(dir, [], 0);
  const r = spawnSync('bash', [file], {
    env: { PATH: process.env.PATH, SLURM_JOB_ID: '51', SLURM_ARRAY_JOB_ID: '50', SLURM_ARRAY_TASK_ID: '3' },
    encoding: 'utf8',
    timeout: 20_000,
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(readFileSync(join(logs, '50_3.status'), 'utf8'), '0\n');
});

test('the job records when and where it started without starting a process of its own before the command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'as2-jobscript-'));
  const { logs, file } = scriptIn(dir, [], 0);
  // An empty PATH: no date, no hostname (the stand-in for node is named by its path, as the real one is).
  const empty = join(dir, 'no-tools');
  mkdirSync(empty);
  const before = Math.floor(Date.now() / 1000);
  const r = spawnSync('/bin/bash', [file], { env: { PATH: empty, SLURM_JOB_ID: '77' }, encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /command not found/);
  const [seconds, host] = readFileSync(join(logs, '77.started'), 'utf8').trimEnd().split(' ');
  assert.ok(Number(seconds) >= before && Number(seconds) <= Math.ceil(Date.now() / 1000), `${seconds} is not the time the job started`);
  assert.equal(host, hostname());
  assert.match(r.stderr, new RegExp(`is not in the /nix/store of ${hostname()}: building it there`));
});

test('resources become sbatch options in a fixed order; gpus = 0 asks for none', () => {
  assert.deepEqual(sbatchOptions({ extra: ['--x=1'], qos: 'q', account: 'a', gpus: 'a100:2', mem: '8G', cpus: 2, time: '5', partition: 'p' }), [
    '--partition=p',
    '--time=5',
    '--cpus-per-task=2',
    '--mem=8G',
    '--gpus=a100:2',
    '--account=a',
    '--qos=q',
    '--x=1',
  ]);
  assert.deepEqual(sbatchOptions({ gpus: 0 }), []);
});

test('an image job: the script names the image and its sha256, refuses a changed image (65, both digests) and a missing one (66), and hands the image to anysnake2', () => {
  const dir = mkdtempSync(join(tmpdir(), 'as2-jobscript-'));
  const logs = join(dir, 'logs');
  mkdirSync(logs);
  const imagePath = join(dir, "the image's $(file).oci.tar");
  writeFileSync(imagePath, 'image bytes\n');
  const sha256 = createHash('sha256').update('image bytes\n').digest('hex');
  // The "node": records the image variables it was started with.
  const node = join(dir, 'node');
  writeFileSync(node, `#!/bin/bash\nprintf '%s\\0' "$ANYSNAKE2_IMAGE" "$ANYSNAKE2_IMAGE_KIND" "$ANYSNAKE2_IMAGE_SHA256" > ${shellQuoteWord(join(dir, 'env'))}\nexit 0\n`);
  chmodSync(node, 0o755);
  const text = jobScript({
    commandName: 'align',
    words: [],
    resources: {},
    jobName: 'p-align',
    projectDir: dir,
    configFile: join(dir, 'anysnake2.toml'),
    logDir: logs,
    nodeBinary: node,
    cliEntry: '/opt/anysnake2/core/bin/run.js',
    version: '0.1.0',
    rootfs: '/nix/store/00000000000000000000000000000000-anysnake2_container/rootfs',
    runtime: 'podman',
    image: { kind: 'oci', path: imagePath, sha256 },
    quote: shellQuoteWord,
  });
  assert.ok(text.includes(`\n# image: ${imagePath}\n# image sha256: ${sha256}\n`), text);
  const file = join(dir, 'job.sbatch');
  writeFileSync(file, text);
  const run = (id: string) => spawnSync('bash', [file], { env: { PATH: process.env.PATH, SLURM_JOB_ID: id }, encoding: 'utf8', timeout: 20_000 });
  const ok = run('1');
  assert.equal(ok.status, 0, ok.stderr);
  assert.doesNotMatch(ok.stderr, /nix\/store/, 'an image job does not look for the rootfs');
  assert.deepEqual(readFileSync(join(dir, 'env'), 'utf8').split('\0').slice(0, -1), [imagePath, 'oci', sha256]);
  // The variables are the ones the core reads.
  assert.deepEqual([IMAGE_ENV, IMAGE_KIND_ENV, IMAGE_SHA256_ENV], [core.IMAGE_ENV, core.IMAGE_KIND_ENV, core.IMAGE_SHA256_ENV]);

  writeFileSync(imagePath, 'other bytes\n');
  rmSync(join(dir, 'env'));
  const changed = run('2');
  assert.equal(changed.status, 65, changed.stderr);
  const now = createHash('sha256').update('other bytes\n').digest('hex');
  assert.ok(changed.stderr.includes(`changed since this job was submitted: its sha256 is ${now}, the job expects ${sha256}`), changed.stderr);
  assert.equal(existsSync(join(dir, 'env')), false, 'anysnake2 did not start');
  assert.equal(readFileSync(join(logs, '2.status'), 'utf8'), '65\n');

  rmSync(imagePath);
  const missing = run('3');
  assert.equal(missing.status, 66, missing.stderr);
  assert.match(missing.stderr, /the image .* of this job is missing on /);
  assert.equal(existsSync(join(dir, 'env')), false, 'anysnake2 did not start');
  assert.equal(readFileSync(join(logs, '3.status'), 'utf8'), '66\n');
});
