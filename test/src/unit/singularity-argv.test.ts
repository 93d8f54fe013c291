/** Golden tests for the apptainer/singularity command line (no singularity exists on this machine). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { atStart, commandScript, envFileText, singularityArgs } from '@anysnake2/plugin-singularity/dist/sections.js';
import { shellQuote } from '../../../core/dist/shell-quote.js';
import type { RunPlan } from '@anysnake2/core/plugin-api';

const plan: RunPlan = {
  rootfs: '/home/alice/proj/.anysnake2_flake/result/rootfs',
  binds: [
    { source: '/nix/store', target: '/nix/store', mode: 'ro' },
    { source: '/home/alice/proj/.anysnake2_flake/run_scripts/default', target: '/anysnake2', mode: 'ro' },
    { source: '/home/alice/proj', target: '/project', mode: 'rw' },
  ],
  env: { PATH: '/bin', ANYSNAKE2: '1', BASH_ENV: '/etc/bashrc', LIST: 'a,b', QUOTED: `it's "x"` },
  home: '/home/alice',
  workdir: '/home/alice',
  argv: ['/bin/bash', '/anysnake2/outer_run.sh', 'arg one'],
};

test('the argument list of reference §7.1, binds in plan order and env sorted', () => {
  assert.deepEqual(singularityArgs(plan, '/envfile'), [
    'exec',
    '--userns',
    '--pid',
    '--cleanenv',
    '--home',
    '/home/alice',
    '--pwd',
    '/home/alice',
    '--bind',
    '/nix/store:/nix/store:ro',
    '--bind',
    '/home/alice/proj/.anysnake2_flake/run_scripts/default:/anysnake2:ro',
    '--bind',
    '/home/alice/proj:/project:rw',
    '--env-file',
    '/envfile',
    '/home/alice/proj/.anysnake2_flake/result/rootfs',
    '/bin/bash',
    '/anysnake2/outer_run.sh',
    'arg one',
  ]);
});

test('every value goes through the env file, shell-quoted; none is on the command line, where ps shows it', () => {
  assert.equal(envFileText(plan, shellQuote), `ANYSNAKE2=1\nBASH_ENV=/etc/bashrc\nLIST=a,b\nPATH=/bin\nQUOTED='it'\\''s "x"'\n`);
  const secret: RunPlan = { ...plan, env: { PATH: '/bin', TOKEN: 's3cret', MULTI: 'a\nb $HOME `x`' } };
  const args = singularityArgs(secret, '/envfile');
  assert.ok(!args.includes('--env'), args.join(' '));
  assert.ok(!args.some((a) => /s3cret|TOKEN|PATH=/.test(a)), args.join(' '));
  assert.equal(envFileText(secret, shellQuote), `MULTI='a\nb $HOME \`x\`'\nPATH=/bin\nTOKEN=s3cret\n`);
  const empty = { ...plan, env: {} };
  assert.ok(!singularityArgs(empty, '/envfile').includes('--env-file'));
  assert.equal(envFileText(empty, shellQuote), '');
});

test('singularity.bash is a runnable script with one quoted argument per line', () => {
  const script = commandScript(['apptainer', ...singularityArgs(plan, '/envfile')], shellQuote, 'default');
  assert.match(script, /^#!\/usr\/bin\/env bash\n/);
  assert.match(script, /\nexec apptainer \\\n {2}exec \\\n {2}--userns \\\n/);
  assert.match(script, / {2}'arg one'\n$/);
});

test('--pid: the container is its own PID namespace, so it ends whole with apptainer', () => {
  const args = singularityArgs(plan);
  assert.equal(args[0], 'exec');
  assert.ok(args.indexOf('--pid') > 0 && args.indexOf('--pid') < args.indexOf(plan.rootfs));
});

test("the directory the user ran from: --pwd is the plan's workdir", () => {
  const args = singularityArgs({ ...plan, workdir: '/home/alice/proj/sub' });
  assert.equal(args[args.indexOf('--pwd') + 1], '/home/alice/proj/sub');
});

test('passed host variables: TERM and proxies are left to apptainer (never on the command line), the locale is carried', () => {
  const passEnv = {
    TERM: 'xterm-256color',
    http_proxy: 'http://user:secret@proxy:3128',
    HTTPS_PROXY: 'http://user:secret@proxy:3128',
    no_proxy: 'localhost,.example.org',
    LANG: 'de_DE.UTF-8',
    LC_ALL: 'C.UTF-8',
    LC_TIME: 'en_DK,UTF-8',
  };
  const withPassed: RunPlan = { ...plan, env: { PATH: '/bin', LC_ALL: 'from-config' }, passEnv };
  const args = singularityArgs(withPassed, '/envfile');
  assert.ok(!args.some((a) => /TERM|proxy|PROXY|secret|LANG|LC_/.test(a)), args.join(' '));
  assert.ok(args.includes('--env-file'));
  // The locale is carried (the config wins over the host); TERM and proxies are not.
  assert.equal(envFileText(withPassed, shellQuote), 'LANG=de_DE.UTF-8\nLC_ALL=from-config\nLC_TIME=en_DK,UTF-8\nPATH=/bin\n');
});

test('a SIF job (RunPlan.image): the SIF goes where the rootfs goes, no host /nix/store, SLURM_* set at start, the whole argv', () => {
  // The plan the core makes for a job given a SIF: rootfs empty, no /nix/store bind, the job's variables at start.
  const job: RunPlan = {
    ...plan,
    rootfs: '',
    image: { kind: 'sif', path: '/shared/proj/anysnake2_container.sif', sha256: 'ab'.repeat(32) },
    binds: plan.binds.filter((b) => b.target !== '/nix/store'),
    envAtStart: ['SLURM_'],
  };
  const argv = [...atStart(job), '/usr/bin/apptainer', ...singularityArgs(job, '/s/singularity.env')];
  assert.deepEqual(argv, [
    'bash',
    '-c',
    'for n in ${!SLURM_@}; do export "APPTAINERENV_$n=${!n}" "SINGULARITYENV_$n=${!n}"; done; exec "$@"',
    'anysnake2-env',
    '/usr/bin/apptainer',
    'exec',
    '--userns',
    '--pid',
    '--cleanenv',
    '--home',
    '/home/alice',
    '--pwd',
    '/home/alice',
    '--bind',
    '/home/alice/proj/.anysnake2_flake/run_scripts/default:/anysnake2:ro',
    '--bind',
    '/home/alice/proj:/project:rw',
    '--env-file',
    '/s/singularity.env',
    '/shared/proj/anysnake2_container.sif',
    '/bin/bash',
    '/anysnake2/outer_run.sh',
    'arg one',
  ]);
});
