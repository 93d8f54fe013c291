/**
 * What the frequent commands load and spawn on a built, unchanged project (issue 15): no Nix
 * process, no git when the flake is unchanged, no @oclif/core, TypeBox as one bundled file, and a
 * bounded number of modules. Counts, not timings: a new eager import or a stray nix or git call
 * fails here on any machine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BIN, containerProject, REPO, runCli, testEnv } from '../support/cli.js';

const TRACE = pathToFileURL(join(REPO, 'test', 'dist', 'support', 'module-trace.js')).href;
const FS_TRACE = pathToFileURL(join(REPO, 'test', 'dist', 'support', 'fs-trace.js')).href;

interface Traced {
  code: number | null;
  stderr: string;
  modules: string[];
  /** Node's built-in modules the process loaded (`crypto`, `internal/fs/promises`, …; module trace only). */
  builtins: string[];
}

/** The CLI with every loaded module recorded (support/module-trace.ts); killed as a group after 120 s. */
function traced(args: string[], cwd: string, env: NodeJS.ProcessEnv, traceFile: string, what: 'modules' | 'files' = 'modules'): Promise<Traced> {
  rmSync(traceFile, { force: true });
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd,
      env: testEnv({
        ...env,
        ...(what === 'modules' ? { NODE_OPTIONS: `--import=${TRACE}`, AS2_MODULE_TRACE: traceFile } : { NODE_OPTIONS: `--import=${FS_TRACE}`, AS2_FS_TRACE: traceFile }),
      }),
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      // The hook sees URLs, require.cache paths: one spelling, so a module counts once.
      const lines = existsSync(traceFile) ? readFileSync(traceFile, 'utf8').split('\n').filter(Boolean) : [];
      // A files trace keeps every call: a file read twice shows twice.
      const isBuiltin = (line: string) => what === 'modules' && line.startsWith('builtin:');
      const builtins = lines.filter(isBuiltin).map((line) => line.slice('builtin:'.length));
      const rest = lines.filter((line) => !isBuiltin(line));
      const modules = what === 'files' ? rest : [...new Set(rest.map((line) => (line.startsWith('file:') ? fileURLToPath(line) : line)))];
      resolve({ code, stderr, modules, builtins });
    });
  });
}

/** A PATH whose `nix` fails and records that it was called. */
function recordingNix(): { env: NodeJS.ProcessEnv; calls: string } {
  const dir = mkdtempSync(join(tmpdir(), 'as2-fakenix-'));
  const calls = join(dir, 'calls');
  writeFileSync(join(dir, 'nix'), `#!/bin/sh\necho "$*" >> '${calls}'\nexit 1\n`);
  chmodSync(join(dir, 'nix'), 0o755);
  return { env: { PATH: `${dir}:${process.env.PATH}` }, calls };
}

/** A files trace (support/fs-trace.ts) split into the files read (sorted, repeats kept), the paths statted and the programs started. */
function calls(lines: string[]): { reads: string[]; stats: string[]; spawns: string[] } {
  const split = (line: string) => [line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)] as const;
  const of = (kind: (call: string) => boolean) =>
    lines
      .map(split)
      .filter(([call]) => kind(call))
      .map(([, path]) => path);
  return {
    // Module files are the module trace's (Node's CommonJS loader reads them through fs).
    reads: of((call) => !call.startsWith('stat:') && !call.startsWith('spawn:'))
      .filter((path) => !/\.[cm]?js$/.test(path))
      .sort(),
    stats: of((call) => call.startsWith('stat:')),
    spawns: of((call) => call.startsWith('spawn:')),
  };
}

/**
 * Node.js lines without their own compile cache get ours for the light commands (core/src/code-cache.ts):
 * each bundle's cache is read from the user's cache folder.
 */
const [nodeMajor = 0, nodeMinor = 0] = process.versions.node.split('.').map(Number);
const OUR_CODE_CACHE = !(nodeMajor > 22 || (nodeMajor === 22 && nodeMinor >= 1)) && process.env.NODE_DISABLE_COMPILE_CACHE !== '1';
const isCodeCache = (path: string) => path.includes('/anysnake2/code-cache/');

