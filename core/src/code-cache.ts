/**
 * V8's code cache for our CommonJS bundles on Node.js lines without `module.enableCompileCache`
 * (before 22.1; bin/run.js turns that one on where it exists). Compiling lib/light/full-path.cjs
 * (~500 kB) costs every full-path start ~15 ms on Node 20; with the cache V8 deserialises the
 * bytecode instead. bin/run.js installs this after a warm miss, before the light commands' bundles.
 *
 * V8 checks a cache only against the source's length, its own version and flags, so a cache must
 * never meet another file of the same length: each is named by the file's path and its stamp
 * (size, mtime, ctime, inode: what the warm path trusts for tool files too), together with the
 * Node.js version. The caches live in the user's own cache folder (created 0700): bytecode that
 * someone else could write would run as ours. A cache is written when a run found none (or V8
 * refused it), after the run, so it holds the functions the run compiled lazily too; an older
 * cache of the same file is then removed. Nothing here may fail a command: any error means no cache.
 */
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import type { Module as NodeModule } from 'node:module';
import { basename, dirname, join } from 'node:path';
import type { Script } from 'node:vm';
import { cacheDir } from './user-cache.js';

/** What bin/run.js passes: its own `module.constructor` (node:module itself would start Node 20's ES-module loader). */
interface ModuleClass {
  _extensions: Record<string, (module: NodeModule, filename: string) => void>;
  _resolveFilename(request: string, parent: NodeModule, isMain: boolean, options?: { paths?: string[] }): string;
  _cache: Record<string, NodeModule>;
  wrap(source: string): string;
}

/** A dynamic import() (or something that looks like one: then the file merely goes without a cache). */
const CAN_IMPORT = /\bimport\s*\(/;

/** Folder of the caches for this Node.js (V8 refuses another version's anyway). */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(cacheDir(env), 'code-cache', `${process.version}-${process.arch}`);
}

/** 64-bit FNV-1a as 16 hex digits: short file names for long keys (a collision would at worst cost a compile). */
function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let i = 0; i < text.length; i++) hash = BigInt.asUintN(64, (hash ^ BigInt(text.charCodeAt(i))) * 0x100000001b3n);
  return hash.toString(16).padStart(16, '0');
}

/** `<name>-<path hash>-<stamp hash>.v8`; the first two parts name every cache of one file. */
export function codeCacheName(filename: string): { prefix: string; name: string } {
  const s = statSync(filename);
  const prefix = `${basename(filename)}-${fnv1a64(filename)}-`;
  return { prefix, name: `${prefix}${fnv1a64(`${s.size}:${s.mtimeMs}:${s.ctimeMs}:${s.ino}`)}.v8` };
}

/**
 * Compiles every `.cjs` file Node loads from now on through vm.Script with its cache (what
 * Node's own loader does, with `cachedData`). Returns false, changing nothing, where it cannot.
 */
export function installCodeCache(Module: ModuleClass, env: NodeJS.ProcessEnv = process.env): boolean {
  const vm = process.getBuiltinModule?.('node:vm');
  // Node loads a .cjs file with the '.js' handler unless '.cjs' has one of its own (this one).
  const plain = Module?._extensions?.['.cjs'] ?? Module?._extensions?.['.js'];
  if (!vm || typeof plain !== 'function') return false;
  const dir = codeCacheDir(env);
  const unwritten: { script: Script; prefix: string; name: string }[] = [];
  Module._extensions['.cjs'] = (module, filename) => {
    let source: string;
    try {
      source = readFileSync(filename, 'utf8');
    } catch {
      return plain(module, filename);
    }
    // import() in a script from a cache fails on Node 20 (the loader V8 would call back is not in
    // the cache), and vm's way around it warns on every start: such a file is compiled as Node does.
    if (CAN_IMPORT.test(source)) return (module as NodeModule & { _compile(source: string, filename: string): void })._compile(source, filename);
    let cache: { prefix: string; name: string };
    try {
      cache = codeCacheName(filename);
    } catch {
      return plain(module, filename);
    }
    let cachedData: Buffer | undefined;
    try {
      cachedData = readFileSync(join(dir, cache.name));
    } catch {
      // none yet
    }
    // A BOM or a #! line would stop being the file's start inside the wrapper.
    const body = source.replace(/^\uFEFF/, '').replace(/^#!.*/, '');
    const script = new vm.Script(Module.wrap(body), { filename, cachedData });
    if (!cachedData || script.cachedDataRejected) unwritten.push({ script, ...cache });
    const compiled = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => void;
    const require = Object.assign((id: string) => module.require(id), {
      resolve: Object.assign((request: string, options?: { paths?: string[] }) => Module._resolveFilename(request, module, false, options), {
        paths: (request: string) => (request.startsWith('.') || request.startsWith('/') ? [dirname(filename)] : module.paths),
      }),
      main: (process as { mainModule?: NodeModule }).mainModule,
      cache: Module._cache,
      extensions: Module._extensions,
    });
    compiled.call(module.exports, module.exports, require, module, filename, dirname(filename));
  };
  process.once('exit', () => writeCaches(dir, unwritten));
  return true;
}

function writeCaches(dir: string, unwritten: readonly { script: Script; prefix: string; name: string }[]): void {
  if (unwritten.length === 0) return;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const existing = readdirSync(dir);
    for (const { script, prefix, name } of unwritten) {
      // A temporary name of our own, renamed over: a reader sees a whole cache or none.
      const temporary = join(dir, `.${name}.${process.pid}`);
      const fd = openSync(temporary, 'wx', 0o600);
      try {
        writeSync(fd, script.createCachedData());
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, join(dir, name));
      for (const old of existing.filter((file) => file.startsWith(prefix) && file !== name))
        try {
          unlinkSync(join(dir, old));
        } catch {
          // removed by another start already
        }
    }
  } catch {
    // a read-only or full home: the next start compiles again
  }
}
