/**
 * RunPlan.envAtStart (a Slurm job's SLURM_*): each runtime takes the values when the container
 * starts, so a recorded LaunchSpec (the warm path) carries none of them. The wrappers run here
 * with real bash and a stand-in for the runtime that prints what it got.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bwrapArgs, openFds } from '@anysnake2/plugin-bwrap/dist/runtime.js';
import { envAtStartOverrides, podmanArgs } from '@anysnake2/plugin-podman/dist/runtime.js';
import { atStart } from '@anysnake2/plugin-singularity/dist/sections.js';
import type { RunPlan } from '@anysnake2/core/plugin-api';

function plan(extra: Partial<RunPlan> = {}): RunPlan {
  const rootfs = mkdtempSync(join(tmpdir(), 'as2-rootfs-'));
  mkdirSync(join(rootfs, 'bin'));
  return { rootfs, binds: [], env: { PATH: '/bin' }, home: '/home/alice', workdir: '/home/alice', argv: ['/bin/true'], ...extra };
}
const hostEnv = { PATH: process.env.PATH, SLURM_JOB_ID: '77', SLURM_ARRAY_TASK_ID: '3', SLURMD_NODENAME: 'n1', OTHER: 'x' };

test('bwrap: fd 4 carries --setenv triples of the prefixed variables as they are now; the plan (fd 3) comes after and wins', () => {
  const p = plan({ envAtStart: ['SLURM_'] });
  const args = bwrapArgs(p, '/scripts');
  const at = args.indexOf('--clearenv');
  assert.deepEqual(args.slice(at, at + 5), ['--clearenv', '--args', '4', '--args', '3']);
  // The wrapper, with `cat` reading fd 4 instead of bwrap.
  // stdin not a socket: bash would take itself for rshd's child and read ~/.bashrc.
  const r = spawnSync('bash', ['-c', openFds(p)!, 'anysnake2-bwrap', 'bash', '-c', 'cat <&4'], {
    env: hostEnv,
    encoding: 'utf8',
    timeout: 10_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(r.stdout.split('\0').slice(0, -1), ['--setenv', 'SLURM_ARRAY_TASK_ID', '3', '--setenv', 'SLURM_JOB_ID', '77']);
  assert.equal(openFds(plan()), undefined, 'without envAtStart bwrap starts directly, no bash');
  assert.ok(!bwrapArgs(plan(), '/scripts').includes('4'));
});

test('podman: --env SLURM_* (podman takes the prefixed variables from its own environment)', () => {
  const options = { scriptsDir: '/scripts', envFile: '/scripts/podman.env', config: {}, uid: 1000, gid: 1000, tty: false };
  const args = podmanArgs(plan({ envAtStart: ['SLURM_'] }), options);
  assert.deepEqual(args.slice(args.indexOf('--env-file') - 2, args.indexOf('--env-file')), ['--env', 'SLURM_*']);
  assert.ok(!podmanArgs(plan(), options).includes('--env'));
  // [container] env still wins: its SLURM_* values go into podman's own environment, where SLURM_* finds them.
  assert.deepEqual(envAtStartOverrides(plan({ envAtStart: ['SLURM_'], env: { PATH: '/bin', SLURM_JOB_NAME: 'mine' } })), { SLURM_JOB_NAME: 'mine' });
  assert.equal(envAtStartOverrides(plan({ envAtStart: ['SLURM_'] })), undefined);
});

test('apptainer/singularity: a bash in front exports APPTAINERENV_/SINGULARITYENV_ for each, then becomes the runtime', () => {
  const wrapper = atStart(plan({ envAtStart: ['SLURM_'] }));
  const r = spawnSync(wrapper[0]!, [...wrapper.slice(1), '/usr/bin/env'], { env: hostEnv, encoding: 'utf8', timeout: 10_000 });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout
    .split('\n')
    .filter((l) => /^(APPTAINER|SINGULARITY)ENV_/.test(l))
    .sort();
  assert.deepEqual(lines, ['APPTAINERENV_SLURM_ARRAY_TASK_ID=3', 'APPTAINERENV_SLURM_JOB_ID=77', 'SINGULARITYENV_SLURM_ARRAY_TASK_ID=3', 'SINGULARITYENV_SLURM_JOB_ID=77']);
  assert.deepEqual(atStart(plan()), []);
});
