/**
 * The project's own list of the jobs it submitted (anysnake2_jobs/jobs.json, owner only): which
 * command, which words, where the log is. Slurm knows a job's state only while it runs (and for
 * a few minutes after, or in its accounting database when a site has one), so the exit status
 * the job script records beside the log is what `jobs` reports once a job is gone from squeue.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { withDirectoryLock, writeFileAtomic } from '@anysnake2/core/plugin-warm.js';
import type { Logger } from '@anysnake2/core/plugin-warm.js';
import { JOBS_DIR } from './sections.js';

export interface JobRecord {
  /** Slurm's job id (for arrays: the array job's id). */
  id: string;
  command: string;
  words: string[];
  /** `--array` as given, when it is an array job. */
  array?: string;
  submitted: string;
  script: string;
}

export const jobsDir = (projectDir: string) => join(projectDir, JOBS_DIR);
export const logDir = (projectDir: string) => join(projectDir, JOBS_DIR, 'logs');
const recordFile = (projectDir: string) => join(jobsDir(projectDir), 'jobs.json');

/** The directories exist, logs owner-only (a command's output may hold anything). */
export async function prepareJobsDir(projectDir: string): Promise<void> {
  await mkdir(logDir(projectDir), { recursive: true, mode: 0o700 });
}

export async function readRecords(projectDir: string): Promise<JobRecord[]> {
  const text = await readFile(recordFile(projectDir), 'utf8').catch(() => undefined);
  if (text === undefined) return [];
  try {
    const parsed = JSON.parse(text) as { jobs?: JobRecord[] };
    return Array.isArray(parsed.jobs) ? parsed.jobs : [];
  } catch {
    return [];
  }
}

/**
 * Read, add, write — under a lock of the jobs directory (anysnake2_jobs/.anysnake2.lock), so two
 * `submit`s at once both end up in the file; the write itself is atomic, so `jobs` never reads half.
 */
export async function addRecord(projectDir: string, record: JobRecord, log: Logger): Promise<void> {
  await withDirectoryLock(jobsDir(projectDir), log, async () => {
    const jobs = [...(await readRecords(projectDir)).filter((j) => j.id !== record.id), record];
    await writeFileAtomic(recordFile(projectDir), `${JSON.stringify({ version: 1, jobs }, null, 2)}\n`, 0o600);
  });
}
