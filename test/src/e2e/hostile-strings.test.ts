/**
 * Hostile strings in every string-valued config key (issue 11, "Done means"). The keys are
 * enumerated from the sections' TypeBox schemas of every installed plugin, so a new key is covered
 * without touching this file. With a fixed fast-check seed, each key gets its share of strings full
 * of quotes, `${`, `''`, `''$`, `'''`, URI literals, backslashes, newlines, CR, NUL, tabs, unicode
 * (surrogates, emoji, right-to-left marks) and very long strings, in value position and — for
 * tables of free names — in key position. Asserted:
 *   - loading, validating and emitting ends in success or a config error (exit 0 or 65), nothing else;
 *   - every emitted flake.nix parses as exactly one expression (one batched nix-instantiate);
 *   - every string the flake carries evaluates back to exactly itself (one batched nix eval);
 *   - through the real CLI for a sample: exit 0 or 65, no stack trace, no file outside the project
 *     changes, and no command embedded in a string ever runs (a marker file never appears), also
 *     after a real container run with hostile environment values.
 * In-process for speed (the CLI's own code path: openProject → renderFlakeFiles); the sections
 * whose emit taps lock or fetch (python, R, rust) are validated only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { Config } from '@oclif/core';
import type { TSchema } from '@sinclair/typebox';
import { applyPlugins, discoverPlugins } from '../../../core/dist/plugin-host.js';
import { openProject } from '../../../core/dist/pipeline/project.js';
import { parseTomlDocument } from '../../../core/dist/config/toml-document.js';
import { renderFlakeFiles } from '../../../core/dist/pipeline/emit.js';
import { createLogger } from '../../../core/dist/log.js';
import { AnysnakeError, ConfigError, ExitCode, type SourceLocation } from '../../../core/dist/errors.js';
import { verifyFlakeParses } from '../../../core/dist/pipeline/verify-flake.js';
import type { NixExpr } from '../../../core/dist/nix/ast.js';
import { nix } from '../../../core/dist/nix/construct.js';
import { printNix } from '../../../core/dist/nix/print.js';
import { expandEnv } from '../../../core/dist/pipeline/expand-env.js';
import { containerProject, REPO, runCli } from '../support/cli.js';
import { nixEnv, nixEvalJson } from '../support/nix.js';

const SEED = 20261201;
const WORK = mkdtempSync(join(tmpdir(), 'as2-hostile-'));
const MARKER = join(WORK, 'MARKER-must-never-exist');

// ---------------------------------------------------------------------------------------------
// The strings

const INJECTIONS = [
  `$(touch ${MARKER})`,
  `\`touch ${MARKER}\``,
  `'; touch ${MARKER}; '`,
  `"; touch ${MARKER}; "`,
  `\ntouch ${MARKER}\n`,
  `\${builtins.toFile "x" (builtins.readFile /etc/passwd)}`,
  `"; x = builtins.toFile "m" "m"; y = "`,
  `''; x = 1; y = ''`,
  `a:'' ) ; evil = ( ''`,
  `$(echo hi)`,
];
const PIECES = [
  '"',
  "'",
  '\\',
  '$',
  '{',
  '}',
  '${',
  '$${',
  "''",
  "''$",
  "'''",
  "''\\",
  'a:b',
  "a:''",
  'http://x/?a=1&b',
  '\n',
  '\r',
  '\r\n',
  '\t',
  '\0',
  ' ',
  '#',
  ';',
  '/*',
  '*/',
  '(',
  ')',
  '[',
  ']',
  '=',
  '.',
  ',',
  '`',
  '|',
  '&',
  '>',
  '<',
  '*',
  '?',
  '~',
  '!',
  '%',
  '-',
  '--help',
  '/',
  '../',
  '/etc/passwd',
  'é',
  '漢',
  '🐍',
  '\u202e',
  '\u200f',
  '\u2028',
  '\ufeff',
  '\ud800',
  '\udfff',
  '\u0085',
  '\u007f',
];
const hostile = fc.oneof(
  { arbitrary: fc.constantFrom(...INJECTIONS), weight: 1 },
  { arbitrary: fc.array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 3 })), { minLength: 1, maxLength: 12 }).map((p) => p.join('')), weight: 6 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 12 }), weight: 2 },
  // Long, but under ~100k characters: longer TOML strings overflow toml-eslint-parser's stack (a loader issue, see the report).
  { arbitrary: fc.tuple(fc.constantFrom(...PIECES), fc.integer({ min: 1000, max: 20000 })).map(([p, n]) => p.repeat(Math.min(n, Math.floor(40000 / p.length)))), weight: 1 },
);
const STRINGS = fc.sample(hostile, { numRuns: 1200, seed: SEED });

