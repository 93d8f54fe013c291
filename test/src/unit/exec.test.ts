/** The one process wrapper: failures name the command and show the relevant output lines. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exec, displayCommand } from '../../../core/dist/exec.js';
import { ToolFailedError, ToolMissingError } from '../../../core/dist/errors.js';

test('a failing command names the command line and shows its last output lines', async () => {
  const script = 'for i in $(seq 1 30); do echo "line $i" >&2; done; exit 3';
  await assert.rejects(exec.run('bash', ['-c', script]), (error: unknown) => {
    assert.ok(error instanceof ToolFailedError);
    assert.match(error.message, /^command failed with exit code 3: bash -c 'for i in/);
    assert.match(error.message, /… \(10 earlier lines\)/);
    assert.match(error.message, /line 30$/);
    assert.doesNotMatch(error.message, /line 10\n/);
    return true;
  });
});

test('a missing program is a ToolMissingError (exit 69) with the install hint', async () => {
  await assert.rejects(exec.run('definitely-not-installed-xyz', [], { installHint: 'apt-get install xyz' }), (error: unknown) => {
    assert.ok(error instanceof ToolMissingError);
    assert.equal(error.exitCode, 69);
    assert.equal(error.hint, 'apt-get install xyz');
    return true;
  });
});

test('input, output and timeouts', async () => {
  assert.equal((await exec.run('cat', [], { input: 'ünïcode\n' })).stdout, 'ünïcode\n');
  const slow = await exec.try('sleep', ['5'], { timeoutMs: 100 });
  assert.notEqual(slow.exitCode, 0);
  assert.match(slow.stderr, /killed after 100 ms timeout/);
  assert.equal(displayCommand('git', ['commit', '-m', "it's"]), "git commit -m 'it'\\''s'");
});
