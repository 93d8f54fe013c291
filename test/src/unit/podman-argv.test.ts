/** The podman command line for the rootfs folder and for the OCI image (`[podman] image = "oci"`). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { podmanArgs } from '@anysnake2/plugin-podman/dist/runtime.js';
import { imageTag } from '@anysnake2/plugin-podman/dist/oci-image.js';
import type { RunPlan } from '@anysnake2/core/plugin-api';

const plan: RunPlan = {
  rootfs: '/p/.anysnake2_flake/result/rootfs',
  binds: [
    { source: '/nix/store', target: '/nix/store', mode: 'ro' },
    { source: '/p', target: '/project', mode: 'rw' },
  ],
  env: { PATH: '/bin', TOKEN: 'secret' },
  home: '/home/a',
  workdir: '/project',
  argv: ['/bin/bash', '/anysnake2/outer_run.sh'],
};
const options = { scriptsDir: '/s', envFile: '/s/podman.env', config: {}, uid: 1000, gid: 100, tty: false };

test('rootfs: the folder under an overlay, the host store bound read-only', () => {
  const args = podmanArgs(plan, options);
  assert.equal(args[args.indexOf('--rootfs') + 1], '/p/.anysnake2_flake/result/rootfs:O');
  assert.ok(args.includes('/nix/store:/nix/store:ro'));
  assert.ok(!args.includes('--pull'));
});

test('oci: the image by its tag, never pulled, without the host store; the rest of the plan as for the folder', () => {
  const tag = 'localhost/anysnake2-run:0123456789abcdfghijklmnpqrsvwxyz';
  const args = podmanArgs(plan, { ...options, image: tag });
  assert.ok(!args.includes('--rootfs'));
  assert.ok(!args.some((a) => a.startsWith('/nix/store:')), args.join(' '));
  assert.deepEqual(args.slice(args.indexOf('--pull'), args.indexOf('--pull') + 4), ['--pull', 'never', tag, '/bin/bash']);
  for (const kept of ['/p:/project:rw', '/s/podman.env', '/project']) assert.ok(args.includes(kept), kept);
  assert.ok(!args.some((a) => a.includes('secret')), 'the environment stays in the env file');
  assert.deepEqual(args.slice(-2), plan.argv);
});

test('the image tag is the rootfs store hash; a rootfs outside the store is refused', () => {
  assert.equal(imageTag('/nix/store/0123456789abcdfghijklmnpqrsvwxyz-anysnake2_container/rootfs'), 'localhost/anysnake2-run:0123456789abcdfghijklmnpqrsvwxyz');
  assert.throws(() => imageTag('/tmp/x/rootfs'), /not in the Nix store/);
});

test('an OCI archive a job was given (RunPlan.image): oci-archive:FILE, read quietly, never pulled; a tag is not read quietly', () => {
  const job: RunPlan = { ...plan, rootfs: '', image: { kind: 'oci', path: '/shared/p/anysnake2_container.oci.tar', sha256: 'cd'.repeat(32) }, binds: [plan.binds[1]!] };
  const args = podmanArgs(job, { ...options, image: 'oci-archive:/shared/p/anysnake2_container.oci.tar' });
  assert.ok(!args.includes('--rootfs'));
  assert.ok(!args.some((a) => a.includes('/nix/store')), args.join(' '));
  assert.deepEqual(args.slice(args.indexOf('--quiet'), args.indexOf('--quiet') + 5), [
    '--quiet',
    '--pull',
    'never',
    'oci-archive:/shared/p/anysnake2_container.oci.tar',
    '/bin/bash',
  ]);
  assert.ok(!podmanArgs(plan, { ...options, image: 'localhost/anysnake2-run:x' }).includes('--quiet'));
});