/** TOML basic-string rendering: JSON escapes plus DEL; lone surrogates stay as \uD8xx (TOML rejects them: a 65). */
function tomlString(s: string): string {
  return JSON.stringify(s).replace(/\u007f/g, '\\u007f');
}

// ---------------------------------------------------------------------------------------------
// The keys, from the schemas

type Segment = string | { record: true } | { index: true };
interface KeyPath {
  section: string;
  path: Segment[];
}

function stringLeaves(schema: TSchema, path: Segment[], out: Segment[][], depth = 0): void {
  if (depth > 8) return;
  const s = schema as Record<string, unknown>;
  if (Array.isArray(s.anyOf)) for (const alt of s.anyOf as TSchema[]) stringLeaves(alt, path, out, depth + 1);
  if (s.type === 'string') out.push(path);
  if (s.type === 'array' && s.items) stringLeaves(s.items as TSchema, [...path, { index: true }], out, depth + 1);
  if (s.type === 'object') {
    for (const [key, value] of Object.entries((s.properties ?? {}) as Record<string, TSchema>)) stringLeaves(value, [...path, key], out, depth + 1);
    for (const value of Object.values((s.patternProperties ?? {}) as Record<string, TSchema>)) stringLeaves(value, [...path, { record: true }], out, depth + 1);
    if (typeof s.additionalProperties === 'object') stringLeaves(s.additionalProperties as TSchema, [...path, { record: true }], out, depth + 1);
  }
}

const label = (k: KeyPath) => [k.section, ...k.path.map((p) => (typeof p === 'string' ? p : 'record' in p ? '<name>' : '[0]'))].join('.');

/**
 * A config value with `value` at `path`, its siblings taken from the bundled full example (so a
 * `flakes.<name>.dir` comes with a valid url); `name` fills the free names of records.
 */
function build(path: Segment[], value: string, name: string, example: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [Segment, ...Segment[]];
  const table = typeof example === 'object' && example !== null && !Array.isArray(example) ? (example as Record<string, unknown>) : {};
  if (typeof head === 'string') return { ...table, [head]: build(rest, value, name, table[head]) };
  if ('record' in head) return { [name]: build(rest, value, name, Object.values(table)[0]) };
  return [build(rest, value, name, Array.isArray(example) ? example[0] : undefined)];
}

function merge(a: unknown, b: unknown): unknown {
  if (typeof a === 'object' && a && !Array.isArray(a) && typeof b === 'object' && b && !Array.isArray(b)) {
    const out: Record<string, unknown> = { ...(a as Record<string, unknown>) };
    for (const [k, v] of Object.entries(b)) out[k] = k in out ? merge(out[k], v) : v;
    return out;
  }
  return b;
}

function inline(value: unknown): string {
  if (typeof value === 'string') return tomlString(value);
  if (Array.isArray(value)) return `[${value.map(inline).join(', ')}]`;
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  return `{ ${Object.entries(value as Record<string, unknown>)
    .map(([k, v]) => `${tomlString(k)} = ${inline(v)}`)
    .join(', ')} }`;
}

function toToml(config: Record<string, Record<string, unknown>>): string {
  return Object.entries(config)
    .map(
      ([section, table]) =>
        `[${tomlString(section)}]\n${Object.entries(table)
          .map(([k, v]) => `${tomlString(k)} = ${inline(v)}`)
          .join('\n')}\n`,
    )
    .join('\n');
}

