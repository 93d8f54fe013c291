/** Two launches of one recorded LaunchSpec never share a file (a Slurm array's tasks start together). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { privateLaunchSpec } from '../../../core/dist/pipeline/launch-files.js';

const recorded = {
  argv: ['bash', '-c', 'exec "$@" 3<"$0"', '/p/run_scripts/show/bwrap-env.args', 'bwrap', '--args', '3', '--env-file=/p/run_scripts/show/env'],
  env: { EXTRA: 'file=/p/run_scripts/show/env' },
  files: [
    { path: '/p/run_scripts/show/bwrap-env.args', content: 'a', mode: 0o600 },
    { path: '/p/run_scripts/show/env', content: 'b' },
  ],
  cleanup: ['/p/run_scripts/show/bwrap-env.args', '/p/run_scripts/show/env', '/p/run_scripts/show/other'],
};

test('each launch writes, names and removes its own copies of the files it removes afterwards', () => {
  const one = privateLaunchSpec(recorded, 'one');
  const two = privateLaunchSpec(recorded, 'two');
  assert.deepEqual(one.argv, ['bash', '-c', 'exec "$@" 3<"$0"', '/p/run_scripts/show/bwrap-env.args.one', 'bwrap', '--args', '3', '--env-file=/p/run_scripts/show/env.one']);
  assert.deepEqual(one.env, { EXTRA: 'file=/p/run_scripts/show/env.one' });
  assert.deepEqual(
    one.files!.map((f) => [f.path, f.content, f.mode]),
    [
      ['/p/run_scripts/show/bwrap-env.args.one', 'a', 0o600],
      ['/p/run_scripts/show/env.one', 'b', undefined],
    ],
  );
  assert.deepEqual(one.cleanup, ['/p/run_scripts/show/bwrap-env.args.one', '/p/run_scripts/show/env.one', '/p/run_scripts/show/other']);
  const paths = (spec: typeof one) => [...spec.argv, ...Object.values(spec.env ?? {}), ...spec.files!.map((f) => f.path), ...spec.cleanup!];
  const shared = paths(one).filter((p) => p.includes('/run_scripts/') && paths(two).includes(p));
  assert.deepEqual(shared, ['/p/run_scripts/show/other'], 'only what the runtime itself named for cleanup is common');
  // The recorded spec (what the warm path replays) is unchanged.
  assert.equal(recorded.files[0]!.path, '/p/run_scripts/show/bwrap-env.args');
});

test('files that stay after the run (singularity.bash) keep their path; a spec without such files is used as it is', () => {
  const spec = { argv: ['bash', '/p/run_scripts/x/singularity.bash'], files: [{ path: '/p/run_scripts/x/singularity.bash', content: 'c', mode: 0o700 }] };
  assert.equal(privateLaunchSpec(spec), spec);
  assert.equal(privateLaunchSpec({ argv: ['true'] }).argv[0], 'true');
});
