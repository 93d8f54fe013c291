/**
 * A deterministic tar writer (POSIX ustar, with pax records for what ustar cannot hold): the
 * bytes depend only on the entries given — fixed mtime, uid/gid 0, no user or group names —
 * so the same tree always gives the same digest.
 */
import { closeSync, openSync, readSync } from 'node:fs';

export type TarEntry =
  | { type: 'directory'; path: string; mode: number }
  | { type: 'symlink'; path: string; target: string }
  | { type: 'file'; path: string; mode: number; size: number; source: string | Buffer };

const BLOCK = 512;
/** The Nix store's own timestamp (1 s after the epoch): nothing in an image says when it was built. */
const FIXED_MTIME = 1;
const USTAR_SIZE_LIMIT = 0o77777777777;
const READ_SIZE = 1 << 20;

/** The tar stream of `entries`, in the order given, followed by the end-of-archive marker. */
export function* tarStream(entries: Iterable<TarEntry>): Generator<Buffer> {
  for (const entry of entries) {
    const size = entry.type === 'file' ? entry.size : 0;
    const linkTarget = entry.type === 'symlink' ? entry.target : '';
    const name = entry.type === 'directory' ? `${entry.path}/` : entry.path;
    const pax = paxRecords(name, linkTarget, size);
    if (pax) {
      yield header({ name: 'PaxHeader', mode: 0o644, size: pax.length, type: 'x', linkTarget: '' });
      yield* padded(pax);
    }
    const mode = entry.type === 'symlink' ? 0o777 : entry.mode;
    const type = { directory: '5', symlink: '2', file: '0' }[entry.type];
    yield header({ name, mode, size, type, linkTarget });
    if (entry.type === 'file') {
      let written = 0;
      for (const chunk of Buffer.isBuffer(entry.source) ? [entry.source] : readChunks(entry.source, size)) {
        written += chunk.length;
        yield chunk;
      }
      // A file that changed while we read it would silently corrupt every later entry.
      if (written !== size) throw new Error(`${entry.path} changed size while it was archived (${size} → ${written} bytes)`);
      if (size % BLOCK) yield Buffer.alloc(BLOCK - (size % BLOCK));
    }
  }
  yield Buffer.alloc(2 * BLOCK);
}

/**
 * A file in reads of up to 1 MiB. Synchronous on purpose: store files are mostly small and in the
 * page cache, and a thread-pool round trip per open/read/close made the archive I/O-latency bound.
 */
function* readChunks(path: string, expected: number): Generator<Buffer> {
  const fd = openSync(path, 'r');
  try {
    // One byte more than expected, so a file that grew is noticed.
    for (let left = expected + 1; ; ) {
      const length = Math.min(Math.max(left, 1), READ_SIZE);
      const buffer = Buffer.allocUnsafe(length);
      const bytesRead = readSync(fd, buffer, 0, length, null);
      if (bytesRead === 0) return;
      left -= bytesRead;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    closeSync(fd);
  }
}

function* padded(data: Buffer): Generator<Buffer> {
  yield data;
  if (data.length % BLOCK) yield Buffer.alloc(BLOCK - (data.length % BLOCK));
}

/** Pax records for a name or link target that ustar cannot store, or a size beyond 8 GiB. */
function paxRecords(name: string, linkTarget: string, size: number): Buffer | undefined {
  const records: string[] = [];
  if (!splitUstarName(name)) records.push(paxRecord('path', name));
  if (Buffer.byteLength(linkTarget) > 100 || !isAscii(linkTarget)) records.push(paxRecord('linkpath', linkTarget));
  if (size > USTAR_SIZE_LIMIT) records.push(paxRecord('size', String(size)));
  return records.length ? Buffer.from(records.join('')) : undefined;
}

/** "<length> key=value\n", where the length counts itself. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body);
  while (String(length).length + Buffer.byteLength(body) !== length) length = String(length).length + Buffer.byteLength(body);
  return `${length}${body}`;
}

const isAscii = (text: string) => /^[\x20-\x7e]*$/.test(text);

/** ustar's name (100 bytes) and prefix (155 bytes), split at a slash; undefined when it does not fit. */
function splitUstarName(name: string): { prefix: string; name: string } | undefined {
  if (!isAscii(name)) return undefined;
  if (name.length <= 100) return { prefix: '', name };
  for (let cut = name.indexOf('/'); cut !== -1; cut = name.indexOf('/', cut + 1)) {
    if (cut <= 155 && name.length - cut - 1 <= 100 && name.length - cut - 1 > 0) return { prefix: name.slice(0, cut), name: name.slice(cut + 1) };
  }
  return undefined;
}

function header(fields: { name: string; mode: number; size: number; type: string; linkTarget: string }): Buffer {
  const block = Buffer.alloc(BLOCK);
  // Names that need pax get a truncated ustar stand-in; readers use the pax record.
  const split = splitUstarName(fields.name) ?? { prefix: '', name: asciiStandIn(fields.name) };
  block.write(split.name, 0, 100, 'ascii');
  octal(block, 100, 8, fields.mode & 0o7777);
  octal(block, 108, 8, 0);
  octal(block, 116, 8, 0);
  octal(block, 124, 12, fields.size > USTAR_SIZE_LIMIT ? 0 : fields.size);
  octal(block, 136, 12, FIXED_MTIME);
  block.write(fields.type, 156, 1, 'ascii');
  const link = Buffer.byteLength(fields.linkTarget) <= 100 && isAscii(fields.linkTarget) ? fields.linkTarget : asciiStandIn(fields.linkTarget);
  block.write(link, 157, 100, 'ascii');
  block.write('ustar\x0000', 257, 8, 'ascii');
  octal(block, 329, 8, 0);
  octal(block, 337, 8, 0);
  block.write(split.prefix, 345, 155, 'ascii');
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  octal(block, 148, 7, sum);
  return block;
}

const asciiStandIn = (text: string) => text.replace(/[^\x20-\x7e]/g, '_').slice(-100);

/** A zero-padded octal number terminated by NUL, filling `width` bytes. */
function octal(block: Buffer, offset: number, width: number, value: number): void {
  block.write(`${value.toString(8).padStart(width - 1, '0')}\0`, offset, width, 'ascii');
}