const BASE = {
  nixpkgs: { url: 'github:NixOS/nixpkgs/master/24.05', packages: ['hello'] },
  'flake-util': { url: 'github:numtide/flake-utils/main/11707dc2f618dd54ca8739b309ec4fc024de578b' },
};
/** Sections whose emit taps lock, fetch or read pinned sources: validated only, not emitted in-process. */
const VALIDATE_ONLY = new Set(['python', 'R', 'rust', 'jupyter', 'uv2nix', 'pyproject_build_systems', 'uv2nix_override_collection', 'ancient_poetry']);

// ---------------------------------------------------------------------------------------------

test('hostile strings in every string-valued key: exit 0 or 65, flakes parse, strings round-trip', async () => {
  const oclif = await Config.load(join(REPO, 'core'));
  const log = quietLog();
  const host = await applyPlugins(await discoverPlugins(oclif), { log, version: oclif.version });
  const keys: KeyPath[] = [];
  for (const [section, def] of [...host.sections.sections].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const leaves: Segment[][] = [];
    stringLeaves(def.schema, [], leaves);
    for (const path of leaves) keys.push({ section, path });
  }
  const labels = keys.map(label);
  const example = parseTomlDocument(readFileSync(join(REPO, 'core', 'examples', 'full.toml'), 'utf8'), 'full.toml').value as Record<string, unknown>;
  // The enumeration must see the keys we know about (so a broken walk cannot pass vacuously).
  for (const known of ['nixpkgs.url', 'nixpkgs.packages.[0]', 'nixpkgs.overlay', 'container.env.<name>', 'cmd.<name>.run', 'flakes.<name>.url', 'python.packages.<name>'])
    assert.ok(
      labels.some((l) => l === known || l.startsWith(known)),
      `key ${known} not enumerated; found ${labels.join(', ')}`,
    );

  // Each string goes to one key (round robin), in value position; every 4th also names a record.
  const outcomes = { ok: 0, config: 0 };
  const flakes: { text: string; expr: NixExpr; key: string; value: string; locate: (p: readonly (string | number)[]) => SourceLocation | undefined }[] = [];
  const carried = new Set<string>();
  let landed = 0;
  const perKey = new Map<string, number>();
  const dirs = Array.from({ length: 8 }, () => mkdtempSync(join(WORK, 'p-')));
  for (let i = 0; i < STRINGS.length * 2; i++) {
    const value = STRINGS[i % STRINGS.length]!;
    const key = keys[i % keys.length]!;
    const name = key.path.some((p) => typeof p === 'object' && 'record' in p) && i % 4 === 0 ? value : 'k';
    const config = { ...BASE, [key.section]: build(key.path, value, name, example[key.section]) } as Record<string, Record<string, unknown>>;
    const cwd = dirs[i % dirs.length]!;
    writeFileSync(join(cwd, 'anysnake2.toml'), toToml(config));
    perKey.set(label(key), (perKey.get(label(key)) ?? 0) + 1);
    try {
      const project = await openProject(oclif, { cwd, log: quietLog() });
      if (VALIDATE_ONLY.has(key.section)) {
        outcomes.ok++;
        continue;
      }
      const { files, builder } = await renderFlakeFiles(project);
      outcomes.ok++;
      const expr = builder.expression();
      flakes.push({ text: files.get('flake.nix')!, expr, key: label(key), value, locate: project.config.locate });
      const { strings, names } = literalStrings(expr);
      for (const s of strings) carried.add(s);
      if (value && [...strings, ...names].some((s) => s.includes(value))) landed++;
    } catch (error) {
      const code = error instanceof AnysnakeError ? error.exitCode : undefined;
      if (code !== ExitCode.dataErr) assert.fail(`${label(key)} = ${JSON.stringify(value).slice(0, 200)}: exit ${code ?? 70}: ${error instanceof Error ? error.stack : error}`);
      outcomes.config++;
    }
  }
  assert.ok(STRINGS.length >= 1000);
  for (const [k, n] of perKey) assert.ok(n >= 20, `${k} got only ${n} strings`);
  assert.ok(outcomes.ok > 200, `too few accepted configs (${outcomes.ok}) to test emission`);
  assert.ok(landed > 50, `too few hostile strings reached a flake (${landed})`);

  // Every flake parses as exactly one expression (all in one file, one nix process; bisected on
  // failure). Those that do not (raw Nix naming an undefined variable, which only Nix resolves)
  // must be refused by the check `build flake` runs before writing, as a config error.
  const bad = unparsable(flakes.map((f) => f.text));
  for (const i of bad) {
    const f = flakes[i]!;
    const refused = await verifyFlakeParses(f.text, f.expr, { cwd: WORK, locate: f.locate }).then(
      () => undefined,
      (error: unknown) => error,
    );
    assert.ok(refused instanceof ConfigError, `${f.key} = ${JSON.stringify(f.value).slice(0, 200)}: an unparsable flake was not refused as a config error: ${refused}`);
  }
  assert.ok(bad.length < flakes.length / 10, `${bad.length} of ${flakes.length} flakes do not parse`);

  // Every string the flakes carry evaluates back to itself (printed alone, the printer's only context-free form).
  const values = [...carried];
  assert.deepEqual(nixEvalJson(printNix(nix.list(values.map(nix.str)))), values);
  console.log(
    `hostile strings: ${STRINGS.length * 2} cases over ${keys.length} keys; ${outcomes.ok} accepted, ${outcomes.config} config errors; ${flakes.length - bad.length} flakes parsed, ${bad.length} refused by the parse check; ${values.length} strings round-tripped; ${landed} reached a flake`,
  );
  assert.equal(existsSync(MARKER), false, 'a command from a string ran');
});

