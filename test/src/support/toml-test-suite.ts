/**
 * The public TOML conformance suite (github:toml-lang/toml-test), extracted at run time from
 * ../shared/upstream (never copied into the repository), and toml-test's tagged JSON form of
 * values, `{ "type": "integer", "value": "42" }`, so that values compare exactly: integers as
 * bigint, floats including ±inf, nan and -0, the four date-time kinds by their normalised text.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AST } from 'toml-eslint-parser';
import { tomlValueOf } from '../../../core/dist/config/toml-value.js';
import { SHARED } from './cli.js';

const TARBALL = join(SHARED, 'upstream', 'toml-lang--toml-test.tar.gz');

export interface TomlTestSuite {
  /** `tests/`: holds `valid/…` and `invalid/…`. */
  dir: string;
  /** The TOML 1.0.0 cases, as paths below `dir` without `.toml`. */
  valid: string[];
  invalid: string[];
}

let suite: TomlTestSuite | undefined;

/** The suite, or the reason it is not there (a plain clone has no ../shared). */
export function tomlTestSuite(): TomlTestSuite | string {
  if (!existsSync(TARBALL)) return `the TOML conformance suite is not available (${TARBALL} is absent, as in a plain clone)`;
  if (!suite) {
    const root = mkdtempSync(join(tmpdir(), 'as2-toml-test-'));
    process.on('exit', () => rmSync(root, { recursive: true, force: true }));
    execFileSync('tar', ['xzf', TARBALL, '-C', root]);
    const dir = join(root, 'toml-lang--toml-test', 'tests');
    const cases = readFileSync(join(dir, 'files-toml-1.0.0'), 'utf8')
      .split('\n')
      .filter((line) => line.endsWith('.toml'))
      .map((line) => line.slice(0, -'.toml'.length));
    suite = { dir, valid: cases.filter((c) => c.startsWith('valid/')), invalid: cases.filter((c) => c.startsWith('invalid/')) };
  }
  return suite;
}

export interface Tagged {
  type: string;
  value: string;
}

/** A document's value with every scalar in toml-test's tagged form (normalised for comparison). */
export function taggedValue(ast: AST.TOMLProgram): Record<string, unknown> {
  return tomlValueOf(ast, taggedScalar);
}

function taggedScalar(node: AST.TOMLValue): Tagged {
  switch (node.kind) {
    case 'string':
      return { type: 'string', value: node.value };
    case 'integer':
      return { type: 'integer', value: node.bigint.toString() };
    case 'float':
      return { type: 'float', value: floatText(node.value) };
    case 'boolean':
      return { type: 'bool', value: String(node.value) };
    default:
      return { type: DATETIME_TYPE[node.kind], value: dateTimeText(node.datetime) };
  }
}

const DATETIME_TYPE = {
  'offset-date-time': 'datetime',
  'local-date-time': 'datetime-local',
  'local-date': 'date-local',
  'local-time': 'time-local',
} as const;

/** toml-test's expected JSON with the same normalisation as `taggedValue`. */
export function normalisedExpectation(json: unknown): unknown {
  if (Array.isArray(json)) return json.map(normalisedExpectation);
  const object = json as Record<string, unknown>;
  if (typeof object.type === 'string' && typeof object.value === 'string' && Object.keys(object).length === 2) {
    const { type, value } = object as unknown as Tagged;
    if (type === 'integer') return { type, value: BigInt(value).toString() };
    if (type === 'float') return { type, value: floatText(floatOf(value)) };
    if (type.startsWith('date') || type.startsWith('time')) return { type, value: dateTimeText(value) };
    return { type, value };
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(object)) Object.defineProperty(out, k, { value: normalisedExpectation(v), enumerable: true, writable: true, configurable: true });
  return out;
}

function floatOf(text: string): number {
  if (/^[+-]?inf$/.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/.test(text)) return NaN;
  return Number(text);
}

/** Distinguishes -0 from 0; NaN is one value (TOML does not give nan a sign that matters). */
function floatText(value: number): string {
  return Object.is(value, -0) ? '-0' : String(value);
}

/** `1979-05-27 07:32:00.500z` → `1979-05-27T07:32:00.5Z`: separator, zone letter and fraction digits normalised. */
function dateTimeText(text: string): string {
  return text
    .replace(/^(\d{4}-\d{2}-\d{2})[Tt ](?=\d)/, '$1T')
    .replace(/z$/, 'Z')
    .replace(/(\.\d*?)0+(?=$|[Z+-])/, '$1')
    .replace(/\.(?=$|[Z+-])/, '');
}
