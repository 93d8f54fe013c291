/**
 * Fuzzing `check` with mutated example configs (core/examples/*.toml, examples/offline-demo):
 * byte flips, truncation, type swaps, deep nesting, duplicated and dropped lines. Whatever the
 * bytes, the answer is exit 0 or a sysexits code with a message — never 1 or 70, never a stack
 * trace. Fixed seed, so every CI run tries the same cases; fast-check shrinks a failure to the
 * smallest mutation that still fails.
 *
 * Most cases run in-process through exactly what `anysnake2 check` runs (openProject with the
 * installed plugins, then assertRunnableOnHost), because a CLI start costs 0.1–2 s on a loaded
 * machine; a sample also goes through the real CLI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Config } from '@oclif/core';
import { openProject } from '../../../core/dist/pipeline/project.js';
import { assertRunnableOnHost } from '../../../core/dist/pipeline/host-checks.js';
import { createLogger } from '../../../core/dist/log.js';
import { renderError } from '../../../core/dist/errors.js';
import { explainFsError } from '../../../core/dist/fs-errors.js';
import { BIN, REPO, testEnv } from '../support/cli.js';

// CI always runs the same cases; to explore, set ANYSNAKE2_FUZZ_SEED / ANYSNAKE2_FUZZ_RUNS.
const SEED = Number(process.env.ANYSNAKE2_FUZZ_SEED ?? 20261201);
const IN_PROCESS_CASES = Number(process.env.ANYSNAKE2_FUZZ_RUNS ?? 520);
const CLI_CASES = 10;
/**
 * Nesting depths tried. 1000 and deeper ([{ a = [{ a = …) overflow the stack inside
 * toml-eslint-parser's getStaticTOMLValue today (exit 70); bounding that is the TOML parsing
 * work's, and once it is in, 1000 and 100000 belong in this list.
 */
const DEPTHS = [2, 10, 50, 200, 500];

const SOURCES = ['core/examples/minimal.toml', 'core/examples/basic.toml', 'core/examples/full.toml', 'examples/offline-demo/anysnake2.toml'].map((path) => ({
  path,
  bytes: readFileSync(join(REPO, path)),
}));

const STACK_TRACE = /\n\s+at (?:async )?\S.*:\d+:\d+\)?(\n|$)/;
const NOT_ALLOWED = new Set([1, 70]);

/** Values of every TOML type (and some that are not valid TOML at all), for type swaps. */
const VALUES = [
  '42',
  '-0',
  '3.14',
  'inf',
  'nan',
  '1e999',
  'true',
  'false',
  '""',
  '"text"',
  "'literal'",
  '"""\nmulti\n"""',
  '[]',
  '[1, "a", true]',
  '[[[]]]',
  '{}',
  '{ a = 1 }',
  '{ url = "github:x/y" }',
  '1979-05-27T07:32:00Z',
  '1979-05-27',
  '07:32:00',
  '"\\u0000"',
  '"${HOME}"',
  '"../../../etc"',
  '"a\\nb"',
  '"\\uD800"',
  '0x1F',
  '9999999999999999999999',
  '',
  '=',
  '[',
  '{',
];

type Mutation =
  | { kind: 'flip'; source: number; edits: [number, number][] }
  | { kind: 'truncate'; source: number; at: number }
  | { kind: 'swap'; source: number; line: number; value: number }
  | { kind: 'nest'; source: number; line: number; depth: number; shape: number }
  | { kind: 'lines'; source: number; line: number; other: number; duplicate: boolean };

const source = fc.nat({ max: SOURCES.length - 1 });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), source, edits: fc.array(fc.tuple(fc.nat({ max: 1 << 20 }), fc.nat({ max: 255 })), { minLength: 1, maxLength: 6 }) }),
  fc.record({ kind: fc.constant('truncate' as const), source, at: fc.nat({ max: 1 << 20 }) }),
  fc.record({ kind: fc.constant('swap' as const), source, line: fc.nat({ max: 1 << 20 }), value: fc.nat({ max: VALUES.length - 1 }) }),
  fc.record({
    kind: fc.constant('nest' as const),
    source,
    line: fc.nat({ max: 1 << 20 }),
    depth: fc.constantFrom(...DEPTHS),
    shape: fc.nat({ max: 3 }),
  }),
  fc.record({ kind: fc.constant('lines' as const), source, line: fc.nat({ max: 1 << 20 }), other: fc.nat({ max: 1 << 20 }), duplicate: fc.boolean() }),
);