const quietLog = () => createLogger({ verbose: false, quiet: true, stream: new Writable({ write: (_c, _e, cb) => cb() }) });

/** Indices of the texts that do not parse as Nix: one nix-instantiate for all, bisecting on failure. */
function unparsable(texts: string[], indices = texts.map((_, i) => i)): number[] {
  if (indices.length === 0) return [];
  const file = join(WORK, 'flakes.nix');
  writeFileSync(file, `[\n${indices.map((i) => `(\n${texts[i]}\n)`).join('\n')}\n]`);
  if (spawnSync('nix-instantiate', ['--parse', file], { env: nixEnv(), stdio: 'ignore' }).status === 0) return [];
  if (indices.length === 1) return indices;
  const half = Math.ceil(indices.length / 2);
  return [...unparsable(texts, indices.slice(0, half)), ...unparsable(texts, indices.slice(half))];
}

/** Strings written as literals anywhere in the expression (no interpolation parts), and attribute names. */
function literalStrings(expr: NixExpr): { strings: string[]; names: string[] } {
  const strings: string[] = [];
  const names: string[] = [];
  const walk = (node: unknown) => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node instanceof Map) [...node.values()].forEach(walk);
    else if (typeof node === 'object' && node !== null) {
      const n = node as { kind?: string; parts?: unknown[]; path?: unknown[] };
      if (n.kind === 'str' && n.parts!.every((p) => typeof p === 'string')) strings.push((n.parts as string[]).join(''));
      if ((n.kind === 'select' || n.kind === 'bind') && Array.isArray(n.path)) for (const p of n.path) if (typeof p === 'string') names.push(p);
      Object.values(node).forEach(walk);
    }
  };
  walk(expr);
  return { strings, names };
}

/** Every file under `dir` with its size and mtime (to see that nothing outside the project changed). */
function snapshot(dir: string, skip: (path: string) => boolean): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      if (skip(path)) continue;
      const st = statSync(path, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) walk(path);
      else out.set(path, `${st.size}:${st.mtimeMs}`);
    }
  };
  walk(dir);
  return out;
}

