/**
 * A runtime's inputs (LaunchSpec.inputs) as open descriptors on unlinked files: written owner-only
 * in a private folder, opened, and removed before the runtime starts — it reads the content from
 * the descriptor, and nothing stays on disk. (A pipe would do too, but costs Node a stream per
 * input on every start.) Used by launch.ts, with node:child_process or the native module alike.
 */
import { closeSync, openSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { LaunchInput } from '../plugin-api.js';

/** Each input opened in `dir`; index i is descriptor 3 + i in the runtime, -1 where the spec has none. */
export function openInputs(inputs: readonly LaunchInput[], dir: string): number[] {
  const fds: number[] = [];
  try {
    for (const input of inputs) {
      const [path, fd] = createExclusive(dir);
      try {
        // At position 0, so the descriptor's offset stays at the start for the runtime to read.
        writeSync(fd, input.content, 0, 'utf8');
      } finally {
        unlinkSync(path);
      }
      while (fds.length < input.fd - 3) fds.push(-1);
      fds[input.fd - 3] = fd;
    }
    return fds;
  } catch (error) {
    closeInputs(fds);
    throw error;
  }
}

/**
 * A new owner-only file in `dir` (exclusive create, so never another's). Its name need not be
 * unguessable — the folder is the owner's and the file lives for microseconds — so no node:crypto,
 * which would cost the warm path ~6 ms to load.
 */
function createExclusive(dir: string): [string, number] {
  for (let attempt = 0; ; attempt++) {
    const path = join(dir, `.input-${process.pid}-${process.hrtime.bigint()}-${attempt}`);
    try {
      return [path, openSync(path, 'wx+', 0o600)];
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 100) throw error;
    }
  }
}

export const closeInputs = (fds: readonly number[]) => fds.forEach((fd) => fd >= 0 && closeSync(fd));
