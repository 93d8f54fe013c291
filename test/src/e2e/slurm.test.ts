/**
 * plugins/slurm against a real one-node Slurm cluster (Debian's slurm-wlm and munge, started by
 * test/src/support/slurm-cluster.ts in a temp dir and stopped afterwards): [cmd.X] runs as a
 * batch job in the bwrap container, with its words, its exit status (0 and not), an array of 4
 * tasks each seeing its index, cancel, and `jobs --json`. The config checks and the exit codes for
 * a missing sbatch and a cluster that is down need no cluster of their own.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { containerProject, REPO, runCli, tempProject } from '../support/cli.js';
import { slurmSkipReason, startCluster, type Cluster } from '../support/slurm-cluster.js';

const skip = slurmSkipReason() ?? false;
const bwrapEnv = { ANYSNAKE2_INSIDE: '', SINGULARITY_NAME: '', APPTAINER_NAME: '' };

let cluster: Cluster | undefined;
let project: string | undefined;
before(() => {
  if (skip) return;
  cluster = startCluster();
});
after(() => cluster?.stop());

const COMMANDS = [
  '[cmd.show]',
  `run = 'echo "inside=$ANYSNAKE2_INSIDE task=\${SLURM_ARRAY_TASK_ID:-none} words=$*"; fixture-only'`,
  '[cmd.show.slurm]',
  'cpus = 1',
  'time = "10"',
  '[cmd.fail]',
  "run = 'echo failing; exit 3'",
  '[cmd.sleeper]',
  "run = 'echo started; sleep 300'",
  '[cmd.whoami]',
  `run = 'echo "job=$SLURM_JOB_ID task=\${SLURM_ARRAY_TASK_ID:-none} fixed=$SLURM_JOB_NAME"'`,
  '[container.env]',
  'SLURM_JOB_NAME = "from-config"',
  '[cmd.stamp]',
  `run = 'echo "start $EPOCHREALTIME"; sleep 2; echo "end $EPOCHREALTIME"'`,
].join('\n');

const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli(args, { cwd: project!, env: { ...bwrapEnv, ...cluster!.env, ...env } });

interface Row {
  id: string;
  command: string;
  state: string;
  exitCode: number | null;
  log: string;
}
const jobs = (): Row[] => {
  const r = cli(['jobs', '--json']);
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as Row[];
};

/** Polls `jobs --json` until `done` holds for the rows of `id` (a job, or every task of an array). */
function waitForJob(id: string, done: (rows: Row[]) => boolean, timeoutMs = 180_000): Row[] {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const rows = jobs().filter((r) => r.id === id || r.id.startsWith(`${id}_`));
    if (done(rows)) return rows;
    if (Date.now() > end)
      assert.fail(`job ${id} did not get there in time: ${JSON.stringify(rows)}\n${readFileSync(join(cluster!.dir, 'log', 'slurmd.log'), 'utf8').slice(-2000)}`);
    spawnSync('sleep', ['0.5']);
  }
}
const ended = (rows: Row[]) => rows.length > 0 && rows.every((r) => r.exitCode !== null && !['PENDING', 'RUNNING', 'COMPLETING'].includes(r.state));
const submitted = (stdout: string) => (JSON.parse(stdout) as { id: string; script: string; log: string }).id;