test('through the real CLI: check exits 0 or 65 without a stack trace and changes nothing outside the project', () => {
  const home = mkdtempSync(join(WORK, 'home-'));
  const outside = mkdtempSync(join(WORK, 'outside-'));
  writeFileSync(join(outside, 'keep.txt'), 'untouched');
  const strings = fc.sample(hostile, { numRuns: 6, seed: SEED + 1 }).concat(INJECTIONS.slice(0, 6));
  const projects: string[] = [];
  const before = snapshot(WORK, (p) => p.includes(`${join(WORK, 'cli-')}`));
  strings.forEach((value, i) => {
    const section = [
      { cmd: { k: { run: 'true', pre_run_outside: 'true' } }, container: { env: { X: value } } },
      { nixpkgs: { overlay: value } },
      { nixpkgs: { packages: ['hello', value] } },
      { container: { home: value } },
      { container: { volumes_ro: { [value]: '/data' } } },
      { flakes: { k: { url: value } } },
    ][i % 6]!;
    const cwd = mkdtempSync(join(WORK, 'cli-'));
    projects.push(cwd);
    writeFileSync(join(cwd, 'anysnake2.toml'), toToml(merge(BASE, section) as Record<string, Record<string, unknown>>));
    const r = runCli(['check'], { cwd, env: { HOME: home } });
    assert.ok(r.code === 0 || r.code === 65, `exit ${r.code} for ${JSON.stringify(value).slice(0, 120)}:\n${r.stderr}`);
    assert.doesNotMatch(r.stderr, /\n\s+at .*\.js:\d+/, 'no stack trace');
  });
  const after = snapshot(WORK, (p) => p.includes(`${join(WORK, 'cli-')}`));
  // The one thing written outside: V8's code cache of the tool's own bundles on Node.js lines
  // without theirs (core/src/code-cache.ts), whatever the config says.
  const codeCache = join(home, '.cache', 'anysnake2', 'code-cache');
  assert.deepEqual(
    [...after].filter(([p, v]) => before.get(p) !== v && !(p.startsWith(`${codeCache}/`) && p.endsWith('.v8'))),
    [],
    'files outside the projects changed',
  );
  assert.equal(existsSync(MARKER), false, 'a command from a string ran');
});

test('hostile environment values reach a real container exactly (expanded as documented), and run nothing', () => {
  const values = fc
    .sample(hostile, { numRuns: 40, seed: SEED + 2 })
    .concat(INJECTIONS)
    .filter((v) => !v.includes('\0') && !/[\ud800-\udfff]/.test(v) && v.length < 2000);
  const env = Object.fromEntries(values.map((v, i) => [`HOSTILE_${i}`, v]));
  const cwd = containerProject(
    `[container.env]\n${Object.entries(env)
      .map(([k, v]) => `${k} = ${tomlString(v)}`)
      .join('\n')}\n`,
  );
  // bash's own printf (the fixture rootfs has no printenv): NAME=value, NUL-separated.
  const r = runCli(['run', '--', 'for n in ${!HOSTILE_@}; do printf "%s=%s\\0" "$n" "${!n}"; done'], { cwd });
  if (r.code !== 0 && /bwrap|user namespace|no runtime/i.test(r.stderr)) return; // the container tests skip alike
  assert.equal(r.code, 0, r.stderr);
  const seen = new Map(
    r.stdout
      .split('\0')
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const),
  );
  for (const [name, spec] of Object.entries(env)) assert.equal(seen.get(name), expandEnv(spec, process.env).value, name);
  // The run scripts the CLI generated are valid bash.
  const scripts = join(cwd, '.anysnake2_flake', 'run_scripts');
  for (const dir of readdirSync(scripts))
    for (const f of ['run.sh', 'post_run.sh', 'outer_run.sh']) {
      const file = join(scripts, dir, f);
      if (existsSync(file)) assert.equal(runBashN(file), 0, file);
    }
  assert.equal(existsSync(MARKER), false, 'a command from a string ran');
});

function runBashN(file: string): number {
  return spawnSync('bash', ['-n', file]).status ?? -1;
}
