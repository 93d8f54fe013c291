/**
 * Reading the config file's bytes without ever blocking or crashing on what is not a regular file:
 * it is opened with O_NONBLOCK (a FIFO opens at once instead of waiting for a writer) and its type
 * checked on the open descriptor before one byte is read. A directory, FIFO, socket or device, a
 * symlink loop or a file without read permission is a ConfigUnreadableError (exit 66) saying what
 * to do; an I/O failure is exit 74. A missing file is `undefined` (the caller explains that).
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readFileSync, readlinkSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { ConfigUnreadableError, IoError } from '../errors.js';

const FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;

function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isSocket()) return 'a socket';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

function notRegular(path: string, stats: Stats): ConfigUnreadableError {
  return new ConfigUnreadableError(`the config ${path} is ${kindOf(stats)}, not a file`, {
    hint: stats.isDirectory()
      ? `run anysnake2 inside that directory, or name the file itself with -c ${path}/anysnake2.toml`
      : 'point -c at a regular TOML file (or replace it by one)',
  });
}

function danglingTarget(path: string): string | undefined {
  try {
    return lstatSync(path).isSymbolicLink() ? readlinkSync(path) : undefined;
  } catch {
    return undefined;
  }
}

/** Open failure → the error to show, or undefined for "does not exist" (and not a dangling symlink). */
function openFailure(path: string, error: unknown): Error | undefined {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT': {
      const target = danglingTarget(path);
      if (target === undefined) return undefined;
      return new ConfigUnreadableError(`the config ${path} is a symbolic link to ${target}, which does not exist`, {
        hint: `create ${target}, or point the link at an existing file (ln -sfn <file> ${path})`,
      });
    }
    case 'ELOOP':
      return new ConfigUnreadableError(`the config ${path} is a symbolic link loop`, {
        hint: `see where it points with 'ls -l ${path}', then replace the link by the real file`,
      });
    case 'EACCES':
    case 'EPERM':
      return new ConfigUnreadableError(`the config ${path} cannot be read: permission denied`, {
        hint: `give yourself read access (ls -l ${path}; chmod u+r, or ask its owner), or run as a user who may read it`,
      });
    case 'ENOTDIR':
      return new ConfigUnreadableError(`the config ${path} cannot exist: a part of its path is a file, not a directory`, {
        hint: 'check the path given to -c/--config',
      });
    case 'ENAMETOOLONG':
      return new ConfigUnreadableError(`the config path is too long: ${path.slice(0, 80)}…`, { hint: 'check the path given to -c/--config' });
    case 'EIO':
      return new IoError(`the config ${path} cannot be read: I/O error`, { cause: error, hint: 'check the disk (dmesg), then run again' });
    default:
      return error as Error;
  }
}

function readFailure(path: string, error: unknown): Error {
  if ((error as NodeJS.ErrnoException).code === 'EISDIR')
    return new ConfigUnreadableError(`the config ${path} is a directory, not a file`, { hint: 'name the file itself with -c' });
  return new IoError(`the config ${path} cannot be read: ${(error as Error).message}`, { cause: error, hint: 'check the disk, then run again' });
}

/** The config file's bytes; undefined when it does not exist. */
export async function readConfigBytes(path: string): Promise<Buffer | undefined> {
  let handle;
  try {
    handle = await open(path, FLAGS);
  } catch (error) {
    const failure = openFailure(path, error);
    if (failure) throw failure;
    return undefined;
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw notRegular(path, stats);
    return await handle.readFile().catch((error: unknown) => {
      throw readFailure(path, error);
    });
  } finally {
    await handle.close();
  }
}

/** The same, synchronous (the start-up paths before oclif). */
export function readConfigBytesSync(path: string): Buffer | undefined {
  let fd: number;
  try {
    fd = openSync(path, FLAGS);
  } catch (error) {
    const failure = openFailure(path, error);
    if (failure) throw failure;
    return undefined;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw notRegular(path, stats);
    try {
      return readFileSync(fd);
    } catch (error) {
      throw readFailure(path, error);
    }
  } finally {
    closeSync(fd);
  }
}
