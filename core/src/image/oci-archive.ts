/**
 * An OCI image layout (image-spec v1.1) packed as a tar, the `oci-archive:` transport of
 * skopeo and other OCI tools: `oci-layout`, `index.json` and `blobs/sha256/…` (one gzip layer, the
 * image config, the manifest). Everything is derived from the content: same tree, same digest.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { tarStream, type TarEntry } from './tar.js';

const MEDIA_TYPES = {
  index: 'application/vnd.oci.image.index.v1+json',
  manifest: 'application/vnd.oci.image.manifest.v1+json',
  config: 'application/vnd.oci.image.config.v1+json',
  layer: 'application/vnd.oci.image.layer.v1.tar+gzip',
} as const;

export interface ImageConfig {
  /** KEY=value, in the order given. */
  env: readonly string[];
  cmd: readonly string[];
  workingDir: string;
}

export interface OciArchive {
  path: string;
  /** The manifest's digest, `sha256:…`: what identifies the image. */
  digest: string;
  /** Bytes of the archive file. */
  size: number;
  /** SHA-256 of the archive file itself, hex (what a batch job checks before it starts the image). */
  sha256: string;
}

interface Blob {
  digest: string;
  size: number;
  /** A file to copy, or the bytes themselves. */
  source: string | Buffer;
}

/** The name an image gets inside the archive (org.opencontainers.image.ref.name). */
const REF_NAME = 'anysnake2';
/** Fixed like every other timestamp: the image says nothing about when it was built. */
const CREATED = new Date(1000).toISOString();

export async function writeOciArchive(output: string, layerEntries: Iterable<TarEntry>, config: ImageConfig): Promise<OciArchive> {
  const temp = (what: string) => join(dirname(output), `.${basename(output)}.${process.pid}.${what}.tmp`);
  const layerFile = temp('layer');
  const archiveFile = temp('archive');
  try {
    const layer = await writeLayer(layerFile, layerEntries);
    const configBlob = jsonBlob({
      created: CREATED,
      architecture: ociArchitecture(),
      os: 'linux',
      config: { Env: [...config.env], Cmd: [...config.cmd], WorkingDir: config.workingDir },
      rootfs: { type: 'layers', diff_ids: [layer.diffId] },
      history: [{ created: CREATED, created_by: 'anysnake2 build oci' }],
    });
    const manifest = jsonBlob({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.manifest,
      config: { mediaType: MEDIA_TYPES.config, digest: configBlob.digest, size: configBlob.size },
      layers: [{ mediaType: MEDIA_TYPES.layer, digest: layer.blob.digest, size: layer.blob.size }],
    });
    const index = JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.index,
      manifests: [
        {
          mediaType: MEDIA_TYPES.manifest,
          digest: manifest.digest,
          size: manifest.size,
          annotations: { 'org.opencontainers.image.ref.name': REF_NAME },
        },
      ],
    });
    const blobs = [layer.blob, configBlob, manifest].sort((a, b) => (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0));
    const entries: TarEntry[] = [
      { type: 'directory', path: 'blobs', mode: 0o755 },
      { type: 'directory', path: 'blobs/sha256', mode: 0o755 },
      ...blobs.map((blob): TarEntry => ({ type: 'file', path: `blobs/sha256/${blob.digest.slice('sha256:'.length)}`, mode: 0o644, size: blob.size, source: blob.source })),
      fileEntry('index.json', index),
      fileEntry('oci-layout', JSON.stringify({ imageLayoutVersion: '1.0.0' })),
    ];
    // The file's own hash as it is written: a job checking the image needs it, and reading a large file again costs seconds.
    const fileHash = createHash('sha256');
    await pipeline(
      Readable.from(tarStream(entries)),
      tap((chunk) => fileHash.update(chunk)),
      createWriteStream(archiveFile),
    );
    await rename(archiveFile, output);
    return { path: output, digest: manifest.digest, size: (await stat(output)).size, sha256: fileHash.digest('hex') };
  } finally {
    await rm(layerFile, { force: true });
    await rm(archiveFile, { force: true });
  }
}

/** The gzip layer, written to `file`: its digest (of the gzip) and diff id (of the tar). */
async function writeLayer(file: string, entries: Iterable<TarEntry>): Promise<{ blob: Blob; diffId: string }> {
  const tarHash = createHash('sha256');
  const gzipHash = createHash('sha256');
  let size = 0;
  // zlib's gzip header has no file name and mtime 0; the level is fixed so the bytes are too.
  await pipeline(
    Readable.from(batched(tarStream(entries))),
    tap((chunk) => tarHash.update(chunk)),
    createGzip({ level: 6 }),
    tap((chunk) => {
      gzipHash.update(chunk);
      size += chunk.length;
    }),
    createWriteStream(file),
  );
  return { blob: { digest: `sha256:${gzipHash.digest('hex')}`, size, source: file }, diffId: `sha256:${tarHash.digest('hex')}` };
}

/** Headers and small files as 1 MiB chunks: each write to zlib is a thread-pool round trip. */
function* batched(chunks: Iterable<Buffer>, size = 1 << 20): Generator<Buffer> {
  let pending: Buffer[] = [];
  let length = 0;
  for (const chunk of chunks) {
    pending.push(chunk);
    length += chunk.length;
    if (length >= size) {
      yield Buffer.concat(pending, length);
      pending = [];
      length = 0;
    }
  }
  if (length) yield Buffer.concat(pending, length);
}

function tap(onChunk: (chunk: Buffer) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      onChunk(chunk);
      done(null, chunk);
    },
  });
}

function jsonBlob(value: unknown): Blob {
  const bytes = Buffer.from(JSON.stringify(value));
  return { digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`, size: bytes.length, source: bytes };
}

function fileEntry(path: string, content: string): TarEntry {
  const bytes = Buffer.from(content);
  return { type: 'file', path, mode: 0o644, size: bytes.length, source: bytes };
}

/** The OCI (Go) name of this machine's architecture. */
function ociArchitecture(): string {
  return { x64: 'amd64', ia32: '386' }[process.arch as string] ?? process.arch;
}
