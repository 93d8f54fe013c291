/**
 * `submit` on the warm path (core/src/warm/warm-command*.ts replaying plugins/slurm's
 * warm-submit.ts): the second identical submit loads no oclif, no plugin host and no other plugin
 * code, calls no nix, writes the job script the full path wrote, submits it and records the job;
 * a changed config, command line, variable or flake takes the full path again. Counts and
 * contents, not timings. The --dry-run cases need no cluster; the others use a real one
 * (test/src/support/slurm-cluster.ts).
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { containerProject, REPO, runCli, type CliResult } from '../support/cli.js';
import { slurmSkipReason, startCluster, type Cluster } from '../support/slurm-cluster.js';

const skip = slurmSkipReason() ?? false;
const bwrapEnv = { ANYSNAKE2_INSIDE: '', SINGULARITY_NAME: '', APPTAINER_NAME: '', ANYSNAKE2_DEBUG_WARM_PATH: '1' };
const TRACE = pathToFileURL(join(REPO, 'test', 'dist', 'support', 'module-trace.js')).href;

let cluster: Cluster | undefined;
before(() => {
  if (!skip) cluster = startCluster();
});
after(() => cluster?.stop());

/** A PATH whose `nix` records its arguments, then runs the real one: the same PATH for every run (PATH is part of the key). */
function recordingNix(): { path: string; calls: string } {
  const real = spawnSync('sh', ['-c', 'command -v nix'], { encoding: 'utf8' }).stdout.trim();
  assert.ok(real, 'nix is on PATH');
  const dir = mkdtempSync(join(tmpdir(), 'as2-nixcalls-'));
  const calls = join(dir, 'calls');
  writeFileSync(join(dir, 'nix'), `#!/bin/sh\necho "$*" >> '${calls}'\nexec '${real}' "$@"\n`);
  chmodSync(join(dir, 'nix'), 0o755);
  return { path: `${dir}:${process.env.PATH}`, calls };
}

interface Traced extends CliResult {
  modules: string[];
  nixCalls: string[];
}

/** One CLI run with every module it loads recorded (support/module-trace.ts) and the nix calls it made. */
function traced(args: string[], cwd: string, env: NodeJS.ProcessEnv, nix: { path: string; calls: string }): Traced {
  const file = join(mkdtempSync(join(tmpdir(), 'as2-trace-')), 'modules');
  rmSync(nix.calls, { force: true });
  const r = runCli(args, { cwd, env: { ...env, PATH: nix.path, NODE_OPTIONS: `--import=${TRACE}`, AS2_MODULE_TRACE: file } });
  const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
  const modules = [...new Set(lines.map((line) => (line.startsWith('file:') ? fileURLToPath(line) : line)))].filter((m) => !m.includes('/test/dist/support/module-trace'));
  const nixCalls = existsSync(nix.calls) ? readFileSync(nix.calls, 'utf8').split('\n').filter(Boolean) : [];
  return { ...r, modules, nixCalls };
}

/** The source modules inside the loaded files (a bundled lib/ file names each in a `// core/dist/x.js` comment). */
const sourcesOf = (modules: string[]) =>
  modules.flatMap((file) => {
    const text = /\.c?js$/.test(file) && existsSync(file) ? readFileSync(file, 'utf8') : '';
    const held = [...text.matchAll(/^\/\/ ((?:core|plugins)\/\S+\.js)$/gm)].map((m) => m[1]!);
    return held.length > 0 ? held : [file];
  });