function mutate(m: Mutation): Buffer {
  const original = SOURCES[m.source]!.bytes;
  switch (m.kind) {
    case 'flip': {
      const out = Buffer.from(original);
      for (const [at, byte] of m.edits) out[at % out.length] = byte;
      return out;
    }
    case 'truncate':
      return original.subarray(0, m.at % (original.length + 1));
    default:
      break;
  }
  const lines = original.toString('utf8').split('\n');
  const assignments = lines.map((l, i) => (/^\s*[^#[\s][^=]*=/.test(l) ? i : -1)).filter((i) => i >= 0);
  if (m.kind === 'swap') {
    const i = assignments[m.line % assignments.length]!;
    lines[i] = `${lines[i]!.slice(0, lines[i]!.indexOf('=') + 1)} ${VALUES[m.value]}`;
  } else if (m.kind === 'nest') {
    const d = m.depth;
    const nested = [`${'['.repeat(d)}${']'.repeat(d)}`, `${'{ a = '.repeat(d)}1${' }'.repeat(d)}`, `${'[{ a = '.repeat(d)}1${' }]'.repeat(d)}`, `"${'\\\\'.repeat(d)}"`][m.shape]!;
    if (m.shape === 3 || assignments.length === 0) lines.push(`[${Array.from({ length: d }, () => 'a').join('.')}]`);
    else {
      const i = assignments[m.line % assignments.length]!;
      lines[i] = `${lines[i]!.slice(0, lines[i]!.indexOf('=') + 1)} ${nested}`;
    }
  } else {
    const i = m.line % lines.length;
    if (m.duplicate) lines.splice(m.other % lines.length, 0, lines[i]!);
    else lines.splice(i, 1);
  }
  return Buffer.from(lines.join('\n'));
}

/** Exactly what `anysnake2 check` does after oclif parsed its flags, with the plugins discovered once. */
async function inProcessChecker() {
  const oclif = await Config.load(join(REPO, 'core'));
  const discovered = await oclif.runHook('anysnake2:plugin' as never, {} as never);
  const cached = { version: oclif.version, dataDir: oclif.dataDir, getPluginsList: () => oclif.getPluginsList(), runHook: async () => discovered } as unknown as Config;
  const dir = mkdtempSync(join(tmpdir(), 'as2-fuzz-'));
  return async (bytes: Buffer): Promise<{ code: number; text: string }> => {
    writeFileSync(join(dir, 'anysnake2.toml'), bytes);
    try {
      const project = await openProject(cached, { cwd: dir, log: createLogger({ verbose: false, quiet: true }) });
      await assertRunnableOnHost(project);
      return { code: 0, text: '' };
    } catch (error) {
      // The entry point's rendering (core/src/report-failure.ts), without --verbose.
      const { text, exitCode } = renderError(explainFsError(error) ?? error, false);
      return { code: exitCode, text };
    }
  };
}

const describe = (m: Mutation, bytes: Buffer) =>
  `${JSON.stringify(m)} on ${SOURCES[m.source]!.path}\n--- config (${bytes.length} bytes) ---\n${bytes.toString('utf8').slice(0, 600)}`;

test(`fuzz: ${IN_PROCESS_CASES} mutated example configs through check in-process: never exit 1 or 70, never a stack trace`, async () => {
  const check = await inProcessChecker();
  const codes = new Map<number, number>();
  const started = Date.now();
  await fc.assert(
    fc.asyncProperty(mutation, async (m) => {
      const bytes = mutate(m);
      const { code, text } = await check(bytes);
      codes.set(code, (codes.get(code) ?? 0) + 1);
      assert.ok(!NOT_ALLOWED.has(code), `exit ${code}:\n${text}\n${describe(m, bytes)}`);
      assert.doesNotMatch(text, STACK_TRACE, describe(m, bytes));
      assert.doesNotMatch(text, /internal error/, describe(m, bytes));
    }),
    { seed: SEED, numRuns: IN_PROCESS_CASES, endOnFailure: false },
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stderr.write(`fuzz: ${IN_PROCESS_CASES} cases in ${seconds} s; exit codes ${JSON.stringify(Object.fromEntries([...codes].sort()))}\n`);
  // A fuzzer that never reaches validation tests only the parser: most mutations must parse.
  assert.ok((codes.get(0) ?? 0) > IN_PROCESS_CASES / 20, JSON.stringify([...codes]));
  assert.ok((codes.get(65) ?? 0) > IN_PROCESS_CASES / 4, JSON.stringify([...codes]));
});

test(`fuzz: ${CLI_CASES} mutated configs through the real CLI's check`, () => {
  const samples = fc.sample(mutation, { seed: SEED + 1, numRuns: CLI_CASES });
  const dir = mkdtempSync(join(tmpdir(), 'as2-fuzz-cli-'));
  for (const m of samples) {
    const bytes = mutate(m);
    writeFileSync(join(dir, 'anysnake2.toml'), bytes);
    const r = spawnSync(process.execPath, [BIN, 'check'], { cwd: dir, env: testEnv(), encoding: 'utf8', timeout: 60_000 });
    assert.notEqual(r.signal, 'SIGTERM', `check hung on ${describe(m, bytes)}`);
    assert.ok(!NOT_ALLOWED.has(r.status ?? -1), `exit ${r.status}:\n${r.stderr}\n${describe(m, bytes)}`);
    assert.doesNotMatch(r.stderr, STACK_TRACE, describe(m, bytes));
  }
});
