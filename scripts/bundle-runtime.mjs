// Bundles the runtime code of core and of every plugin into a few ESM files per package, lib/,
// from tsc's dist/ (issue 15): Node resolves, reads and compiles an ESM module at a time, and a
// command that loads ~120 small modules spends more in the module loader than in its own work.
// Entry points are what is loaded from outside a package — bin/run.js's imports (core), oclif's
// command folder and hooks, `main`, `exports` and `anysnake2.warm` (package.json names them under ./lib/) — with
// code splitting, so code shared by entries lives once in lib/chunks/ (one instance of every
// class and registry) and a dynamic import() stays lazy. Packages stay external: @oclif/core is
// the one oclif runs, and a plugin's `@anysnake2/core/plugin-api` is core's bundled entry.
// dist/ stays as tsc wrote it (declarations for plugin authors; unit tests import its modules).
// A file is rewritten only when its bytes change, and chunks no entry uses any more are removed
// after the entries were replaced, so a CLI started during a build sees a whole tree.
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
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? jsFilesUnder(join(dir, e.name)) : e.name.endsWith('.js') ? [join(dir, e.name)] : []));
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
  // A plugin's warm modules (core/src/warm/warm-command.ts) are imported by path from the entry point.
  for (const target of Object.values(pkg.anysnake2?.warm ?? {})) if (typeof target === 'string') entries.add(fromLib(pkgDir, target));
  // core/bin/run.js imports ../lib/<module>.js.
  const bin = join(pkgDir, 'bin', 'run.js');
  if (existsSync(bin)) for (const m of readFileSync(bin, 'utf8').matchAll(/'\.\.\/lib\/([^']+\.js)'/g)) entries.add(join(pkgDir, 'dist', m[1]));
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
  const libDir = join(pkgDir, 'lib');
  const kept = new Set(result.outputFiles.map((f) => f.path));
  let written = 0;
  // Chunks first (content-named: new ones never replace a file in use), then the entries.
  const outputs = [...result.outputFiles].sort((a, b) => Number(!a.path.includes('/chunks/')) - Number(!b.path.includes('/chunks/')));
  for (const file of outputs) if (writeIfChanged(file.path, file.text)) written++;
  let removed = 0;
  for (const file of jsFilesUnder(libDir)) if (!kept.has(file)) rmSync(file, { force: true }), removed++;
  console.error(`${workspace}/lib: ${entryPoints.length} entries, ${result.outputFiles.length - entryPoints.length} chunks (${written} written, ${removed} removed)`);
}
