/**
 * Where an image goes: checked before the long build (so a bad -o fails at once, without a stack
 * trace), and a full disk during the write reported as such.
 */
import { mkdir, open, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { AnysnakeError, UsageError } from '../errors.js';

export async function assertWritable(output: string): Promise<void> {
  const probe = join(dirname(output), `.${basename(output)}.${process.pid}.probe`);
  try {
    await mkdir(dirname(output), { recursive: true });
    await (await open(probe, 'w')).close();
    await rm(probe, { force: true });
  } catch (error) {
    throw new UsageError(`cannot write ${output}: ${(error as Error).message}`, { hint: 'choose a writable place with -o FILE', cause: error });
  }
}

/** ENOSPC and EDQUOT as a message with a hint; anything else unchanged. */
export function explainWriteFailure(output: string, error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== 'ENOSPC' && code !== 'EDQUOT') return error;
  return new AnysnakeError(`writing ${output} failed: no space left (${code})`, {
    hint: 'the image needs about twice its size while it is written; free space or write elsewhere with -o FILE',
    cause: error,
  });
}
