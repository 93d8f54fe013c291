// Bundles the runtime code of core and of every plugin into a few ESM files per package, lib/,
// from tsc's dist/ (issue 15): Node resolves, reads and compiles an ESM module at a time, and a
// command that loads ~120 small modules spends more in the module loader than in its own work.
// Entry points are what is loaded from outside a package — bin/run.js's imports (core), oclif's
// command folder and hooks, `main` and `exports` (package.json names them under ./lib/) — with
// code splitting, so code shared by entries lives once in lib/chunks/ (one instance of every
// class and registry) and a dynamic import() stays lazy. Packages stay external: @oclif/core is
// the one oclif runs, and a plugin's `@anysnake2/core/plugin-api` is core's bundled entry.
// dist/ stays as tsc wrote it (declarations for plugin authors; unit tests import its modules).
// A file is rewritten only when its bytes change, and chunks no entry uses any more are removed
// after the entries were replaced, so a CLI started during a build sees a whole tree.
// A module bin/run.js require()s (`../lib/<x>.cjs`: the warm path) is bundled apart, into that one
// CommonJS file with everything it imports: Node then loads two files for a warm run and never
// starts its ES-module loader. Its dynamic import() of a module in SHARED stays an import of that
// module's lib/ entry, so an error it throws is the class report-failure.js knows (instanceof).
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';

const repo = new URL('..', import.meta.url).pathname;
const { build } = await import(createRequire(join(repo, 'package.json')).resolve('esbuild'));
const { workspaces } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));

/** ./lib/x.js in package.json → dist/x.js, the module tsc wrote. */
const fromLib = (pkgDir, target) => {
  const rel = relative('lib', target.replace(/^\.\//, ''));
  if (rel.startsWith('..')) throw new Error(`${pkgDir}/package.json: ${target} is not under ./lib/ (scripts/bundle-runtime.mjs)`);
  return join(pkgDir, 'dist', rel);
};

function jsFilesUnder(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? jsFilesUnder(join(dir, e.name)) : /\.c?js$/.test(e.name) ? [join(dir, e.name)] : []));
}

/** dist/<name>.js and all it imports → lib/<name>.cjs; a dynamic import() of a SHARED module stays one (of its lib/ entry). */
async function selfContained(pkgDir, name) {
  const dist = join(pkgDir, 'dist');
  const shared = {
    name: 'shared',
    setup(b) {
      b.onResolve({ filter: /\.js$/ }, (args) => {
        const target = join(args.resolveDir, args.path);
        const rel = relative(dist, target);
        if (!SHARED.includes(rel)) return undefined;
        if (args.kind !== 'dynamic-import') return undefined; // a static import bundles its own copy (code whose errors are caught)
        return { path: relative(dirname(join(pkgDir, 'lib', name)), join(pkgDir, 'lib', rel)).replace(/^(?!\.)/, './'), external: true };
      });
    },
  };
  const result = await build({
    entryPoints: [join(dist, `${name}.js`)],
    outfile: join(pkgDir, 'lib', `${name}.cjs`),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    plugins: [shared],
    // import.meta.url (core-root.ts finds the core's folder from it) is this file's URL in CommonJS too.
    define: { 'import.meta.url': 'import_meta_url' },
    banner: { js: 'const import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
    write: false,
    legalComments: 'inline',
    absWorkingDir: repo,
    logLevel: 'error',
  });
  return result.outputFiles;
}

/** Modules also kept as lib/ entries of the main build, for the self-contained bundles to import lazily. */
const SHARED = ['errors.js', 'fs-atomic.js'];

/** `require('../lib/<x>.cjs')` in bin/run.js → dist/<x>.js, bundled alone as lib/<x>.cjs. */
function selfContainedOf(pkgDir) {
  const bin = join(pkgDir, 'bin', 'run.js');
  if (!existsSync(bin)) return [];
  return [...readFileSync(bin, 'utf8').matchAll(/require\('\.\.\/lib\/([^']+)\.cjs'\)/g)].map((m) => m[1]);
}

function entriesOf(pkgDir) {
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  const entries = new Set();
  if (pkg.main) entries.add(fromLib(pkgDir, pkg.main));
  for (const value of Object.values(pkg.exports ?? {})) {
    const target = typeof value === 'string' ? value : value.default;
    if (target?.endsWith('.js')) entries.add(fromLib(pkgDir, target));
  }
  for (const target of Object.values(pkg.oclif?.hooks ?? {})) for (const t of [target].flat()) entries.add(fromLib(pkgDir, typeof t === 'string' ? t : t.target));
  if (pkg.oclif?.commands) for (const file of jsFilesUnder(fromLib(pkgDir, pkg.oclif.commands))) entries.add(file);
  // core/bin/run.js imports ../lib/<module>.js.
  const bin = join(pkgDir, 'bin', 'run.js');
  if (existsSync(bin)) for (const m of readFileSync(bin, 'utf8').matchAll(/'\.\.\/lib\/([^']+\.js)'/g)) entries.add(join(pkgDir, 'dist', m[1]));
  if (selfContainedOf(pkgDir).length > 0) for (const shared of SHARED) entries.add(join(pkgDir, 'dist', shared));
  return [...entries].sort();
}

function writeIfChanged(path, text) {
  let before;
  try {
    before = readFileSync(path, 'utf8');
  } catch {}
  if (before === text) return false;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(`${path}.${process.pid}.tmp`, text);
  renameSync(`${path}.${process.pid}.tmp`, path);
  return true;
}

for (const workspace of workspaces) {
  const pkgDir = join(repo, workspace);
  const entryPoints = entriesOf(pkgDir);
  if (entryPoints.length === 0) continue;
  const result = await build({
    entryPoints,
    outbase: join(pkgDir, 'dist'),
    outdir: join(pkgDir, 'lib'),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    chunkNames: 'chunks/[name]-[hash]',
    write: false,
    legalComments: 'inline',
    // Path comments (`// core/dist/x.js` before each module's code) name files from the repository root, wherever this runs.
    absWorkingDir: repo,
    logLevel: 'error',
  });
  const outputFiles = [...result.outputFiles];
  for (const name of selfContainedOf(pkgDir)) outputFiles.push(...(await selfContained(pkgDir, name)));
  const libDir = join(pkgDir, 'lib');
  const kept = new Set(outputFiles.map((f) => f.path));
  let written = 0;
  // Chunks first (content-named: new ones never replace a file in use), then the entries.
  const outputs = [...outputFiles].sort((a, b) => Number(!a.path.includes('/chunks/')) - Number(!b.path.includes('/chunks/')));
  for (const file of outputs) if (writeIfChanged(file.path, file.text)) written++;
  let removed = 0;
  for (const file of jsFilesUnder(libDir)) if (!kept.has(file)) rmSync(file, { force: true }), removed++;
  console.error(
    `${workspace}/lib: ${entryPoints.length} entries, ${result.outputFiles.length - entryPoints.length} chunks, ${outputFiles.length - result.outputFiles.length} self-contained (${written} written, ${removed} removed)`,
  );
}
