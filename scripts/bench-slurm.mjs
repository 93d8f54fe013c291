// Slurm figures for `npm run bench` (issue 14 §4), on the one-node test cluster
// (test/src/support/slurm-cluster.ts): how much later than a bare `sbatch --wrap` a command starts
// when `anysnake2 submit` sends it (target: <= 150 ms more), and what submitting a 1,000-task array
// costs (one sbatch call). Usage: node scripts/bench-slurm.mjs <built project dir> <anysnake2 bin>
// Slurm itself starts a job ~1-3 s after sbatch, in steps of its own timers: whole submit-to-start
// times differ by hundreds of ms with the moment a job is sent, more than anything anysnake2 adds.
// So each submit waits a random part of a second first, and what anysnake2 adds is also measured
// apart from Slurm's timing: the submit command against sbatch, plus, inside a job, the time from
// the job script's start to the command's first line against a bare bash doing the same.
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [project, bin] = process.argv.slice(2);
const { slurmSkipReason, startCluster } = await import(new URL('../test/dist/support/slurm-cluster.js', import.meta.url).href);
const reason = slurmSkipReason();
if (reason) {
  console.log(`slurm: skipped (${reason})`);
  process.exit(0);
}
const runs = Number(process.env.BENCH_SLURM_RUNS ?? 10);
const cluster = startCluster();
// The debug line says whether each submit took the warm path (an identical submit is replayed without oclif, plugins or nix).
const env = { ...process.env, ...cluster.env, ANYSNAKE2_DEBUG_WARM_PATH: '1' };
const stamp = join(project, 'slurm-bench-stamp');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
let warmHits = 0;
const run = (cmd, args) => {
  const r = spawnSync(cmd, args, { cwd: project, env, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}\n${r.stderr}`);
  if (r.stderr.includes('debug: warm path hit')) warmHits++;
  return r.stdout;
};
/** A time bash wrote from $EPOCHREALTIME, in ms. */
const stampMs = (file) => Number(readFileSync(file, 'utf8').trim().replace(',', '.')) * 1000;
/** Submit, then wait for the command's own first line (a host-side timestamp in $EPOCHREALTIME). */
function startDelay(submit) {
  // Each measurement on an idle cluster: a job of the previous one still running (ours runs on
  // after its stamp) would delay the next start and favour whichever is measured second.
  const idleBy = Date.now() + 120_000;
  while (run('squeue', ['-h']).trim() !== '') {
    if (Date.now() > idleBy) throw new Error('the cluster did not become idle in 120 s');
    spawnSync('sleep', ['0.1']);
  }
  rmSync(stamp, { force: true });
  // A random moment within Slurm's timer steps, so neither side is sent at a favoured one.
  spawnSync('sleep', [Math.random().toFixed(3)]);
  const before = Date.now();
  const submitted = submit();
  const end = before + 120_000;
  while (!existsSync(stamp) || readFileSync(stamp, 'utf8').trim() === '') {
    if (Date.now() > end) throw new Error('the job did not start in 120 s');
    spawnSync('sleep', ['0.02']);
  }
  return { delay: stampMs(stamp) - before, submitMs: submitted };
}
try {
  // [cmd.slurmbench] stamps the time first thing (pre_run_outside runs in the job, on the node).
  appendFileSync(join(project, 'anysnake2.toml'), `\n[cmd.slurmbench]\npre_run_outside = 'echo "$EPOCHREALTIME" > ${stamp}'\nrun = "true"\n`);
  run(process.execPath, [bin, 'submit', 'slurmbench']); // builds, pins, warms up
  warmHits = 0;
  const bare = [];
  const ours = [];
  for (let i = 0; i < runs; i++) {
    bare.push(
      startDelay(() => {
        const t = Date.now();
        run('sbatch', ['--parsable', '--output=/dev/null', '--wrap', `exec bash -c 'echo "$EPOCHREALTIME" > ${stamp}'`]);
        return Date.now() - t;
      }),
    );
    ours.push(
      startDelay(() => {
        const t = Date.now();
        run(process.execPath, [bin, 'submit', 'slurmbench']);
        return Date.now() - t;
      }),
    );
  }
  const b = median(bare.map((x) => x.delay));
  const o = median(ours.map((x) => x.delay));
  console.log(`slurm, submit to command start (median of ${runs}):`);
  console.log(`  sbatch --wrap                 ${b.toFixed(0).padStart(6)} ms   (sbatch itself ${median(bare.map((x) => x.submitMs))} ms)`);
  console.log(
    `  anysnake2 submit <cmd>        ${o.toFixed(0).padStart(6)} ms   (+${(o - b).toFixed(0)} ms, mostly Slurm's timers; submit itself ${median(ours.map((x) => x.submitMs))} ms; ${warmHits} of ${runs} on the warm path)`,
  );
  // Inside a job, started by bash as Slurm starts a batch script: from its first line to the
  // command's (the stamp), for the job script submit wrote and for a bare bash writing the stamp.
  const t0 = join(project, 'slurm-bench-t0');
  const wrapper = join(project, 'slurm-bench-job.sh');
  const jobSide = (tail) => {
    writeFileSync(wrapper, `echo "$EPOCHREALTIME" > ${t0}\n${tail}\n`);
    startDelay(() => (run('sbatch', ['--parsable', '--output=/dev/null', '--wrap', `exec bash ${wrapper}`]), 0));
    return stampMs(stamp) - stampMs(t0);
  };
  const jobBare = [];
  const jobOurs = [];
  for (let i = 0; i < runs; i++) {
    jobBare.push(jobSide(`bash -c 'echo "$EPOCHREALTIME" > ${stamp}'`));
    jobOurs.push(jobSide(`bash ${join(project, 'anysnake2_jobs', 'slurmbench.sbatch')}`));
  }
  const submitOurs = median(ours.map((x) => x.submitMs));
  const submitBare = median(bare.map((x) => x.submitMs));
  const added = submitOurs - submitBare + (median(jobOurs) - median(jobBare));
  console.log(
    `  what anysnake2 adds, apart from Slurm's timers: submit ${submitOurs} ms vs sbatch ${submitBare} ms, in the job ${median(jobOurs).toFixed(0)} ms vs ${median(jobBare).toFixed(0)} ms to the command's start: +${added.toFixed(0)} ms (target <= +150 ms)`,
  );
  const t = Date.now();
  const out = run(process.execPath, [bin, 'submit', '--array', '1-1000', '--json', '--', 'true']);
  const arrayMs = Date.now() - t;
  const id = JSON.parse(out).id;
  run('scancel', [id]);
  console.log(`  anysnake2 submit --array 1-1000: ${arrayMs} ms, one sbatch call (job ${id}, cancelled)`);
} finally {
  cluster.stop();
}