function assertWarm(r: Traced, what: string): void {
  assert.equal(r.code, 0, `${what}: ${r.stderr}`);
  assert.match(r.stderr, /debug: warm path hit/, what);
  assert.deepEqual(r.nixCalls, [], `${what} called nix`);
  assert.deepEqual(
    r.modules.filter((m) => m.includes('@oclif/')),
    [],
    `${what} loaded oclif`,
  );
  // Of the plugins, only the CommonJS build of the warm module of the one whose command it is.
  const pluginFiles = r.modules.filter((m) => m.includes(`${REPO}/plugins/`));
  assert.deepEqual(pluginFiles, [join(REPO, 'plugins', 'slurm', 'lib', 'warm-submit.cjs')], `${what}: plugin files loaded`);
  // CommonJS only (the warm module, the core's plugin-warm.cjs, the warm path): no ES-module loader for our files.
  assert.deepEqual(
    r.modules.filter((m) => m.startsWith(`${REPO}/`) && !m.endsWith('.cjs') && !m.endsWith('/core/bin/run.js') && !m.includes('/test/dist/support/')),
    [],
    `${what} loaded ES modules of ours`,
  );
  const sources = sourcesOf(r.modules);
  assert.deepEqual(
    sources.filter((m) => /plugin-host|plugins\/slurm\/dist\/(index|commands\/|submit\.js)|core\/dist\/pipeline\/(build|project)\.js|vendor\//.test(m)),
    [],
    `${what} loaded the plugin host, the plugin's hook module or command, the build, or the schema code`,
  );
}

const submitted = (stdout: string) => JSON.parse(stdout) as { id?: string; script: string; log: string; rootfs: string; scriptText: string; command: string; words: string[] };
const recorded = (project: string) =>
  (JSON.parse(readFileSync(join(project, 'anysnake2_jobs', 'jobs.json'), 'utf8')) as { jobs: { id: string; words: string[]; array?: string }[] }).jobs;

const COMMANDS = [
  '[cmd.show]',
  `run = 'echo "words=$*"'`,
  // The job's own environment on the node, as pre_run_outside sees it: the same whichever path submitted it.
  // (The module trace's file differs per run by design.)
  `pre_run_outside = 'env | grep -v -e "^SLURM" -e "^_=" -e "^AS2_MODULE_TRACE=" | sort > "anysnake2_jobs/env-$SLURM_JOB_ID"'`,
  '[cmd.show.slurm]',
  'time = "10"',
  '[cmd.sleeper]',
  "run = 'sleep 300'",
].join('\n');

test('the second identical submit is replayed: no oclif, plugin host, nix or other plugin code; the same job script; the job is recorded and runs', { skip }, () => {
  const project = containerProject(COMMANDS);
  const nix = recordingNix();
  const env = { ...bwrapEnv, ...cluster!.env };
  const full = traced(['submit', 'show', 'a b', '--json'], project, env, nix);
  assert.equal(full.code, 0, full.stderr);
  assert.match(full.stderr, /debug: warm path missed: no warm entry for this command yet/);
  assert.ok(
    full.modules.some((m) => m.includes('@oclif/core')),
    'the trace sees oclif on the full path',
  );
  const warm = traced(['submit', 'show', 'a b', '--json'], project, env, nix);
  assertWarm(warm, 'the second submit');
  const [first, second] = [submitted(full.stdout), submitted(warm.stdout)];
  assert.match(second.id!, /^\d+$/);
  assert.notEqual(second.id, first.id);
  // The same answer but for the job's own id and files, and the same script, byte for byte.
  assert.deepEqual(Object.keys(second), Object.keys(first));
  assert.deepEqual({ ...second, id: first.id, script: first.script, log: first.log }, first);
  assert.equal(second.scriptText, first.scriptText);
  assert.equal(readFileSync(second.script, 'utf8'), readFileSync(first.script, 'utf8'));
  assert.equal(readFileSync(join(project, 'anysnake2_jobs', 'show.sbatch'), 'utf8'), first.scriptText);
  assert.equal(second.log, join(project, 'anysnake2_jobs', 'logs', `${second.id}.out`));
  assert.deepEqual(
    recorded(project)
      .filter((j) => j.id === first.id || j.id === second.id)
      .map((j) => [j.id, j.words]),
    [
      [first.id, ['a b']],
      [second.id, ['a b']],
    ],
  );
  // Both jobs run, with the same words and the same environment on the node.
  for (const job of [first, second]) waitForStatus(project, job.id!);
  const logOf = (id: string) => readFileSync(join(project, 'anysnake2_jobs', 'logs', `${id}.out`), 'utf8');
  assert.match(logOf(second.id!), /^words=a b$/m, logOf(second.id!));
  const envOf = (id: string) => readFileSync(join(project, 'anysnake2_jobs', `env-${id}`), 'utf8');
  assert.equal(envOf(second.id!), envOf(first.id!));

  // Plain output (no --json) is the full path's too.
  const plainFull = runCli(['submit', 'show', 'a b'], { cwd: project, env: { ...env, PATH: nix.path } });
  const plainWarm = runCli(['submit', 'show', 'a b'], { cwd: project, env: { ...env, PATH: nix.path } });
  assert.match(plainFull.stderr, /warm path missed/);
  assert.match(plainWarm.stderr, /warm path hit/);
  const plainId = (r: CliResult) => /^submitted job (\d+) \(show\); log: .*\/\1\.out\n$/.exec(r.stdout)?.[1];
  assert.ok(plainId(plainFull) && plainId(plainWarm), `${plainFull.stdout}${plainWarm.stdout}`);
  for (const r of [plainFull, plainWarm]) waitForStatus(project, plainId(r)!);
});

test('--array and --dependency reach sbatch the same way on the warm path', { skip }, () => {
  const project = containerProject(COMMANDS);
  const env = { ...bwrapEnv, ...cluster!.env };
  const cli = (args: string[]) => runCli(args, { cwd: project, env });
  const slurmEnv = { ...process.env, ...cluster!.env };
  const sleeper = submitted(cli(['submit', 'sleeper', '--json']).stdout).id!;
  const ids = [sleeper];
  try {
    const args = ['submit', '--array', '1-3', '--dependency', `afterok:${sleeper}`, 'show', '--json'];
    const full = cli(args);
    const warm = cli(args);
    assert.match(full.stderr, /warm path missed/);
    assert.match(warm.stderr, /warm path hit/);
    for (const r of [full, warm]) {
      assert.equal(r.code, 0, r.stderr);
      const job = submitted(r.stdout);
      ids.push(job.id!);
      assert.equal(job.log, join(project, 'anysnake2_jobs', 'logs', `${job.id}_%a.out`));
      // What Slurm was asked for: three tasks, each waiting for the sleeper.
      const shown = spawnSync('squeue', ['-h', '-r', '-j', job.id!, '-o', '%i %E'], { env: slurmEnv, encoding: 'utf8', timeout: 30_000 }).stdout;
      assert.deepEqual(
        shown.trim().split('\n').sort(),
        [1, 2, 3].map((task) => `${job.id}_${task} afterok:${sleeper}(unfulfilled)`),
      );
      assert.deepEqual(
        recorded(project)
          .filter((j) => j.id === job.id)
          .map((j) => j.array),
        ['1-3'],
      );
    }
  } finally {
    spawnSync('scancel', ids, { env: slurmEnv, timeout: 30_000 });
  }
});

test('--dry-run: the warm path prints and writes the script the full path did; a change of config, words, flags, variables or flake goes back to the full path', () => {
  const project = containerProject(COMMANDS);
  const nix = recordingNix();
  const env = { ...bwrapEnv, PATH: nix.path };
  const cli = (args: string[], extra: NodeJS.ProcessEnv = {}) => runCli(args, { cwd: project, env: { ...env, ...extra } });
  const dry = ['submit', 'show', 'x', '--dry-run'];
  const full = cli(dry);
  assert.equal(full.code, 0, full.stderr);
  assert.match(full.stderr, /warm path missed/);
  const script = join(project, 'anysnake2_jobs', 'show.sbatch');
  rmSync(script);
  const warm = traced(dry, project, env, nix);
  assertWarm(warm, 'the second dry run');
  assert.equal(warm.stdout, full.stdout);
  assert.equal(readFileSync(script, 'utf8'), full.stdout.replace(/\n$/, ''));
  assert.equal(existsSync(join(project, 'anysnake2_jobs', 'jobs.json')), false, 'a dry run records no job');

  const misses = (r: CliResult, reason: RegExp, what: string) => {
    assert.equal(r.code, 0, `${what}: ${r.stderr}`);
    assert.match(r.stderr, /warm path missed: (.*)/, what);
    assert.match(/warm path missed: (.*)/.exec(r.stderr)![1]!, reason, what);
  };
  const changed = /the config, command line, a variable it reads, or the terminal changed/;
  misses(cli(['submit', 'show', 'y', '--dry-run']), changed, 'other words');
  misses(cli(['submit', 'show', 'x', '--dry-run', '--json']), changed, 'another flag');
  misses(cli(['submit', '--array', '1-2', 'show', 'x', '--dry-run']), changed, '--array');
  misses(cli(dry, { PATH: `${tmpdir()}:${nix.path}` }), changed, 'another PATH');
  assert.match(cli(dry, { AS2_UNRELATED_VARIABLE: '1' }).stderr, /warm path hit/, 'a variable nothing reads');
  assert.match(cli(dry).stderr, /warm path hit/);
  appendFileSync(join(project, 'anysnake2.toml'), '\n# edited\n');
  misses(cli(dry), changed, 'the config edited');
  assert.match(cli(dry).stderr, /warm path hit/, 'recorded again after the full path ran');
  // The flake no longer what was built: the full path checks (and here re-renders) it.
  const flake = join(project, '.anysnake2_flake', 'flake.nix');
  appendFileSync(flake, '\n');
  misses(cli(dry), /the flake changed since the last build/, 'the flake changed');
  assert.match(cli(dry).stderr, /warm path hit/);
  assert.match(cli(dry, { ANYSNAKE2_INSIDE: 'show' }).stderr, /warm path missed: inside a container/);
  misses(cli([...dry, '--verbose']), /--verbose/, '--verbose');
});

test('a warm entry is input: another plugin named in it, or a plan the full path could not have written, is never replayed', () => {
  const project = containerProject(COMMANDS);
  const env = { ...bwrapEnv };
  const dry = ['submit', 'show', '--dry-run'];
  const cli = () => runCli(dry, { cwd: project, env });
  assert.equal(cli().code, 0);
  assert.match(cli().stderr, /warm path hit/);
  const file = join(project, '.anysnake2_flake', 'run_scripts', '.warm_commands', 'submit.json');
  const original = readFileSync(file, 'utf8');
  const edit = (change: (entry: { plugin: string; data: { plan: { resources: { extra?: string[] }; commandName: string } } }) => void) => {
    const parsed = JSON.parse(original) as { entries: Parameters<typeof change>[0][] };
    change(parsed.entries[0]!);
    writeFileSync(file, JSON.stringify(parsed));
  };
  edit((entry) => (entry.plugin = '@someone/else'));
  assert.match(cli().stderr, /warm path missed: another plugin recorded it/);
  // A line break in an option would add a line to the job script: refused, exit 65, nothing written.
  rmSync(join(project, 'anysnake2_jobs', 'show.sbatch'));
  edit((entry) => (entry.data.plan.resources.extra = ['--mail-type=END\ntouch /tmp/as2-injected']));
  const injected = cli();
  assert.equal(injected.code, 65, injected.stderr);
  assert.match(injected.stderr, /the warm entry of this submit is damaged: extra\.0 contains a control character/);
  assert.match(injected.stderr, /remove .*run_scripts\/\.warm_commands\/submit\.json/);
  assert.equal(existsSync(join(project, 'anysnake2_jobs', 'show.sbatch')), false);
  edit((entry) => (entry.data.plan.commandName = '../../escape'));
  assert.equal(cli().code, 65);
  assert.equal(existsSync(join(project, 'anysnake2_jobs', 'show.sbatch')), false);
});

/** Waits (bounded) for the job's own status record: the job ran to its end. */
function waitForStatus(project: string, id: string): void {
  const file = join(project, 'anysnake2_jobs', 'logs', `${id}.status`);
  const end = Date.now() + 180_000;
  while (!existsSync(file) || readFileSync(file, 'utf8').trim() === '') {
    if (Date.now() > end) assert.fail(`job ${id} did not end in time`);
    spawnSync('sleep', ['0.3']);
  }
  assert.equal(readFileSync(file, 'utf8').trim(), '0', readFileSync(join(project, 'anysnake2_jobs', 'logs', `${id}.out`), 'utf8'));
}