test('submit runs [cmd.X] in the container on the cluster, with its words; jobs reports exit 0 and the log', { skip }, () => {
  project = containerProject(COMMANDS);
  const r = cli(['submit', 'show', 'a b', 'c', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const job = JSON.parse(r.stdout) as { id: string; script: string; log: string; rootfs: string };
  assert.match(job.id, /^\d+$/);
  const [row] = waitForJob(job.id, ended);
  assert.equal(row!.state, 'COMPLETED');
  assert.equal(row!.exitCode, 0);
  assert.equal(row!.log, job.log);
  const log = readFileSync(job.log, 'utf8');
  assert.match(log, /^inside=show task=none words=a b c$/m, log);
  assert.match(log, /^only inside the container: fixture-only from \/nix\/store\//m, log);
  // The script is in the project, names the rootfs and the version, and only its owner may touch it.
  const script = readFileSync(join(project, 'anysnake2_jobs', 'show.sbatch'), 'utf8');
  assert.equal(readFileSync(job.script, 'utf8'), script);
  assert.match(script, /^#SBATCH --cpus-per-task=1$/m);
  assert.match(script, /^#SBATCH --time=10$/m);
  assert.ok(script.includes(`# rootfs: ${job.rootfs}`), script);
  assert.match(job.rootfs, /^\/nix\/store\/[a-z0-9]{32}-[^/]+\/rootfs$/);
  assert.match(script, /^# Written by anysnake2 \d+\.\d+\.\d+/m);
  assert.equal(statSync(join(project, 'anysnake2_jobs', 'show.sbatch')).mode & 0o777, 0o700);
  assert.equal(statSync(join(project, 'anysnake2_jobs', 'logs')).mode & 0o777, 0o700);
  assert.equal(statSync(join(project, 'anysnake2_jobs', 'jobs.json')).mode & 0o777, 0o600);
  // `jobs logs` prints it; `--json` carries it.
  const logs = cli(['jobs', 'logs', job.id]);
  assert.equal(logs.code, 0, logs.stderr);
  assert.equal(logs.stdout, log);
  const json = JSON.parse(cli(['jobs', 'logs', job.id, '--json']).stdout) as { id: string; text: string };
  assert.deepEqual([json.id, json.text], [job.id, log]);
});

test('a failing command: its exit status reaches jobs; an ad-hoc `submit -- <command>` runs too', { skip }, () => {
  project ??= containerProject(COMMANDS);
  const failing = cli(['submit', 'fail', '--json']);
  assert.equal(failing.code, 0, failing.stderr);
  const adHoc = cli(['submit', '--json', '--', 'echo', 'ad hoc']);
  assert.equal(adHoc.code, 0, adHoc.stderr);
  const [fail] = waitForJob(submitted(failing.stdout), ended);
  assert.equal(fail!.exitCode, 3);
  assert.equal(fail!.state, 'FAILED');
  assert.match(readFileSync(fail!.log, 'utf8'), /^failing$/m);
  const [run] = waitForJob(submitted(adHoc.stdout), ended);
  assert.equal(run!.command, 'run');
  assert.equal(run!.exitCode, 0);
  assert.match(readFileSync(run!.log, 'utf8'), /^ad hoc$/m);
});

test('--array 1-4 is one sbatch call; each task sees its own SLURM_ARRAY_TASK_ID in the container', { skip }, () => {
  project ??= containerProject(COMMANDS);
  const r = cli(['submit', '--array', '1-4', 'show', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const id = submitted(r.stdout);
  const rows = waitForJob(id, (rows) => rows.length === 4 && ended(rows));
  assert.deepEqual(
    rows.map((row) => row.id),
    [1, 2, 3, 4].map((t) => `${id}_${t}`),
  );
  for (const [i, row] of rows.entries()) {
    assert.equal(row.exitCode, 0, `${row.id}: ${readFileSync(row.log, 'utf8')}`);
    assert.match(readFileSync(row.log, 'utf8'), new RegExp(`^inside=show task=${i + 1} words=$`, 'm'));
  }
  const whole = cli(['jobs', 'logs', id]);
  assert.equal(whole.code, 64);
  assert.match(whole.stderr, /is an array \(1-4\): each task has its own log/);
});

test('jobs cancel ends a running job and its container; other ids are refused', { skip }, () => {
  project ??= containerProject(COMMANDS);
  const r = cli(['submit', 'sleeper', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const id = submitted(r.stdout);
  const [running] = waitForJob(id, (rows) => rows[0]?.state === 'RUNNING' && existsSync(rows[0].log) && readFileSync(rows[0].log, 'utf8').includes('started'));
  const cancel = cli(['jobs', 'cancel', id, '--json']);
  assert.equal(cancel.code, 0, cancel.stderr);
  assert.deepEqual(JSON.parse(cancel.stdout), { id, cancelled: true });
  const [row] = waitForJob(id, ended, 60_000);
  assert.equal(row!.state, 'CANCELLED');
  assert.equal(row!.exitCode, 143);
  assert.match(readFileSync(running!.log, 'utf8'), /CANCELLED/);
  // No process of the job is left: none has the job's id in its environment (the container's
  // processes get SLURM_JOB_ID too). Other tests on the machine may run their own `sleep 300`.
  const ofJob = () =>
    readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .filter((p) => {
        try {
          return readFileSync(`/proc/${p}/environ`, 'latin1').split('\0').includes(`SLURM_JOB_ID=${id}`);
        } catch {
          return false;
        }
      });
  const end = Date.now() + 10_000;
  while (ofJob().length > 0 && Date.now() < end) spawnSync('sleep', ['0.2']);
  assert.deepEqual(ofJob(), [], 'no process of the cancelled job is left');
  const other = cli(['jobs', 'cancel', '999999']);
  assert.equal(other.code, 64);
  assert.match(other.stderr, /job 999999 was not submitted from this project/);
  assert.equal(cli(['jobs', 'cancel', '1; rm -rf /']).code, 64);
});

test('the next job of a command starts on the warm path, with its own SLURM_* values in the container', { skip }, () => {
  project ??= containerProject(COMMANDS);
  // The job inherits the submitting environment: the debug line says whether the warm path ran.
  const debug = { ANYSNAKE2_DEBUG_WARM_PATH: '1' };
  const once = () => {
    const r = cli(['submit', 'whoami', '--json'], debug);
    assert.equal(r.code, 0, r.stderr);
    const id = submitted(r.stdout);
    const [row] = waitForJob(id, ended);
    return { id, log: readFileSync(row!.log, 'utf8') };
  };
  const first = once();
  assert.match(first.log, new RegExp(`^job=${first.id} task=none fixed=from-config$`, 'm'), first.log);
  const second = once();
  assert.match(second.log, /debug: warm path hit/, second.log);
  // Not the recorded job's values: this job's own; [container] env still wins over SLURM_*.
  assert.match(second.log, new RegExp(`^job=${second.id} task=none fixed=from-config$`, 'm'), second.log);
  const r = cli(['submit', '--array', '1-2', 'whoami', '--json'], debug);
  assert.equal(r.code, 0, r.stderr);
  const id = submitted(r.stdout);
  const rows = waitForJob(id, (rows) => rows.length === 2 && ended(rows));
  for (const [i, row] of rows.entries()) assert.match(readFileSync(row.log, 'utf8'), new RegExp(`^job=\\d+ task=${i + 1} fixed=from-config$`, 'm'));
});

test('two submits at once both land in jobs.json (a locked read-modify-write)', { skip }, () => {
  project ??= containerProject(COMMANDS);
  const out = mkdtempSync(join(tmpdir(), 'as2-concurrent-'));
  // Four `submit`s started together, each bounded by timeout(1) so none can outlive the test.
  const env = { ...process.env, ...bwrapEnv, ...cluster!.env };
  const script = `for i in 1 2 3 4; do timeout -k 5 180 "$0" "$1" submit show "w$i" --json > "$2/$i.json" 2> "$2/$i.err" & done; wait`;
  const r = spawnSync('bash', ['-c', script, process.execPath, join(REPO, 'core', 'bin', 'run.js'), out], { cwd: project, env, encoding: 'utf8', timeout: 240_000 });
  assert.equal(r.status, 0, r.stderr);
  const ids = [1, 2, 3, 4].map((i) => {
    const text = readFileSync(join(out, `${i}.json`), 'utf8');
    assert.ok(text.trim(), readFileSync(join(out, `${i}.err`), 'utf8'));
    return submitted(text);
  });
  const recorded = (JSON.parse(readFileSync(join(project, 'anysnake2_jobs', 'jobs.json'), 'utf8')) as { jobs: { id: string }[] }).jobs.map((j) => j.id);
  for (const id of ids) assert.ok(recorded.includes(id), `job ${id} is missing from jobs.json: ${recorded.join(', ')}`);
  for (const id of ids) waitForJob(id, ended);
});

test('the tasks of an array run their containers at the same time and wait for no lock when nothing is rebuilt', { skip }, () => {
  project ??= containerProject(COMMANDS);
  const r = cli(['submit', '--array', '1-4', 'stamp', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const id = submitted(r.stdout);
  const rows = waitForJob(id, (rows) => rows.length === 4 && ended(rows));
  const spans = rows.map((row) => {
    const log = readFileSync(row.log, 'utf8');
    assert.equal(row.exitCode, 0, log);
    // Nothing to rebuild: the up-to-date check takes no project lock, so no task waits for another.
    assert.doesNotMatch(log, /waiting for .* to finish with this project/, log);
    const at = (what: string) => Number(new RegExp(`^${what} (\\d+[.,]\\d+)$`, 'm').exec(log)?.[1]?.replace(',', '.'));
    return { start: at('start'), end: at('end') };
  });
  for (const span of spans) assert.ok(span.start > 0 && span.end > span.start, JSON.stringify(spans));
  // All four containers were running at one moment: the latest start is before the earliest end.
  assert.ok(Math.max(...spans.map((s) => s.start)) < Math.min(...spans.map((s) => s.end)), `the tasks did not overlap: ${JSON.stringify(spans)}`);
});

test('jobs --json lists every job of the project with state, exit code and log', { skip }, () => {
  project ??= containerProject(COMMANDS);
  const rows = jobs();
  assert.ok(rows.length >= 1);
  for (const row of rows) {
    assert.match(row.id, /^\d+(_\d+)?$/);
    assert.ok(row.log.startsWith(join(project, 'anysnake2_jobs', 'logs')), row.log);
    assert.equal(typeof row.state, 'string');
  }
  const table = cli(['jobs']);
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /^JOB\s+COMMAND\s+STATE\s+EXIT\s+LOG$/m);
});

test('without accounting, jobs Slurm has forgotten report the recorded status, not UNKNOWN', { skip }, () => {
  project ??= containerProject(COMMANDS);
  const failing = cli(['submit', 'fail', '--json']);
  assert.equal(failing.code, 0, failing.stderr);
  const id = submitted(failing.stdout);
  waitForJob(id, ended);
  const before = jobs();
  // A fresh cluster (new state, no accounting: sacct fails) knows none of these jobs, as a
  // cluster does after MinJobAge; every job's own records must answer.
  cluster!.stop();
  cluster = startCluster();
  const sacct = spawnSync('sacct', ['-n', '-j', id], { env: { ...process.env, ...cluster.env }, encoding: 'utf8', timeout: 30_000 });
  assert.notEqual(sacct.status, 0, 'the test cluster has no accounting');
  const after = jobs();
  assert.deepEqual(
    after.map((r) => r.id),
    before.map((r) => r.id),
  );
  for (const row of after) {
    assert.notEqual(row.state, 'UNKNOWN', JSON.stringify(row));
    assert.ok(['COMPLETED', 'FAILED'].includes(row.state), JSON.stringify(row));
    assert.equal(row.exitCode, before.find((b) => b.id === row.id)!.exitCode, JSON.stringify(row));
  }
  assert.equal(after.find((r) => r.id === id)!.state, 'FAILED');
  assert.equal(after.find((r) => r.id === id)!.exitCode, 3);
  assert.ok(existsSync(join(project, 'anysnake2_jobs', 'logs', `${id}.started`)));
});

test('a cluster that does not answer is exit 75', { skip }, () => {
  project ??= containerProject(COMMANDS);
  const dead = join(cluster!.dir, 'dead.conf'); // removed with the cluster
  // The same cluster's config with a controller port nobody listens on.
  writeFileSync(dead, readFileSync(cluster!.env.SLURM_CONF!, 'utf8').replace(/^SlurmctldPort=\d+$/m, 'SlurmctldPort=1'));
  const r = cli(['jobs'], { SLURM_CONF: dead });
  assert.equal(r.code, 75, r.stderr);
  assert.match(r.stderr, /the Slurm cluster does not answer \(squeue\): .*Unable to contact slurm controller/);
  // SLURM_CONF naming no file: said at once (Slurm's tools would retry for a minute), 69.
  const none = cli(['jobs'], { SLURM_CONF: join(tmpdir(), 'as2-no-such-slurm.conf') });
  assert.equal(none.code, 69, none.stderr);
  assert.match(none.stderr, /SLURM_CONF names .*as2-no-such-slurm\.conf, which does not exist/);
});

test('sbatch missing is exit 69 naming what to install', () => {
  const cwd = tempProject('[cmd.x]\nrun = "true"\n');
  // A PATH with everything of /usr/bin and /bin but sbatch.
  const bin = mkdtempSync(join(tmpdir(), 'as2-nosbatch-'));
  for (const dir of ['/usr/bin', '/bin'])
    for (const name of readdirSync(dir))
      if (name !== 'sbatch' && !existsSync(join(bin, name)))
        try {
          symlinkSync(join(dir, name), join(bin, name));
        } catch {} // /bin is /usr/bin on merged-/usr systems
  writeFileSync(join(cwd, 'anysnake2.toml'), '[cmd.x]\nrun = "true"\n');
  const r = runCli(['jobs'], { cwd, env: { PATH: bin } });
  assert.equal(r.code, 0, r.stderr); // nothing submitted yet: nothing to ask Slurm
  // submit --dry-run writes the script without Slurm; a real submit needs sbatch.
  const project = containerProject('[cmd.x]\nrun = "true"\n');
  const dry = runCli(['submit', 'x', '--dry-run'], { cwd: project, env: { ...bwrapEnv, PATH: `${bin}` } });
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, /^#!\/bin\/bash\n/);
  const missing = runCli(['submit', 'x'], { cwd: project, env: { ...bwrapEnv, PATH: bin } });
  assert.equal(missing.code, 69, missing.stderr);
  assert.match(missing.stderr, /sbatch is not installed/);
  assert.match(missing.stderr, /apt-get install slurm-client/);
});

test('bad [slurm] and [cmd.X.slurm] values are exit 65 with line:column and the TOML path', () => {
  const cwd = tempProject(
    [
      '[slurm]',
      'time = "soon"',
      'extra = ["--output=/tmp/x", "--mail-type=END\\n#SBATCH --uid=0", "mail"]',
      '[cmd.x]',
      'run = "true"',
      '[cmd.x.slurm]',
      'cpus = 0',
      'mem = "lots"',
      'partition = "a b"',
      '',
    ].join('\n'),
  );
  const r = runCli(['check'], { cwd });
  assert.equal(r.code, 65, r.stderr);
  assert.match(r.stderr, /anysnake2\.toml:2:1: slurm\.time/);
  assert.match(r.stderr, /slurm\.time.*is not a valid Slurm time: "soon"/);
  assert.match(r.stderr, /slurm\.extra\[0\].*sets --output, which anysnake2 sets itself/);
  assert.match(r.stderr, /slurm\.extra\[1\].*contains a control character/);
  assert.match(r.stderr, /slurm\.extra\[2\].*is not an sbatch option/);
  assert.match(r.stderr, /cmd\.x\.slurm\.cpus/);
  assert.match(r.stderr, /anysnake2\.toml:7:1: cmd\.x\.slurm\.cpus: expected a whole number of at least 1, found the number 0/);
  assert.match(r.stderr, /cmd\.x\.slurm\.mem.*is not a valid Slurm mem: "lots"/);
  assert.match(r.stderr, /cmd\.x\.slurm\.partition.*is not a valid Slurm partition/);
  // A good one is quiet, and the unknown-key warning names the right place.
  const good = tempProject('[slurm]\npartition = "short"\ntime = "1-12:00:00"\n[cmd.x]\nrun = "true"\n[cmd.x.slurm]\ncpus = 2\nmem = "4G"\ngpus = 1\nnodes = 2\n');
  const ok = runCli(['check'], { cwd: good });
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stderr, /cmd\.x\.slurm\.nodes.*is not a known key/);
});

test('submit refuses a bad --array, a bad --dependency and an unknown command with 64', () => {
  const cwd = containerProject('[cmd.x]\nrun = "true"\n');
  for (const [args, message] of [
    [['submit', '--array', '1-4;id', 'x'], /--array "1-4;id" is not a Slurm array/],
    [['submit', '--dependency', 'afterok:1 --uid=0', 'x'], /is not a Slurm dependency/],
    [['submit', 'nope'], /there is no \[cmd\.nope\]/],
    [['submit'], /nothing to submit/],
  ] as const) {
    const r = runCli(args, { cwd });
    assert.equal(r.code, 64, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
  }
});

test('doctor checks the Slurm tools and whether the cluster answers', { skip }, () => {
  project ??= containerProject(COMMANDS);
  const findings = (env: NodeJS.ProcessEnv) => {
    const r = cli(['doctor', '--json'], env);
    return JSON.parse(r.stdout) as { id: string; status: string; summary: string }[];
  };
  const up = findings({});
  assert.equal(up.find((f) => f.id === 'slurm.tools')?.status, 'ok');
  const cluster_ = up.find((f) => f.id === 'slurm.cluster');
  assert.equal(cluster_?.status, 'ok', JSON.stringify(cluster_));
  assert.match(cluster_!.summary, /partitions: debug/);
  const dead = join(cluster!.dir, 'dead.conf'); // removed with the cluster
  writeFileSync(dead, readFileSync(cluster!.env.SLURM_CONF!, 'utf8').replace(/^SlurmctldPort=\d+$/m, 'SlurmctldPort=1'));
  // A controller that does not answer fails a project with Slurm settings, and is only a warning for others.
  const down = findings({ SLURM_CONF: dead }).find((f) => f.id === 'slurm.cluster');
  assert.equal(down?.status, 'fail', JSON.stringify(down));
  assert.match(down!.summary, /the Slurm controller does not answer/);
  const plain = containerProject('');
  const r = runCli(['doctor', '--json', '--offline'], { cwd: plain, env: { ...bwrapEnv, SLURM_CONF: dead } });
  assert.equal((JSON.parse(r.stdout) as { id: string; status: string }[]).find((f) => f.id === 'slurm.cluster')?.status, 'warn');
  const none = runCli(['doctor', '--json', '--offline'], { cwd: plain, env: { ...bwrapEnv, SLURM_CONF: join(tmpdir(), 'as2-no-such-slurm.conf') } });
  assert.equal((JSON.parse(none.stdout) as { id: string; status: string }[]).find((f) => f.id === 'slurm.cluster')?.status, 'ok');
});
