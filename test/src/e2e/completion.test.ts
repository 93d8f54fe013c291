/** Shell completion, exercised through bash's own completion machinery. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, tempProject } from '../support/cli.js';

/** The bash script, generated once per project directory (generation needs node; completing must not). */
function script(cwd: string): string {
  const r = runCli(['completion', 'bash'], { cwd });
  assert.equal(r.code, 0, r.stderr);
  return r.stdout;
}

/**
 * COMPREPLY for a command line whose last word is being completed, in a bash whose PATH holds only
 * sed and an `anysnake2` and `node` that record being started: completing must start neither.
 */
function complete(cwd: string, words: string[]): string[] {
  const bin = mkdtempSync(join(tmpdir(), 'as2-comp-path-'));
  const started = join(bin, 'started');
  for (const name of ['anysnake2', 'node']) {
    writeFileSync(join(bin, name), `#!${BASH}\necho ${name} >> '${started}'\n`);
    chmodSync(join(bin, name), 0o755);
  }
  symlinkSync(SED, join(bin, 'sed'));
  const lines = [
    script(cwd),
    `COMP_WORDS=(anysnake2 ${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length}`,
    '_anysnake2_complete',
    'printf "%s\\n" "${COMPREPLY[@]}"',
  ].join('\n');
  const r = spawnSync(BASH, ['--norc', '--noprofile', '-c', lines], { cwd, env: { PATH: bin, HOME: cwd }, encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(existsSync(started), false, `completion started ${existsSync(started) ? readFileSync(started, 'utf8') : ''}`);
  return r.stdout.split('\n').filter(Boolean).sort(); // bash shows them sorted
}

const which = (name: string) => spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
const BASH = which('bash');
const SED = which('sed');

test('bash completion offers built-in commands and the [cmd.*] names of the project', () => {
  const cwd = tempProject('[cmd.shell]\nrun = "fish"\n[cmd."data-prep"]\nrun = "true"\n[cmd.default]\nrun = "true"\n');
  assert.deepEqual(complete(cwd, ['s']), ['schema', 'shell', 'submit']); // submit: plugins/slurm's command
  assert.deepEqual(complete(cwd, ['d']), ['data-prep', 'default', 'develop', 'doctor']);
  assert.deepEqual(complete(cwd, ['build', '']), ['flake', 'oci', 'rootfs', 'sif']);
  assert.deepEqual(complete(cwd, ['config', 'f']), ['full']);
  assert.ok(complete(tempProject(), ['']).includes('run'));
});

test('bash completion: flags per command, file names after -c, [cmd.*] names from the cache the CLI refreshes', () => {
  const cwd = tempProject('[cmd.shell]\nrun = "fish"\n');
  assert.deepEqual(complete(cwd, ['tofu', '--d']), ['--dry-run']);
  assert.deepEqual(complete(cwd, ['build', 'oci', '--o']), ['--offline', '--output']);
  writeFileSync(join(cwd, 'other.toml'), '[cmd.elsewhere]\nrun = "true"\n');
  assert.deepEqual(complete(cwd, ['-c', 'oth']), ['other.toml']);
  assert.deepEqual(complete(cwd, ['-c', 'other.toml', 'e']), ['elsewhere']);
  // Once the project has .anysnake2_flake, any command that reads the config refreshes the cache.
  mkdirSync(join(cwd, '.anysnake2_flake'));
  writeFileSync(join(cwd, 'anysnake2.toml'), '[cmd.shell]\nrun = "fish"\n[cmd."quoted-name"]\nrun = "true"\n');
  assert.equal(runCli(['check'], { cwd }).code, 0);
  assert.equal(readFileSync(join(cwd, '.anysnake2_flake', 'run_scripts', '.cmd_names'), 'utf8'), 'quoted-name\nshell\n');
  // The cache, not the file, answers: a name only in the cache is offered.
  writeFileSync(join(cwd, '.anysnake2_flake', 'run_scripts', '.cmd_names'), 'quoted-name\nshell\nfrom-cache\n');
  assert.deepEqual(
    complete(cwd, ['']).filter(
      (w) =>
        !['attach', 'build', 'check', 'completion', 'config', 'develop', 'doctor', 'help', 'jobs', 'plugins', 'run', 'schema', 'submit', 'tofu', 'update', 'version'].includes(w),
    ),
    ['from-cache', 'quoted-name', 'shell'],
  );
});

test('zsh and fish scripts are printed; unknown shells are usage errors', () => {
  const cwd = tempProject();
  assert.match(runCli(['completion', 'zsh'], { cwd }).stdout, /^#compdef anysnake2/);
  assert.match(runCli(['completion', 'fish'], { cwd }).stdout, /complete -c anysnake2/);
  const bad = runCli(['completion', 'tcsh'], { cwd });
  assert.equal(bad.code, 64);
  assert.match(bad.stderr, /no completion for the shell 'tcsh'/);
});
