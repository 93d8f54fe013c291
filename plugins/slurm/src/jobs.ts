/**
 * `anysnake2 jobs`: this project's jobs (anysnake2_jobs/jobs.json) with what Slurm and the job
 * script know of them. squeue knows running and pending jobs; `scontrol show job` knows ended
 * ones for a few minutes (MinJobAge); sacct knows them for good where a site keeps accounting;
 * the exit status file the job script writes is the command's own status and outlives all three.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UsageError } from '@anysnake2/core/plugin-command.js';
import { logDir, readRecords, type JobRecord } from './records.js';
import { slurmRun, slurmTry } from './slurm-cli.js';

export interface JobRow {
  /** `id`, or `arrayid_task` for a task of an array. */
  id: string;
  command: string;
  words: string[];
  /** Slurm's state (PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, TIMEOUT …), or from the job's records: COMPLETED, FAILED, LOST, NOT_STARTED. */
  state: string;
  /** The command's exit status, once known. */
  exitCode: number | null;
  log: string;
  submitted: string;
}

const JOB_ID = /^\d+(_\d+)?$/;

interface Known {
  state?: string;
  exitCode?: number;
}

/** `squeue -r`: one line per array task; `|` never occurs in ids or states. */
async function liveStates(): Promise<Map<string, Known>> {
  const result = await slurmRun('squeue', ['-h', '-r', '-o', '%i|%T']);
  const states = new Map<string, Known>();
  for (const line of result.stdout.split('\n')) {
    const [id, state] = line.trim().split('|');
    if (id && state) states.set(id, { state });
  }
  return states;
}

/** `scontrol -o show job ID`: ended jobs for MinJobAge seconds; every task of an array. */
async function recentStates(id: string, into: Map<string, Known>): Promise<void> {
  const result = await slurmTry('scontrol', ['-o', 'show', 'job', id]);
  if (result.exitCode !== 0) return;
  for (const line of result.stdout.split('\n')) {
    const field = (name: string) => new RegExp(`(?:^| )${name}=(\\S+)`).exec(line)?.[1];
    const jobId = field('JobId');
    if (!jobId) continue;
    const arrayJob = field('ArrayJobId');
    const task = field('ArrayTaskId');
    const rowId = arrayJob && task && /^\d+$/.test(task) ? `${arrayJob}_${task}` : jobId;
    const exit = field('ExitCode')?.split(':')[0];
    if (!into.has(rowId)) into.set(rowId, { state: field('JobState'), exitCode: exit === undefined ? undefined : Number(exit) });
  }
}

/** What the job script recorded: exit statuses (`<id>.status`, `<array>_<task>.status`) and which jobs started (`<id>.started`). */
async function recordedStatuses(dir: string): Promise<{ statuses: Map<string, number>; started: Set<string> }> {
  const statuses = new Map<string, number>();
  const started = new Set<string>();
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const m = /^(\d+(?:_\d+)?)\.(status|started)$/.exec(name);
    if (!m) continue;
    if (m[2] === 'started') {
      started.add(m[1]!);
      continue;
    }
    const text = (await readFile(join(dir, name), 'utf8').catch(() => '')).trim();
    if (/^\d+$/.test(text)) statuses.set(m[1]!, Number(text));
  }
  return { statuses, started };
}

/** `sacct` where a site keeps accounting; without it (or when it fails) nothing, and the records speak. */
async function accountedStates(ids: readonly string[], into: Map<string, Known>): Promise<void> {
  if (ids.length === 0) return;
  const result = await slurmTry('sacct', ['-n', '-P', '-X', '-o', 'JobID,State,ExitCode', '-j', ids.join(',')], { timeoutMs: 15_000 }).catch(() => undefined);
  if (result?.exitCode !== 0) return;
  for (const line of result.stdout.split('\n')) {
    const [id, state, exit] = line.trim().split('|');
    if (!id || !JOB_ID.test(id) || !state) continue;
    const code = exit?.split(':')[0];
    into.set(id, { state: state.split(' ')[0], exitCode: code === undefined || !/^\d+$/.test(code) ? undefined : Number(code) });
  }
}

