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
// A module bin/run.js require()s (`../lib/<x>.cjs`: the warm path) is bundled apart, into that one
// CommonJS file with everything it imports: Node then loads two files for a warm run and never
// starts its ES-module loader. Its dynamic import() of a module in SHARED stays an import of that
// module's lib/ entry, so an error it throws is the class report-failure.js knows (instanceof).
// What bin/run.js loads after a warm miss (version switch, dispatch, the light commands' pipeline)
// is a CommonJS build of its own, lib/light/ (lightBuild below), and each plugin's hook module
// also gets one CommonJS file, lib/index.cjs (cjsHook): a light command starts no ES-module loader.
// Every file written is ASCII-only (asciiOnly).
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
    ...cjsOptions,
    entryPoints: [join(dist, `${name}.js`)],
    outfile: join(pkgDir, 'lib', `${name}.cjs`),
    plugins: [shared],
  });
  return result.outputFiles;
}

/** Modules also kept as lib/ entries of the main build, for the self-contained bundles to import lazily. */
const SHARED = ['errors.js', 'fs-atomic.js'];

/** `require('../lib/<x>.cjs')` in bin/run.js → dist/<x>.js, bundled alone as lib/<x>.cjs. */
function selfContainedOf(pkgDir) {
  const bin = join(pkgDir, 'bin', 'run.js');
  if (!existsSync(bin)) return [];
  return [...readFileSync(bin, 'utf8').matchAll(/require\('\.\.\/lib\/([^']+)\.cjs'\)/g)].map((m) => m[1]).filter((name) => !name.startsWith(LIGHT_DIR));
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
  for (const entry of binEntriesOf(pkgDir)) entries.add(entry);
  if (selfContainedOf(pkgDir).length > 0) for (const shared of SHARED) entries.add(join(pkgDir, 'dist', shared));
  return [...entries].sort();
}

/**
 * The text with every non-ASCII character written as a \u escape. esbuild escapes them in strings
 * but keeps a few in comments and regular expressions, and one such character makes V8 hold the
 * whole file as a two-byte string: twice the memory to read and scan (~6 ms of a light start for
 * full-path.cjs). An escape means the same character in a string, a regular expression, a template
 * or a name, and nothing in a comment. A character right after a backslash is refused: escaping it
 * would change what the backslash escapes.
 */
function asciiOnly(text, path) {
  return text.replace(/(\\?)([^\x00-\x7f])/g, (_match, backslash, char) => {
    if (backslash) throw new Error(`${path}: a backslash before ${JSON.stringify(char)} (scripts/bundle-runtime.mjs cannot escape it)`);
    return `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
}

function writeIfChanged(path, text) {
  text = asciiOnly(text, path);
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

/** The hook every plugin answers (core/src/plugin-host.ts). */
const PLUGIN_HOOK = 'anysnake2:plugin';

/** The dist/ modules bin/run.js imports from the main build (the lean entries); lib/light/ is the light build's. */
function binEntriesOf(pkgDir) {
  const bin = join(pkgDir, 'bin', 'run.js');
  if (!existsSync(bin)) return [];
  return [...readFileSync(bin, 'utf8').matchAll(/'\.\.\/lib\/([^']+\.js)'/g)].filter((m) => !m[1].startsWith(LIGHT_DIR)).map((m) => join(pkgDir, 'dist', m[1]));
}

// The light build (core only), lib/light/: what bin/run.js loads after the warm path missed, as
// CommonJS (like the warm path's bundle), so a light command never starts Node's ES-module loader
// for the core. That loader reads each file on the thread pool (open, stat, read, close), resolves
// each specifier, and builds a facade of every built-in an `import` names, reading all its exports
// (node:fs's ReadStream getter loads the streams; node:crypto's, webcrypto): `check` spent more in
// it than in its own work. Three files:
//  - start.cjs (src/light/start.ts): version switch, argv, dispatch, failure report; `config` and
//    the oclif route load no more of the core than this;
//  - full-path.cjs (src/light/full-path.ts): the command bodies, the pipeline and the core's plugin
//    hook, required by light-dispatch when a light command starts (its import() of full-path.js
//    becomes that require, as does any relative import() in start.ts's graph); a lazy import()
//    inside full-path.cjs stays lazy (esbuild wraps the module: parsed, run only when imported);
//  - errors.cjs (src/errors.ts): required by both, so each error class exists once and
//    start.cjs's reportFailure knows what full-path.cjs throws.
// The light build has its own instance of every other module: nothing outside it may hand it
// objects whose class it checks. Plugins' hook modules import no core code (a shipped plugin's
// hook is required from its own CommonJS bundle, below); bin/run.js reports the light route's
// failures with start.cjs's reportFailure and the rest with lib/report-failure.js.
const LIGHT_DIR = 'light/';

const cjsOptions = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  // import.meta.url (core-root.ts finds the core's folder from it) is this file's URL in CommonJS too.
  define: { 'import.meta.url': 'import_meta_url' },
  banner: { js: 'const import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
  write: false,
  legalComments: 'inline',
  absWorkingDir: repo,
  logLevel: 'error',
};

async function lightBuild(pkgDir) {
  const dist = join(pkgDir, 'dist');
  if (!existsSync(join(dist, LIGHT_DIR, 'start.js'))) return [];
  const out = join(pkgDir, 'lib', LIGHT_DIR);
  const fullPath = readFileSync(join(dist, LIGHT_DIR, 'full-path.js'), 'utf8');
  const errorsModule = join(dist, 'errors.js');
  // errors.js, imported statically or lazily, is always errors.cjs, and required: an import() of a
  // file from CommonJS would start the ES-module loader after all. In start.cjs every other relative
  // import() (the light dispatcher's of full-path.js, the version switch's rare ones) becomes a
  // require of full-path.cjs, which re-exports what they import; in full-path.cjs they stay lazy.
  const light = (start) => ({
    name: 'light',
    setup(b) {
      b.onResolve({ filter: /\.js$/ }, (args) =>
        args.kind !== 'entry-point' && join(args.resolveDir, args.path) === errorsModule ? { path: './errors.cjs', external: true } : undefined,
      );
      b.onResolve({ filter: /^\.\/full-path\.cjs$/ }, (args) => ({ path: args.path, external: true }));
      b.onLoad({ filter: /\/dist\/.*\.js$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        const contents = text.replace(/\bimport\((['"])(\.\.?\/[^'"]+\.js)\1\)/g, (call, _q, spec) => {
          const target = join(dirname(args.path), spec);
          if (target === errorsModule) return `Promise.resolve().then(() => require(${JSON.stringify(spec)}))`;
          if (!start) return call;
          const fromLight = relative(join(dist, LIGHT_DIR), target).replace(/^(?!\.)/, './');
          if (fromLight !== './full-path.js' && !fullPath.includes(`from "${fromLight}"`) && !fullPath.includes(`from '${fromLight}'`))
            throw new Error(`${relative(repo, args.path)} imports ${spec} lazily: src/light/full-path.ts must re-export it (scripts/bundle-runtime.mjs)`);
          return 'Promise.resolve().then(() => require("./full-path.cjs"))';
        });
        return contents === text ? undefined : { contents, loader: 'js', resolveDir: dirname(args.path) };
      });
    },
  });
  const files = [];
  for (const { entry, name, plugins } of [
    { entry: 'errors.js', name: 'errors.cjs', plugins: [] },
    { entry: `${LIGHT_DIR}start.js`, name: 'start.cjs', plugins: [light(true)] },
    { entry: `${LIGHT_DIR}full-path.js`, name: 'full-path.cjs', plugins: [light(false)] },
  ])
    files.push(...(await build({ ...cjsOptions, entryPoints: [join(dist, entry)], outfile: join(out, name), plugins })).outputFiles);
  return files;
}

/**
 * A plugin's `anysnake2:plugin` hook module and all it imports as one CommonJS file beside it
 * (lib/index.js → lib/index.cjs): light-config.ts requires it, so a light command starts no
 * ES-module loader for the shipped plugins either. Its lazy imports stay lazy (esbuild wraps the
 * module). None when the hook's code imports a package that is ES-module only (the core's exports).
 */
async function cjsHook(pkgDir, hookTarget) {
  return cjsBeside(pkgDir, hookTarget, new Set(), `its ${PLUGIN_HOOK} hook`);
}

/**
 * lib/x.js → lib/x.cjs: the module and all it imports as one CommonJS file, packages external; none
 * (said on stderr) when it would require a package of ours other than those in `requirable`.
 */
async function cjsBeside(pkgDir, target, requirable, what) {
  const cjs = target.replace(/\.js$/, '.cjs');
  const [file] = (await build({ ...cjsOptions, entryPoints: [fromLib(pkgDir, target)], outfile: join(pkgDir, cjs) })).outputFiles;
  const foreign = [...file.text.matchAll(/require\("(@anysnake2\/[^"]+)"\)/g)].map((m) => m[1]).filter((name) => !requirable.has(name));
  if (foreign.length === 0) return [file];
  console.error(`${pkgDir}: ${what} would require ${foreign.join(', ')} (not exported for require), so it gets no CommonJS bundle`);
  return [];
}

/**
 * CommonJS builds beside ES-module entries, for code the warm path requires (core/src/warm/): an
 * export of the core with a `require` condition (`./lib/plugin-warm.cjs`: what a plugin's warm
 * module uses of the core), and each plugin's warm modules (package.json `anysnake2.warm`,
 * lib/x.js → lib/x.cjs), so a warm plugin command starts no ES-module loader (~20 ms). A warm
 * module may require of the core only what it exports for `require`; one that needs more gets
 * no CommonJS build and is imported as before. Error classes exist once per bundle: errors.ts
 * gives each a kind by which `instanceof` knows the other copies' errors.
 */
const CORE_REQUIRABLE = new Set(
  Object.entries(JSON.parse(readFileSync(join(repo, 'core', 'package.json'), 'utf8')).exports ?? {})
    .filter(([, value]) => typeof value === 'object' && typeof value.require === 'string')
    .map(([subpath]) => `@anysnake2/core/${subpath.replace(/^\.\//, '')}`),
);

async function cjsBuilds(pkgDir) {
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  const targets = [
    ...Object.values(pkg.exports ?? {}).flatMap((value) => (typeof value === 'object' && typeof value.require === 'string' ? [value.require.replace(/\.cjs$/, '.js')] : [])),
    ...Object.values(pkg.anysnake2?.warm ?? {}).filter((target) => typeof target === 'string'),
  ];
  const files = [];
  for (const target of targets) files.push(...(await cjsBeside(pkgDir, target, CORE_REQUIRABLE, target)));
  return files;
}

// Each import() target is an entry of its own to esbuild, so every lazy import splits the shared
// code into more chunks: `check` loaded ~50 chunk files, and Node pays per file (resolve, open,
// read, link) more than for the bytes. Where a lazy import saves nothing on the full path, it
// becomes a static import here (a hoisted namespace, the same value), so that code bundles into
// fewer chunks:
//  - in core, inside the pipeline (a full-path command needs most of it), but not in a module
//    bin/run.js's imports of lib/ reach statically (the failure report; the warm path, version
//    switch and dispatch are bundled apart), nor when the target is a part a full-path command
//    rarely needs (DYNAMIC_TARGETS);
//  - in a plugin, in its `anysnake2:plugin` hook module only: every full-path command applies
//    every plugin, and apply() imported the plugin's modules anyway (its commands stay as written).
const DYNAMIC_TARGETS = /\/dist\/(image|doctor|warm|self-version)\//;

// Esbuild puts modules into one chunk only when the same entries reach them. Core's oclif commands
// and hooks each reach a different part of the pipeline, which cut it into ~40 chunks the full
// path loaded one by one. Each of them (and core's plugin hook) now imports the command bodies,
// and so the whole pipeline: it bundles into a few chunks. An oclif command loads more bytes and
// fewer files; `config`, help, the warm path and the version switch load none of it.
const HUB = 'light/command-bodies.js';
const HUB_IMPORTERS = /^(commands\/|hooks\/|core-plugin\.js$)/;

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

/** esbuild plugin: import('./x.js') → a static import, in the modules `rewrite(path)` accepts. */
function staticLazyImports(rewrite, hub) {
  return {
    name: 'static-lazy-imports',
    setup(b) {
      b.onLoad({ filter: /\/dist\/.*\.js$/ }, (args) => {
        if (!rewrite(args.path)) return undefined;
        const text = readFileSync(args.path, 'utf8');
        const toHub = hub?.(args.path) ? relative(dirname(args.path), hub.module) : undefined;
        const hoisted = toHub ? [`import ${JSON.stringify(toHub.startsWith('.') ? toHub : `./${toHub}`)};`] : [];
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
  let rewrite;
  let hub;
  if (leanEntries.length > 0) {
    const { metafile } = await build({ ...options, metafile: true });
    const lean = leanModules(metafile, leanEntries);
    const dist = join(pkgDir, 'dist') + '/';
    rewrite = (path) => path.startsWith(dist) && !lean.has(relative(repo, path));
    hub = Object.assign((path) => HUB_IMPORTERS.test(path.slice(dist.length)), { module: join(dist, HUB) });
  } else {
    const hooks = new Set(
      [JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).oclif?.hooks?.[PLUGIN_HOOK]]
        .flat()
        .filter((t) => typeof t === 'string')
        .map((t) => fromLib(pkgDir, t)),
    );
    rewrite = (path) => hooks.has(path);
  }
  const plugins = [staticLazyImports(rewrite, hub)];
  const result = await build({ ...options, plugins });
  const outputFiles = [...result.outputFiles];
  for (const name of selfContainedOf(pkgDir)) outputFiles.push(...(await selfContained(pkgDir, name)));
  outputFiles.push(...(await lightBuild(pkgDir)));
  const hook = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).oclif?.hooks?.[PLUGIN_HOOK];
  if (leanEntries.length === 0 && typeof hook === 'string') outputFiles.push(...(await cjsHook(pkgDir, hook)));
  outputFiles.push(...(await cjsBuilds(pkgDir)));
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