/** The code caches read split off, checked to be those of bundles the run loaded (`.cjs`), each read once. */
function withoutCodeCaches(trace: { reads: string[] }, modules: string[], what: string): string[] {
  const caches = trace.reads.filter(isCodeCache);
  if (!OUR_CODE_CACHE) assert.deepEqual(caches, [], `${what}: this Node.js has its own compile cache, yet ours was read`);
  const bundles = modules.filter((m) => m.endsWith('.cjs')).map((m) => basename(m));
  for (const cache of caches)
    assert.ok(bundles.includes(basename(cache).replace(/-[0-9a-f]{16}-[0-9a-f]{16}\.v8$/, '')), `${what} read ${cache}, the cache of no bundle it loaded`);
  assert.equal(new Set(caches).size, caches.length, `${what} read a code cache twice:\n${caches.join('\n')}`);
  return trace.reads.filter((path) => !isCodeCache(path));
}

const ours = (modules: string[]) => modules.filter((m) => !m.includes('/test/dist/support/module-trace'));

/**
 * The source modules inside the loaded files: a bundled file (lib/, scripts/bundle-runtime.mjs)
 * names each module it holds in a `// core/dist/x.js` comment; any other file is its own source.
 */
function sourcesOf(modules: string[]): string[] {
  return modules.flatMap((file) => {
    const text = /\.c?js$/.test(file) && existsSync(file) ? readFileSync(file, 'utf8') : '';
    const held = [...text.matchAll(/^\/\/ ((?:core|plugins)\/\S+\.js)$/gm)].map((m) => m[1]!);
    return held.length > 0 ? held : [file];
  });
}

function assertLight(result: Traced, what: string, maxModules: number): void {
  assert.equal(result.code, 0, `${what}: ${result.stderr}`);
  const modules = ours(result.modules);
  assert.ok(modules.length > 0, `${what}: the trace recorded nothing`);
  assert.deepEqual(
    modules.filter((m) => m.includes('@oclif/core')),
    [],
    `${what} loaded oclif`,
  );
  assert.deepEqual(
    modules.filter((m) => m.includes('@sinclair/typebox')),
    [],
    `${what} loaded TypeBox's own files instead of the bundle`,
  );
  // The bound leaves room for a few new files; a new eager dependency or a plugin body loaded
  // where only its sections are needed goes past it.
  assert.ok(modules.length <= maxModules, `${what} loaded ${modules.length} modules (at most ${maxModules}):\n${modules.join('\n')}`);
}

/**
 * A light command runs CommonJS bundles only (core/lib/light/*.cjs, each shipped plugin's
 * lib/index.cjs: scripts/bundle-runtime.mjs): Node's ES-module loader never loads a file of ours.
 */
function assertNoEsModuleOfOurs(result: Traced, what: string): void {
  assert.deepEqual(
    ours(result.modules).filter((m) => !m.startsWith('node:') && !m.endsWith('.cjs') && !m.endsWith('/bin/run.js')),
    [],
    `${what} loaded ES modules of ours`,
  );
}

/** Built-ins that take milliseconds to load and that a command which needs none of them must not load (core/src/lazy-builtins.ts). */
function assertNoBuiltins(result: Traced, what: string, unwanted: readonly string[]): void {
  assert.ok(result.builtins.includes('fs'), `${what}: the trace saw no built-in modules`);
  assert.deepEqual(
    unwanted.filter((name) => result.builtins.includes(name)),
    [],
    `${what} loaded built-ins it does not use`,
  );
}

