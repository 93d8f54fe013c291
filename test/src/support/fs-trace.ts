/**
 * Preload for a CLI run (`NODE_OPTIONS=--import=<this file>`, AS2_FS_TRACE=<file>): every path the
 * program itself opens, reads or lists through node:fs (sync, callback and promise forms) is
 * appended to the file at exit, one `<call> <path>` a line (opening for writing is not reading);
 * so are the paths it stats (`stat:<call> <path>`) and the programs it starts through
 * node:child_process (`spawn:<call> <file>`) or the core's native module (`spawn:native <file>`). Modules are not counted here (support/module-trace.ts
 * counts them).
 */
import { appendFileSync } from 'node:fs';
import fs from 'node:fs';
import childProcess from 'node:child_process';
import { syncBuiltinESMExports } from 'node:module';
import { onNativeSpawn } from './native-spawns.js';

const out = process.env.AS2_FS_TRACE;
if (out) {
  const seen: string[] = [];
  // Only the outermost call counts (readFileSync opens the file through openSync).
  let depth = 0;
  const wrap = (target: Record<string, unknown>, label: string, names: string[], record: (name: string, first: unknown, rest: unknown[]) => string | undefined) => {
    for (const name of names) {
      const original = target[name] as (...args: unknown[]) => unknown;
      target[name] = function (this: unknown, first: unknown, ...rest: unknown[]) {
        const line = depth === 0 ? record(name, first, rest) : undefined;
        if (line !== undefined) seen.push(`${label}${name} ${line}`);
        depth++;
        try {
          return original.call(this, first, ...rest);
        } finally {
          depth--;
        }
      };
    }
  };
  // Node's ESM loader reads modules by URL through the same functions: only string paths are ours.
  const reading = (name: string, path: unknown, rest: unknown[]) => {
    const flags = name.startsWith('open') && name !== 'opendir' && name !== 'opendirSync' ? rest[0] : undefined;
    const read = flags === undefined || flags === 'r' || (typeof flags === 'number' && (flags & 3) === 0);
    return typeof path === 'string' && read ? path : undefined;
  };
  const anyPath = (_name: string, path: unknown) => (typeof path === 'string' ? path : undefined);
  const reads = ['open', 'readFile', 'readdir', 'opendir'];
  const stats = ['stat', 'lstat', 'access'];
  wrap(fs as unknown as Record<string, unknown>, '', [...reads, ...reads.map((n) => `${n}Sync`), 'createReadStream'], reading);
  wrap(fs.promises as unknown as Record<string, unknown>, 'promises.', reads, reading);
  wrap(fs as unknown as Record<string, unknown>, 'stat:', [...stats, ...stats.map((n) => `${n}Sync`), 'existsSync'], anyPath);
  wrap(fs.promises as unknown as Record<string, unknown>, 'stat:promises.', stats, anyPath);
  wrap(childProcess as unknown as Record<string, unknown>, 'spawn:', ['spawn', 'spawnSync', 'execFile', 'execFileSync', 'exec', 'execSync', 'fork'], anyPath);
  syncBuiltinESMExports();
  onNativeSpawn((file) => seen.push(`spawn:native ${file}`));
  process.on('exit', () => appendFileSync(out, seen.map((line) => `${line}\n`).join('')));
}
