/**
 * The apptainer runtime end to end, with a stand-in `apptainer` on PATH that records its arguments:
 * the command anysnake2 runs, and the saved singularity.bash, are the same argv.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { containerProject, runCli } from '../support/cli.js';

test('runtime = "apptainer" runs the §7.1 command and saves it as a runnable singularity.bash', () => {
  const bin = mkdtempSync(join(tmpdir(), 'as2-apptainer-'));
  const log = join(bin, 'calls');
  // Records argv NUL-separated (exact, whatever the quoting) and exits like a container would.
  writeFileSync(join(bin, 'apptainer'), `#!/bin/bash\nprintf '%s\\0' "$@" >> '${log}'\nprintf '\\n' >> '${log}'\nexit 4\n`);
  chmodSync(join(bin, 'apptainer'), 0o755);
  const cwd = containerProject('[container]\nruntime = "apptainer"\n[container.env]\nX = "a,b"\n[cmd.default]\nrun = "true"\n');
  const env = { PATH: `${bin}:${process.env.PATH}` };
  const r = runCli(['default', 'word one'], { cwd, env });
  assert.equal(r.code, 4, r.stderr);
  assert.match(r.stderr, /running: .*apptainer exec --userns --pid --cleanenv --home/);
  const scripts = join(cwd, '.anysnake2_flake', 'run_scripts', 'default');
  const script = readFileSync(join(scripts, 'singularity.bash'), 'utf8');
  const replay = spawnSync('bash', [join(scripts, 'singularity.bash')], { cwd, env: { ...process.env, ...env } });
  assert.equal(replay.status, 4);
  const [first, second] = readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\0').slice(0, -1));
  assert.deepEqual(second, first, 'singularity.bash replays the exact argv');
  assert.deepEqual(first!.slice(0, 4), ['exec', '--userns', '--pid', '--cleanenv']);
  assert.ok(first!.includes(`/nix/store:/nix/store:ro`));
  assert.ok(first!.includes(`${scripts}:/anysnake2:ro`));
  assert.deepEqual(first!.slice(-3), ['/bin/bash', '/anysnake2/outer_run.sh', 'word one']);
  assert.equal(first![first!.indexOf('--env-file') + 1], join(scripts, 'singularity.env'));
  // Every value is in the owner-only env file; none is on the command line, where ps shows it.
  const envLines = readFileSync(join(scripts, 'singularity.env'), 'utf8').split('\n');
  for (const line of ['X=a,b', 'PATH=/bin', 'BASH_ENV=/etc/bashrc', 'ANYSNAKE2_INSIDE=default']) assert.ok(envLines.includes(line), line);
  assert.equal(statSync(join(scripts, 'singularity.env')).mode & 0o777, 0o600);
  assert.ok(!first!.includes('--env'), first!.join(' '));
  assert.ok(!first!.some((a) => a.includes('a,b') || a.startsWith('PATH=')), first!.join(' '));
  assert.match(script, /exec .*apptainer/);
});
