/**
 * Two anysnake2 processes on one project serialise here instead of corrupting `.anysnake2_flake`:
 * an exclusive lock file holding the owner's pid. A lock whose owner died is taken over.
 */
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../plugin-api.js';

const POLL_MS = 200;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function withProjectLock<T>(flakeDir: string, log: Logger, work: () => Promise<T>): Promise<T> {
  const path = join(flakeDir, '.anysnake2.lock');
  await mkdir(flakeDir, { recursive: true });
  let announced = false;
  for (;;) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      if (!owner || !alive(owner)) {
        // The owner died (or is mid-write): take over a stale lock.
        if (!owner) await new Promise((r) => setTimeout(r, POLL_MS));
        const again = Number((await readFile(path, 'utf8').catch(() => '')).trim());
        if (!again || !alive(again)) await rm(path, { force: true });
        continue;
      }
      if (!announced) log.info(`waiting for another anysnake2 (pid ${owner}) working on this project…`);
      announced = true;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }
  try {
    return await work();
  } finally {
    await rm(path, { force: true });
  }
}
