/**
 * The raw-Nix door (`nixCode()`): text from keys that are Nix code by definition must stay one
 * parenthesised expression. Its verdicts come from our own Nix tokenizer and parser; here they are
 * compared with the real `nix-instantiate --parse` on generated fragments, and the known bypass of
 * the old bracket counter (a URI literal such as `a:''`, which Nix reads as one token) is pinned.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import fc from 'fast-check';
import { findNixCodeProblem, NixCodeError } from '../../../core/dist/nix/raw-code.js';
import { nix } from '../../../core/dist/nix/construct.js';
import { nixEnv, nixEvalJson } from '../support/nix.js';

/** Strings the old bracket counter accepted that break out of the parentheses in real Nix. */
const BYPASSES = ["a:'' ) ; evil = ( ''", "a:'' ) (builtins.trace \"injected\" 1) ( 1 # ''", "x:y'' ]; injected = [ ''", "http://example.org/''}) ; x = ({''"];

/** Does nix read `[ (code) ]` (the printer's shape) as a list of exactly one element? (4 nix processes at a time) */
async function nixVerdicts(fragments: string[]): Promise<boolean[]> {
  // `with {};` makes every free name a lazy lookup, so parsing alone decides; lengths do not force elements.
  const verdict = (code: string) =>
    new Promise<boolean>((resolve) =>
      execFile('nix-instantiate', ['--eval', '-E', `builtins.length (with {}; [ ${printRawLike(code)} ])`], { env: nixEnv() }, (error, stdout) =>
        resolve(!error && stdout.trim() === '1'),
      ),
    );
  const out: boolean[] = new Array(fragments.length);
  let next = 0;
  const worker = async () => {
    while (next < fragments.length) {
      const i = next++;
      out[i] = await verdict(fragments[i]!);
    }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  return out;
}

/** The printer's rendering of raw code, without the door's check (to show what nix would do with it). */
function printRawLike(code: string): string {
  const trimmed = code.trim();
  return trimmed.includes('#') ? `(${trimmed}\n)` : `(${trimmed})`;
}

test("a URI literal cannot smuggle bindings out of the parentheses (the a:'' bypass)", async () => {
  for (const code of BYPASSES) {
    assert.notEqual(findNixCodeProblem(code), undefined, `accepted: ${code}`);
    assert.throws(() => nix.code(code, 'nixpkgs.packages[0]'), NixCodeError);
  }
  // And nix agrees that these are not one expression in the printer's shape.
  assert.deepEqual(
    await nixVerdicts(BYPASSES),
    BYPASSES.map(() => false),
  );
  // A URI on its own is a valid expression (Nix's old string form), so it stays accepted.
  assert.equal(findNixCodeProblem("a:''"), undefined);
});

/** Pieces of Nix source, valid and broken, that exercise every literal form of the lexer. */
const PIECES = [
  'a',
  'b.c',
  'x:',
  ' ',
  '\n',
  '\t',
  '\r',
  ':',
  ';',
  '=',
  '.',
  ',',
  '?',
  '@',
  '...',
  '!',
  '-',
  '+',
  '*',
  '/',
  '//',
  '++',
  '==',
  '<',
  '>',
  '->',
  '&&',
  '||',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  '${',
  '$',
  '$$',
  '"',
  "'",
  "''",
  "'''",
  "''$",
  "''\\",
  '\\',
  '#',
  '/*',
  '*/',
  'or',
  'let',
  'in',
  'inherit',
  'rec',
  'if',
  'then',
  'else',
  'with',
  'assert',
  '1',
  '1.5',
  '.5',
  '9223372036854775808',
  './a',
  'a/b',
  'a/',
  '~/x',
  '<nixpkgs>',
  'a:b',
  "a:''",
  'http://x.org/',
  'é',
  '🐍',
  '\u202e',
];

/** Valid expressions, so that acceptance is tested as much as rejection. */
const valid: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('a', 'pkgs.hello', '1', '1.5', 'null', './x', '~/x', 'a/${b}', '<nixpkgs>', 'a:b', "a:''", '"s"', "''s''", 'x or'),
    tie('e').map((e) => `(${e})`),
    tie('e').map((e) => `[ ${e} 1 ]`),
    tie('e').map((e) => `x: ${e}`),
    tie('e').map((e) => `{ a, b ? ${e}, ... }@c: c`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `{ a = ${a}; b.c = ${b}; inherit x; "d\${1}" = 1; }`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `let a = ${a}; in ${b}`),
    fc.tuple(tie('e'), tie('e')).map(([a, b]) => `if ${a} then ${b} else ${a}`),
    fc.tuple(tie('e'), tie('e'), fc.constantFrom('+', '-', '==', '<', '//', '++', '->', '&&', '*')).map(([a, b, op]) => `${a} ${op} ${b}`),
    tie('e').map((e) => `"x\${${e}}y$\${z}\\""`),
    tie('e').map((e) => `''\n  x \${${e}} ''\${y} ''' ''\\n $\${z}\n''`),
    tie('e').map((e) => `${e} # comment`),
    tie('e').map((e) => `/* c */ ${e}`),
    tie('e').map((e) => `f ${e}.x or 2`),
    tie('e').map((e) => `!${e} ? a.b`),
  ),
})).e;

/** Broken or hostile variants: a valid expression with random pieces inserted. */
const mutated = fc
  .tuple(valid, fc.array(fc.tuple(fc.nat(), fc.constantFrom(...PIECES)), { minLength: 1, maxLength: 3 }))
  .map(([code, inserts]) => inserts.reduce((s, [at, piece]) => s.slice(0, at % (s.length + 1)) + piece + s.slice(at % (s.length + 1)), code));
const soup = fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 8 }).map((p) => p.join(''));

test('the tokenizer and parser agree with nix-instantiate on generated fragments', async () => {
  const fragments = [...fc.sample(valid, { numRuns: 150, seed: 11 }), ...fc.sample(mutated, { numRuns: 150, seed: 12 }), ...fc.sample(soup, { numRuns: 100, seed: 13 })].filter(
    (f) => !f.includes('\0'),
  );
  const ours = fragments.map((f) => findNixCodeProblem(f) === undefined);
  const accepted = fragments.filter((_, i) => ours[i]);
  assert.ok(accepted.length > 150, `too few accepted fragments (${accepted.length}) to test acceptance`);
  // Accepted ones in one evaluation: each must be exactly one list element.
  const dir = mkdtempSync(join(tmpdir(), 'as2-raw-'));
  const file = join(dir, 'all.nix');
  writeFileSync(file, `with {}; map builtins.length [\n${accepted.map((f) => `[ ${printRawLike(f)} ]`).join('\n')}\n]`);
  assert.deepEqual(
    nixEvalJson(readable(file)),
    accepted.map(() => 1),
  );
  // Rejected ones one by one (each needs its own nix process): nix must reject them too.
  const rejected = fragments.filter((_, i) => !ours[i]).slice(0, 80);
  const verdicts = await nixVerdicts(rejected);
  const disagreements = rejected.filter((_, i) => verdicts[i]);
  assert.deepEqual(disagreements, [], 'fragments we reject but nix reads as one expression');
  console.log(`raw Nix cross-check: ${fragments.length} fragments, ${accepted.length} accepted (one nix eval), ${rejected.length} rejected ones confirmed by nix`);
});

/** nixEvalJson takes source text; read the file back through an import so positions stay in it. */
function readable(file: string): string {
  return `import ${file}`;
}
