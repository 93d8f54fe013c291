/**
 * Which image archives are still what their inputs would give: `build oci` (and every command that
 * builds on its archive) writes gigabytes, and equal inputs give equal bytes — so an
 * archive whose inputs (the rootfs store path, the image config and its extra files, the format)
 * and whose file (size, mtime, ctime, inode) are unchanged since it was written is used as it is.
 * Recorded per output path in `.anysnake2_flake/images.json`, owner-only (the config may hold
 * [container.env] values: only their hash is kept here).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sha256Hex } from '../digest.js';
import { writeFileAtomic } from '../fs-atomic.js';
import { fileStamp } from '../warm/warm-entry.js';
import type { OciArchive } from './oci-archive.js';

const RECORD_FILE = 'images.json';
/** Bump when the archive's bytes for the same inputs change (tar, gzip, layout). */
const ARCHIVE_FORMAT = 1;

interface ImageRecord extends OciArchive {
  inputs: string;
  stamp: string;
}

type Records = Record<string, ImageRecord>;

/** The hash of everything that decides an archive's bytes. */
export function imageInputs(parts: { storePath: string; config: unknown; files: unknown }): string {
  return sha256Hex(Buffer.from(JSON.stringify({ format: ARCHIVE_FORMAT, arch: process.arch, ...parts })));
}

async function readRecords(flakeDir: string): Promise<Records> {
  try {
    const records = JSON.parse(await readFile(join(flakeDir, RECORD_FILE), 'utf8')) as unknown;
    return records && typeof records === 'object' && !Array.isArray(records) ? (records as Records) : {};
  } catch {
    return {};
  }
}

/** The archive at `output`, when it was written from these inputs and has not changed since. */
export async function unchangedImage(flakeDir: string, output: string, inputs: string): Promise<OciArchive | undefined> {
  const record = (await readRecords(flakeDir))[output];
  if (!record || record.inputs !== inputs || record.path !== output || fileStamp(output) !== record.stamp) return undefined;
  if (typeof record.digest !== 'string' || typeof record.size !== 'number' || typeof record.sha256 !== 'string') return undefined;
  return { path: record.path, digest: record.digest, size: record.size, sha256: record.sha256 };
}

/** Remembers a freshly written archive (a failure to record only costs a rewrite next time). */
export async function recordImage(flakeDir: string, archive: OciArchive, inputs: string): Promise<void> {
  const records = await readRecords(flakeDir);
  records[archive.path] = { ...archive, inputs, stamp: fileStamp(archive.path) };
  await writeFileAtomic(join(flakeDir, RECORD_FILE), `${JSON.stringify(records, null, 2)}\n`, 0o600).catch(() => undefined);
}