export async function listJobs(projectDir: string): Promise<JobRow[]> {
  const records = await readRecords(projectDir);
  if (records.length === 0) return [];
  const logs = logDir(projectDir);
  const [live, { statuses, started }] = await Promise.all([liveStates(), recordedStatuses(logs)]);
  const recent = new Map<string, Known>();
  // scontrol (one process per job) only where squeue and a recorded success do not settle it: a
  // non-zero status may be a cancel or a time limit, which only Slurm can tell.
  const open = records.filter((r) => r.array || (!live.has(r.id) && statuses.get(r.id) !== 0));
  await Promise.all(open.map((r) => recentStates(r.id, recent)));
  // Jobs neither squeue nor scontrol know any more: sacct, where there is accounting.
  const forgotten = open.filter((r) => !r.array && !recent.has(r.id) && !statuses.has(r.id)).map((r) => r.id);
  await accountedStates(forgotten, recent);
  const rows: JobRow[] = [];
  for (const record of records) {
    const ids = new Set<string>();
    const mine = (id: string) => (record.array ? id.startsWith(`${record.id}_`) && /^\d+_\d+$/.test(id) : id === record.id);
    for (const source of [live.keys(), recent.keys(), statuses.keys(), started]) for (const id of source) if (mine(id)) ids.add(id);
    if (ids.size === 0) ids.add(record.id);
    for (const id of [...ids].sort(byJobId)) rows.push(row(record, id, live.get(id), recent.get(id), statuses.get(id), started.has(id), logs));
  }
  return rows;
}

/**
 * A job Slurm no longer knows and that recorded no exit status: it started and was killed before
 * its script could record one (KILL after the time limit's grace, a node failure): LOST; or it
 * never started (cancelled while pending, or never scheduled): NOT_STARTED.
 */
function row(record: JobRecord, id: string, live: Known | undefined, recent: Known | undefined, status: number | undefined, started: boolean, logs: string): JobRow {
  const fromStatus = status === undefined ? undefined : status === 0 ? 'COMPLETED' : 'FAILED';
  return {
    id,
    command: record.command,
    words: record.words,
    state: live?.state ?? recent?.state ?? fromStatus ?? (started ? 'LOST' : 'NOT_STARTED'),
    exitCode: status ?? (live ? null : (recent?.exitCode ?? null)),
    log: join(logs, `${id}.out`),
    submitted: record.submitted,
  };
}

function byJobId(a: string, b: string): number {
  const [a1, a2] = a.split('_').map(Number);
  const [b1, b2] = b.split('_').map(Number);
  return a1! - b1! || (a2 ?? -1) - (b2 ?? -1);
}

/** A job id of this project (a recorded job, or a task of a recorded array): anything else is refused. */
export async function ownJob(projectDir: string, id: string): Promise<JobRecord> {
  if (!JOB_ID.test(id)) throw new UsageError(`${JSON.stringify(id)} is not a Slurm job id`, { hint: 'e.g. 1234 or 1234_7 (array task); `anysnake2 jobs` lists them' });
  const base = id.split('_')[0]!;
  const record = (await readRecords(projectDir)).find((r) => r.id === base);
  if (!record || (id.includes('_') && !record.array))
    throw new UsageError(`job ${id} was not submitted from this project`, { hint: '`anysnake2 jobs` lists the jobs of this project' });
  return record;
}

export function renderTable(rows: readonly JobRow[]): string {
  if (rows.length === 0) return 'no jobs submitted from this project yet (anysnake2 submit <cmd>)';
  const table = [['JOB', 'COMMAND', 'STATE', 'EXIT', 'LOG'], ...rows.map((r) => [r.id, r.command, r.state, r.exitCode === null ? '-' : String(r.exitCode), r.log])];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((cells) => cells[i]!.length)));
  return table.map((cells) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')).join('\n');
}