test('check, build flake and run on an unchanged project: no nix, no oclif, few modules; the warm run fewer still', { timeout: 600_000 }, async () => {
  const cwd = containerProject();
  const trace = join(mkdtempSync(join(tmpdir(), 'as2-trace-')), 'modules');
  const first = await traced(['run', '--', 'true'], cwd, {}, trace);
  assert.equal(first.code, 0, first.stderr);
  const nix = recordingNix();
  const env = { ...nix.env, ANYSNAKE2_DEBUG_WARM_PATH: '1' };

  const check = await traced(['check'], cwd, env, trace);
  // 14 files each for check, build flake and the full run: bin/run.js, the warm lookup, the light
  // commands' three CommonJS bundles and each plugin's hook bundle (scripts/bundle-runtime.mjs).
  assertLight(check, 'check', 20);
  assertNoEsModuleOfOurs(check, 'check');
  // check hashes nothing, starts no process and asks nothing of the terminal.
  assertNoBuiltins(check, 'check', ['crypto', 'child_process', 'tty']);
  // Bundled (lib/): a plugin is a few files, and one whose section is absent loads no more than that.
  const pythonFiles = ours(check.modules).filter((m) => m.includes('/plugins/python/'));
  assert.ok(pythonFiles.length > 0 && pythonFiles.length <= 4, `check loaded ${pythonFiles.length} files of the Python plugin:\n${pythonFiles.join('\n')}`);
  assert.match(check.stderr, /is valid/);

  const flake = await traced(['build', 'flake'], cwd, env, trace);
  assertLight(flake, 'build flake', 20);
  assertNoEsModuleOfOurs(flake, 'build flake');
  assertNoBuiltins(flake, 'build flake', ['child_process', 'tty']);
  assert.match(flake.stderr, /flake\.nix is up to date/);

  const full = await traced(['run', '--', 'true'], cwd, env, trace);
  assert.match(full.stderr, /warm path missed/);
  assertLight(full, 'run (full path)', 20);
  assertNoEsModuleOfOurs(full, 'run (full path)');

  const warm = await traced(['run', '--', 'true'], cwd, env, trace);
  assert.match(warm.stderr, /warm path hit/);
  // bin/run.js and the warm path's one CommonJS bundle (lib/warm/warm-run.cjs): no ES-module loader,
  // and no code cache (core/src/code-cache.ts serves the light commands only).
  assertLight(warm, 'run (warm path)', 2);
  assert.deepEqual(
    ours(warm.modules).filter((m) => !m.endsWith('.cjs') && !m.endsWith('/bin/run.js')),
    [],
    'the warm path loads no ES module of ours',
  );
  assert.deepEqual(
    sourcesOf(ours(warm.modules)).filter((m) => /plugin-host|(^|\/)plugins\/|vendor\//.test(m)),
    [],
    'the warm path loads no plugin and no schema code',
  );
  assert.ok(
    sourcesOf(ours(warm.modules)).some((m) => m.endsWith('core/dist/warm/warm-run.js')),
    'the trace sees the sources inside bundled files',
  );

  // What the warm path reads: its entry, the config, the build state and the flake files it
  // hashes, each once — no package.json or manifest of a plugin (their stamps are stat calls), no
  // plugin code; it stats the tool's files (the core by its lib/ folders, not per module) and
  // starts one process: bwrap itself (the environment comes through a pipe, no bash before it).
  const warmFiles = await traced(['run', '--', 'true'], cwd, env, trace, 'files');
  assert.equal(warmFiles.code, 0, warmFiles.stderr);
  assert.match(warmFiles.stderr, /warm path hit/);
  const warmTrace = calls(warmFiles.modules);
  const flakeDir = join(cwd, '.anysnake2_flake');
  const flakeFiles = ['.gitignore', 'flake.lock', 'flake.nix', 'functions.nix'].map((f) => join(flakeDir, f));
  assert.deepEqual(
    withoutCodeCaches(warmTrace, warm.modules, 'the warm path'),
    [join(cwd, 'anysnake2.toml'), join(flakeDir, 'run_scripts', 'run', 'warm.json'), join(flakeDir, '.build_state.json'), ...flakeFiles].sort(),
    'the warm path reads exactly these files, each once',
  );
  assert.deepEqual(
    warmTrace.stats.filter((path) => /\/core\/lib\/.*\.js$/.test(path) && !path.endsWith('/core-plugin.js')),
    [],
    "the core's modules are stamped by their folders",
  );
  assert.ok(warmTrace.stats.length <= 100, `the warm path stats ${warmTrace.stats.length} paths (at most 100):\n${warmTrace.stats.join('\n')}`);
  assert.deepEqual(
    warmTrace.spawns.map((file) => basename(file)),
    ['bwrap'],
    'the warm path starts bwrap and nothing else',
  );
  // With the core's native module (scripts/build-native.mjs), through it: no node:child_process, no fork of Node.
  if (existsSync(join(REPO, 'core', 'lib', 'native', 'process.node')))
    assert.ok(
      warmFiles.modules.some((line) => line.startsWith('spawn:native ')),
      `the warm path starts bwrap through the native module:\n${warmFiles.modules.filter((l) => l.startsWith('spawn')).join('\n')}`,
    );

  // build flake with nothing changed: no process at all, and a bounded list of files read.
  const flakeRun = await traced(['build', 'flake'], cwd, env, trace, 'files');
  assert.equal(flakeRun.code, 0, flakeRun.stderr);
  const flakeTrace = calls(flakeRun.modules);
  assert.deepEqual(flakeTrace.spawns, [], 'build flake (unchanged) starts no process');
  for (const file of [join(cwd, 'anysnake2.toml'), ...flakeFiles])
    assert.ok(flakeTrace.reads.includes(file), `build flake reads ${file}; it read:\n${flakeTrace.reads.join('\n')}`);
  assert.deepEqual(
    flakeTrace.reads.filter((file) => /\/(core|plugins\/[^/]+)\/(lib|dist)(\/|$)/.test(file)),
    [],
    'build flake lists no code folder (the warm stamps are made by run only)',
  );
  // The config, the flake files and their git state, the plugins' package.json files (light
  // config), cosmiconfig's search places. Some are read more than once today (bound, not list).
  const flakeReads = withoutCodeCaches(flakeTrace, flake.modules, 'build flake');
  assert.ok(flakeReads.length <= 40, `build flake read ${flakeReads.length} files (at most 40):\n${flakeReads.join('\n')}`);

  assert.equal(existsSync(nix.calls), false, `nix was called: ${existsSync(nix.calls) ? readFileSync(nix.calls, 'utf8') : ''}`);

  // The same commands through oclif (ANYSNAKE2_NO_LIGHT_PATH) give the same answers.
  const viaOclif = await traced(['check'], cwd, { ...env, ANYSNAKE2_NO_LIGHT_PATH: '1' }, trace);
  assert.equal(viaOclif.code, 0, viaOclif.stderr);
  assert.equal(viaOclif.stderr, check.stderr);
  assert.ok(
    viaOclif.modules.some((m) => m.includes('@oclif/core')),
    'the trace sees oclif when it is loaded',
  );
});

/** A PATH whose `git` records its arguments, then runs the real git. */
function recordingGit(): { env: NodeJS.ProcessEnv; calls: string } {
  const real = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  const dir = mkdtempSync(join(tmpdir(), 'as2-recgit-'));
  const calls = join(dir, 'calls');
  writeFileSync(join(dir, 'git'), `#!/bin/sh\necho "$*" >> '${calls}'\nexec '${real}' "$@"\n`);
  chmodSync(join(dir, 'git'), 0o755);
  return { env: { PATH: `${dir}:${process.env.PATH}` }, calls };
}

test('build flake with nothing changed spawns no git; a change to the flake repository brings git back', { timeout: 300_000 }, () => {
  const cwd = containerProject();
  assert.equal(runCli(['build', 'flake'], { cwd }).code, 0);
  const git = recordingGit();
  const unchanged = runCli(['build', 'flake'], { cwd, env: git.env });
  assert.equal(unchanged.code, 0, unchanged.stderr);
  assert.match(unchanged.stderr, /up to date/);
  assert.equal(existsSync(git.calls), false, `git was called: ${existsSync(git.calls) ? readFileSync(git.calls, 'utf8') : ''}`);
  // Someone untracks a file in the flake's repository: the index changed, so git is asked again.
  const flakeDir = join(cwd, '.anysnake2_flake');
  execFileSync('git', ['rm', '-q', '--cached', 'functions.nix'], { cwd: flakeDir });
  const repaired = runCli(['build', 'flake'], { cwd, env: git.env });
  assert.equal(repaired.code, 0, repaired.stderr);
  assert.match(readFileSync(git.calls, 'utf8'), /add --force/);
  assert.match(execFileSync('git', ['ls-files'], { cwd: flakeDir, encoding: 'utf8' }), /^functions\.nix$/m);
  assert.equal(execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: flakeDir, encoding: 'utf8' }), '', 'the flake repository is clean again');
});
