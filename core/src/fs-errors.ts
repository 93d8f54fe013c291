/**
 * File-system failures (Node's errno errors) as user-facing errors with a sysexits code: a
 * read-only project directory is exit 73 naming the path, a full disk 74, too many open files 75 —
 * never "internal error" (70). Used where anysnake2 writes files and, as a last resort, by the
 * entry point for any errno error that reaches it.
 */
import { dirname } from 'node:path';
import { AnysnakeError, CantCreateError, IoError, TemporaryError } from './errors.js';

const NO_PERMISSION = new Set(['EACCES', 'EPERM', 'EROFS']);
const IO_FAILURE = new Set(['ENOSPC', 'EDQUOT', 'EIO', 'EFBIG']);
const TRANSIENT = new Set(['EMFILE', 'ENFILE', 'EAGAIN', 'EBUSY', 'ETXTBSY']);

const READING = new Set(['scandir', 'stat', 'lstat', 'access', 'readlink', 'realpath', 'read', 'opendir']);

type ErrnoError = NodeJS.ErrnoException & { dest?: string };

function isErrno(error: unknown): error is ErrnoError {
  return error instanceof Error && typeof (error as ErrnoError).code === 'string' && typeof (error as ErrnoError).syscall === 'string';
}

/** The AnysnakeError for an errno error, or undefined when it is not one we can explain. */
export function explainFsError(error: unknown, path?: string): AnysnakeError | undefined {
  if (error instanceof AnysnakeError || !isErrno(error)) return undefined;
  const code = error.code!;
  const where = path ?? error.path ?? error.dest;
  const subject = where ? ` ${where}` : '';
  if (NO_PERMISSION.has(code)) {
    const readOnly = code === 'EROFS' ? 'the file system is read-only' : 'permission denied';
    const verb = READING.has(error.syscall!) ? 'read' : error.syscall === 'open' && !path ? 'open or create' : 'write';
    return new CantCreateError(`cannot ${verb}${subject}: ${readOnly}`, {
      cause: error,
      hint: where
        ? `make ${dirname(where)} writable for you (check it with: ls -ld ${dirname(where)}), or work in a directory you own`
        : 'check the permissions of the project directory, or work in a directory you own',
    });
  }
  if (IO_FAILURE.has(code)) {
    const what = code === 'ENOSPC' ? 'the disk is full' : code === 'EDQUOT' ? 'the disk quota is exceeded' : code === 'EFBIG' ? 'the file is too large' : 'an I/O error occurred';
    return new IoError(`cannot write${subject}: ${what}`, { cause: error, hint: 'free some space (or fix the disk), then run again' });
  }
  if (TRANSIENT.has(code))
    return new TemporaryError(`${error.syscall}${subject} failed for now: ${code}`, { cause: error, hint: 'close other programs (or wait a moment), then run again' });
  return undefined;
}

/** Run `work`; an errno failure becomes the matching AnysnakeError naming `path`. */
export async function explainingFsErrors<T>(path: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw explainFsError(error, path) ?? error;
  }
}
