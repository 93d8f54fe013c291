import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nix } from '../../../core/dist/nix/construct.js';
import { printNix } from '../../../core/dist/nix/print.js';
import { attrName, quoteString } from '../../../core/dist/nix/escape.js';
import { findNixCodeProblem, NixCodeError } from '../../../core/dist/nix/raw-code.js';

test('strings escape quotes, backslashes, newlines and interpolation starts', () => {
  assert.equal(quoteString('a"b\\c\nd\te${x}$y$'), '"a\\"b\\\\c\\nd\\te\\${x}$y$"');
});

test('attribute names are bare only when they are identifiers and not keywords', () => {
  assert.equal(attrName('hello'), 'hello');
  assert.equal(attrName('x86_64-linux'), 'x86_64-linux');
  assert.equal(attrName('in'), '"in"');
  assert.equal(attrName('2020-01-01'), '"2020-01-01"');
  assert.equal(attrName('a b'), '"a b"');
});

test('NUL cannot be represented and is rejected', () => {
  assert.throws(() => quoteString('a\0b'), /NUL/);
});

test('printer output for the common shapes is stable', () => {
  const expr = nix.let(
    [nix.bind('pkgs', nix.apply(nix.id('import'), nix.id('nixpkgs'), nix.attrsOf([nix.inherit(['system'])])))],
    nix.attrs({
      b: nix.list([nix.id('hello'), nix.select(nix.id('pkgs'), ['rust-bin', 'nightly', '2020-01-01', 'default'])]),
      a: nix.lambda(nix.formals(['self', 'nixpkgs'], { ellipsis: true, bind: 'inputs' }), nix.str('x')),
      c: nix.list([nix.apply(nix.id('f'), nix.int(1))]),
    }),
  );
  assert.equal(
    printNix(expr),
    [
      'let',
      '  pkgs = import nixpkgs {',
      '    inherit system;',
      '  };',
      'in',
      '{',
      '  a = { self, nixpkgs, ... }@inputs: "x";',
      '  b = [',
      '    hello',
      '    pkgs.rust-bin.nightly."2020-01-01".default',
      '  ];',
      '  c = [ (f 1) ];',
      '}',
    ].join('\n'),
  );
});

test('raw Nix code is parenthesised; a trailing comment cannot swallow the closing parenthesis', () => {
  assert.equal(printNix(nix.list([nix.code('python3.withPackages (ps: [ps.pip])', 'x')])), '[ (python3.withPackages (ps: [ps.pip])) ]');
  assert.equal(printNix(nix.code('foo # comment', 'x')), '(foo # comment\n)');
});

test('the raw door rejects code that would escape its parentheses', () => {
  assert.throws(() => nix.code('foo); evil = (bar', 'nixpkgs.packages[0]'), NixCodeError);
  assert.throws(() => nix.code('"unterminated', 'x'), /unterminated string/);
  assert.throws(() => nix.code("''unterminated", 'x'), /unterminated indented string/);
  assert.throws(() => nix.code('{ a = 1;', 'x'), /missing '}'/);
  assert.throws(() => nix.code('/* open', 'x'), /unterminated/);
  assert.throws(() => nix.code('  ', 'x'), /empty/);
  assert.equal(findNixCodeProblem('final: prev: { lzma = final.xz; }'), undefined);
  assert.equal(findNixCodeProblem("''\n  echo ${x} ''${y} ''' ) \n''"), undefined);
  assert.equal(findNixCodeProblem('"a ${ "b)" } c" # )'), undefined);
  assert.equal(findNixCodeProblem('with pkgs; [ (a) ]'), undefined);
});

test('identifiers for variables must be real identifiers', () => {
  assert.throws(() => printNix(nix.id('not valid')), /not a Nix identifier/);
  assert.throws(() => printNix(nix.path('./a b.nix')), /path literal/);
});
