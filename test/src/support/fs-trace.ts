/**
 * Preload for a CLI run (`NODE_OPTIONS=--import=<this file>`, AS2_FS_TRACE=<file>): every path the
 * program itself opens, reads or lists through node:fs (sync, callback and promise forms) is
 * appended to the file at exit, one `<call> <path>` a line (opening for writing is not reading).
 * Modules are not counted here (support/module-trace.ts counts them).
 */
import { appendFileSync } from 'node:fs';
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';

const out = process.env.AS2_FS_TRACE;
if (out) {
  const seen: string[] = [];
  const wrap = (target: Record<string, unknown>, label: string, names: string[]) => {
    for (const name of names) {
      const original = target[name] as (...args: unknown[]) => unknown;
      target[name] = function (this: unknown, path: unknown, ...rest: unknown[]) {
        // Node's ESM loader reads modules by URL through the same functions: only string paths are ours.
        const flags = name.startsWith('open') && name !== 'opendir' && name !== 'opendirSync' ? rest[0] : undefined;
        const reading = flags === undefined || flags === 'r' || (typeof flags === 'number' && (flags & 3) === 0);
        if (typeof path === 'string' && reading) seen.push(`${label}${name} ${path}`);
        return original.call(this, path, ...rest);
      };
    }
  };
  const reads = ['open', 'readFile', 'readdir', 'opendir'];
  wrap(fs as unknown as Record<string, unknown>, '', [...reads, ...reads.map((n) => `${n}Sync`), 'createReadStream']);
  wrap(fs.promises as unknown as Record<string, unknown>, 'promises.', reads);
  syncBuiltinESMExports();
  process.on('exit', () => appendFileSync(out, seen.map((line) => `${line}\n`).join('')));
}
