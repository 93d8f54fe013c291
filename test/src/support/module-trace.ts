/**
 * Preload for a CLI run (`NODE_OPTIONS=--import=<this file>`, AS2_MODULE_TRACE=<file>): every
 * module the process loads is appended to the file, one URL or path a line. ES modules are seen
 * by a loader hook (module-trace-hooks.ts); CommonJS ones are read from require.cache at exit.
 */
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const out = process.env.AS2_MODULE_TRACE;
if (out) {
  register(new URL('./module-trace-hooks.js', import.meta.url), { data: { out } });
  const require = createRequire(import.meta.url);
  process.on('exit', () =>
    appendFileSync(
      out,
      Object.keys(require.cache)
        .map((path) => `${path}\n`)
        .join(''),
    ),
  );
}
