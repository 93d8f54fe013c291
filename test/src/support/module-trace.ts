/**
 * Preload for a CLI run (`NODE_OPTIONS=--import=<this file>`, AS2_MODULE_TRACE=<file>): every
 * module the process loads is appended to the file, one URL or path a line. ES modules are seen
 * by a loader hook (module-trace-hooks.ts); CommonJS ones are read from require.cache at exit, and
 * Node's built-in modules from process.moduleLoadList, as `builtin:<id>` lines.
 */
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const out = process.env.AS2_MODULE_TRACE;
if (out) {
  register(new URL('./module-trace-hooks.js', import.meta.url), { data: { out } });
  const require = createRequire(import.meta.url);
  // Built-in modules too, as `builtin:<id>` lines (process.moduleLoadList names them `NativeModule <id>`).
  const builtins = () =>
    (process as unknown as { moduleLoadList: string[] }).moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => `builtin:${m.slice('NativeModule '.length)}`);
  process.on('exit', () => appendFileSync(out, [...Object.keys(require.cache), ...builtins()].map((path) => `${path}\n`).join('')));
}
