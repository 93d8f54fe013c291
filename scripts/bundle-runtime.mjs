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

/** The dist/ modules bin/run.js imports (the lean entries: warm path, version switch, dispatch). */
function binEntriesOf(pkgDir) {
  const bin = join(pkgDir, 'bin', 'run.js');
  return existsSync(bin) ? [...readFileSync(bin, 'utf8').matchAll(/'\.\.\/lib\/([^']+\.js)'/g)].map((m) => join(pkgDir, 'dist', m[1])) : [];
}

// Each import() target is an entry of its own to esbuild, so every lazy import splits the shared
// code into more chunks: `check` loaded ~50 chunk files, and Node pays per file (resolve, open,
// read, link) more than for the bytes. Inside the pipeline a lazy import saves little (a full-path
// command needs most of it), so there import('./x.js') becomes a static import (hoisted
// namespace, same value) and the pipeline bundles into a few chunks. A lazy import stays lazy
//  - in every module bin/run.js's imports reach statically (warm path, version switch, dispatch:
//    what they load decides the warm and light starts; light-dispatch imports the command bodies lazily),
//  - when it loads a part a full-path command rarely needs (DYNAMIC_TARGETS), and in plugins.
const DYNAMIC_TARGETS = /\/dist\/(image|doctor|warm|self-version)\//;

function leanModules(metafile, leanEntries) {
  const seen = new Set();
  const visit = (path) => {
    if (seen.has(path) || !metafile.inputs[path]) return;
    seen.add(path);
    for (const i of metafile.inputs[path].imports) if (i.kind === 'import-statement' && !i.external) visit(i.path);
  };
  for (const entry of leanEntries) visit(relative(repo, entry));
  return seen;
}

function staticLazyImports(pkgDir, lean) {
  return {
    name: 'static-lazy-imports',
    setup(b) {
      b.onLoad({ filter: /\/dist\/.*\.js$/ }, (args) => {
        const rel = relative(repo, args.path);
        if (!args.path.startsWith(join(pkgDir, 'dist') + '/') || lean.has(rel)) return undefined;
        const text = readFileSync(args.path, 'utf8');
        const hoisted = [];
        const contents = text.replace(/\bimport\((['"])(\.\.?\/[^'"]+\.js)\1\)/g, (call, _q, spec) => {
          if (DYNAMIC_TARGETS.test(join(dirname(args.path), spec))) return call;
          hoisted.push(`import * as __lazy${hoisted.length} from ${JSON.stringify(spec)};`);
          return `Promise.resolve(__lazy${hoisted.length - 1})`;
        });
        return hoisted.length ? { contents: `${hoisted.join('\n')}\n${contents}`, loader: 'js', resolveDir: dirname(args.path) } : undefined;
      });
    },
  };
}

for (const workspace of workspaces) {
  const pkgDir = join(repo, workspace);
  const entryPoints = entriesOf(pkgDir);
  if (entryPoints.length === 0) continue;
  const leanEntries = binEntriesOf(pkgDir);
  const options = {
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
  };
  let plugins = [];
  if (leanEntries.length > 0) {
    const { metafile } = await build({ ...options, metafile: true });
    plugins = [staticLazyImports(pkgDir, leanModules(metafile, leanEntries))];
  }
  const result = await build({ ...options, plugins });
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
