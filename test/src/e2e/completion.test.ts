/** Shell completion, exercised through bash's own completion machinery. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { BIN, runCli, tempProject, testEnv } from '../support/cli.js';

/** COMPREPLY for a command line whose last word is being completed. */
function complete(cwd: string, words: string[]): string[] {
  const script = [
    `anysnake2() { ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} "$@"; }`,
    'eval "$(anysnake2 completion bash)"',
    `COMP_WORDS=(anysnake2 ${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length}`,
    '_anysnake2_complete',
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n');
  const r = spawnSync('bash', ['-c', script], { cwd, env: testEnv(), encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter(Boolean);
}

test('bash completion offers built-in commands and the [cmd.*] names of the project', () => {
  const cwd = tempProject('[cmd.shell]\nrun = "fish"\n[cmd."data-prep"]\nrun = "true"\n[cmd.default]\nrun = "true"\n');
  assert.deepEqual(complete(cwd, ['s']), ['schema', 'shell', 'submit']); // submit: plugins/slurm's command
  assert.deepEqual(complete(cwd, ['d']), ['data-prep', 'default', 'develop', 'doctor']);
  assert.deepEqual(complete(cwd, ['build', '']), ['flake', 'oci', 'rootfs', 'sif']);
  assert.deepEqual(complete(cwd, ['config', 'f']), ['full']);
  assert.ok(complete(tempProject(), ['']).includes('run'));
});

test('zsh and fish scripts are printed; unknown shells are usage errors', () => {
  const cwd = tempProject();
  assert.match(runCli(['completion', 'zsh'], { cwd }).stdout, /^#compdef anysnake2/);
  assert.match(runCli(['completion', 'fish'], { cwd }).stdout, /complete -c anysnake2/);
  const bad = runCli(['completion', 'tcsh'], { cwd });
  assert.equal(bad.code, 64);
  assert.match(bad.stderr, /no completion for the shell 'tcsh'/);
});
