/**
 * `[container] gpu` through the real CLI: a value that is not a boolean is a 65 with line:column;
 * on this machine (no NVIDIA GPU) `doctor` says so and a run warns and still runs in bwrap. What
 * each runtime does with a GPU is pinned down by unit/gpu-argv.test.ts on a fake host view.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { containerProject, runCli, tempProject } from '../support/cli.js';

const bwrapEnv = { ANYSNAKE2_INSIDE: '', SINGULARITY_NAME: '', APPTAINER_NAME: '' };
const noGpu = existsSync('/dev/nvidia0') ? 'this host has an NVIDIA GPU' : false;

test('gpu must be a boolean: 65 with file:line:column and the TOML path', () => {
  const cwd = tempProject('[container]\nruntime = "bwrap"\ngpu = "yes"\n');
  const r = runCli(['check'], { cwd });
  assert.equal(r.code, 65, r.stderr);
  assert.match(r.stderr, /anysnake2\.toml:3:1: container\.gpu: expected true or false, found the string "yes"/);
  const good = runCli(['check'], { cwd: tempProject('[container]\ngpu = false\n') });
  assert.equal(good.code, 0, good.stderr);
});

test('doctor: gpu = true on a host without /dev/nvidia0 is a warning that says so', { skip: noGpu }, () => {
  const cwd = tempProject('[container]\ngpu = true\n');
  const r = runCli(['doctor', '--json', '--offline'], { cwd });
  const finding = (JSON.parse(r.stdout) as { id: string; status: string; summary: string }[]).find((f) => f.id === 'container.gpu');
  assert.equal(finding?.status, 'warn', r.stdout);
  assert.match(finding!.summary, /gpu = true, but this host has no \/dev\/nvidia0/);
  const without = runCli(['doctor', '--json', '--offline'], { cwd: tempProject('') });
  assert.ok(!(JSON.parse(without.stdout) as { id: string }[]).some((f) => f.id === 'container.gpu'));
});

test('a run with gpu = true on a host without a GPU warns and runs without one', { skip: noGpu }, () => {
  const cwd = containerProject('[container]\nruntime = "bwrap"\ngpu = true\n');
  const r = runCli(['run', '--', 'sh', '-c', 'echo "ld=${LD_LIBRARY_PATH:-unset}"; ls /run/opengl-driver 2>&1 | head -1'], { cwd, env: bwrapEnv });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /anysnake2\.toml:\d+:\d+: .*gpu = true, but this host has no \/dev\/nvidia\* devices/);
  assert.match(r.stdout, /^ld=unset$/m);
  assert.doesNotMatch(r.stdout, /^libcuda/m);
});
