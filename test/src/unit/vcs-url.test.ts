/**
 * The URL grammar of behaviour reference §2.1: the cases of the original's vcs.rs unit tests
 * (§18.1), every rejection, the written-back forms of §10.5, and a round-trip property.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { httpsUrl, isPinned, parseVcsUrl, stripCredentials, toNixForm, toTomlForm, VcsUrlError, withDir, type VcsSource } from '../../../core/dist/vcs/url.js';

const SHA = '6c82cdc20d6f81c96772da73fc07a672a0a0a6ef';
const GH = { kind: 'github', owner: 'TyberiusPrime', repo: 'anysnake2' } as const;

function parses(input: string, expected: VcsSource): void {
  assert.deepEqual(parseVcsUrl(input), expected, input);
}

function rejects(input: string, message: string, hint?: string): void {
  let caught: unknown;
  try {
    parseVcsUrl(input);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof VcsUrlError, `${input} should be rejected with a VcsUrlError, got ${String(caught)}`);
  assert.equal(caught.message, message, input);
  assert.equal(caught.input, input);
  assert.equal(caught.hint, hint, `hint for ${input}`);
}

const unparsable = (input: string, hint?: string) => rejects(input, `unknown vcs / unparsable url: ${input}`, hint);

function parsedAs<K extends VcsSource['kind']>(input: string, kind: K): Extract<VcsSource, { kind: K }> {
  const parsed = parseVcsUrl(input);
  assert.equal(parsed.kind, kind, input);
  return parsed as Extract<VcsSource, { kind: K }>;
}

test('test_parse_vcs: github forms', () => {
  parses('github:TyberiusPrime/anysnake2/main/1.15.4', { ...GH, branch: 'main', rev: '1.15.4' });
  parses('github:TyberiusPrime/anysnake2//1.15.4', { ...GH, rev: '1.15.4' });
  parses('github:TyberiusPrime/anysnake2/master', { ...GH, branch: 'master' });
  parses(`github:TyberiusPrime/anysnake2/${SHA}`, { ...GH, rev: SHA });
  parses('github:TyberiusPrime/anysnake2/', { ...GH });
  parses('github:TyberiusPrime/anysnake2', { ...GH });
  parses('github:NixOS/nixpkgs//24.05', { kind: 'github', owner: 'NixOS', repo: 'nixpkgs', rev: '24.05' });
  parses('github:TyberiusPrime/anysnake2_release_flakes/main/2.3.6', { kind: 'github', owner: 'TyberiusPrime', repo: 'anysnake2_release_flakes', branch: 'main', rev: '2.3.6' });
  parses(`github:TyberiusPrime/anysnake2/main/${SHA}`, { ...GH, branch: 'main', rev: SHA });
});

test('test_parse_vcs: git forms, and an unknown query key is an error', () => {
  const url = 'https://github.com/TyberiusPrime/anysnake2';
  parses(`git+${url}?ref=main&rev=1.15.4`, { kind: 'git', url, ref: 'main', rev: '1.15.4' });
  parses(`git+${url}?rev=1.15.4`, { kind: 'git', url, rev: '1.15.4' });
  parses(`git+${url}?ref=main`, { kind: 'git', url, ref: 'main' });
  parses(`git+${url}`, { kind: 'git', url });
  rejects(`git+${url}?branch=main`, 'Unknown query string key: branch', 'allowed: ref, rev');
});

test('vcs_to_string: TOML form keeps the branch, Nix form drops it once pinned', () => {
  const gh = parseVcsUrl('github:TyberiusPrime/anysnake2/main/1.15.4');
  assert.equal(toTomlForm(gh), 'github:TyberiusPrime/anysnake2/main/1.15.4');
  assert.equal(toNixForm(gh), 'github:TyberiusPrime/anysnake2/1.15.4');

  const github: [input: string, toml: string, nix: string][] = [
    ['github:TyberiusPrime/anysnake2//1.15.4', 'github:TyberiusPrime/anysnake2//1.15.4', 'github:TyberiusPrime/anysnake2/1.15.4'],
    ['github:TyberiusPrime/anysnake2/master', 'github:TyberiusPrime/anysnake2/master', 'github:TyberiusPrime/anysnake2/master'],
    [`github:TyberiusPrime/anysnake2/${SHA}`, `github:TyberiusPrime/anysnake2//${SHA}`, `github:TyberiusPrime/anysnake2/${SHA}`],
    ['github:TyberiusPrime/anysnake2/', 'github:TyberiusPrime/anysnake2', 'github:TyberiusPrime/anysnake2'],
    ['github:TyberiusPrime/anysnake2', 'github:TyberiusPrime/anysnake2', 'github:TyberiusPrime/anysnake2'],
  ];
  for (const [input, toml, nix] of github) {
    assert.equal(toTomlForm(parseVcsUrl(input)), toml, input);
    assert.equal(toNixForm(parseVcsUrl(input)), nix, input);
  }

  const url = 'https://github.com/TyberiusPrime/anysnake2';
  for (const input of [`git+${url}?ref=main&rev=1.15.4`, `git+${url}?rev=1.15.4`, `git+${url}?ref=main`, `git+${url}`]) {
    assert.equal(toTomlForm(parseVcsUrl(input)), input);
    assert.equal(toNixForm(parseVcsUrl(input)), input);
  }
});

test('test_remove_username_from_url: WHATWG re-serialisation', () => {
  assert.equal(stripCredentials('https://user@example.com'), 'https://example.com/');
  assert.equal(stripCredentials('https://example.com'), 'https://example.com/');
  assert.equal(stripCredentials('hg+https://something:passsword@example.com'), 'hg+https://example.com');
});

test('stripCredentials: other schemes, and strings that are no URL', () => {
  assert.equal(stripCredentials('https://u:p@example.com/a/b.git'), 'https://example.com/a/b.git');
  assert.equal(stripCredentials('https://:secret@example.com/x'), 'https://example.com/x');
  assert.equal(stripCredentials('http://u:p@example.com:8080/r'), 'http://example.com:8080/r');
  assert.equal(stripCredentials('ssh://git@example.com/r'), 'ssh://example.com/r');
  assert.equal(stripCredentials('file:///srv/r'), 'file:///srv/r');
  assert.equal(stripCredentials('git@github.com:owner/repo.git'), 'git@github.com:owner/repo.git');
  assert.equal(stripCredentials('/srv/r'), '/srv/r');
});

test('test_no_usernames_in_vcs_url_to_string_git', () => {
  const git = parseVcsUrl('git+https://user:password@example.com/repo.git?ref=main&rev=abc');
  assert.deepEqual(git, { kind: 'git', url: 'https://user:password@example.com/repo.git', ref: 'main', rev: 'abc' });
  assert.equal(toTomlForm(git), 'git+https://example.com/repo.git?ref=main&rev=abc');
  assert.equal(toTomlForm(git, { keepCredentials: true }), 'git+https://user:password@example.com/repo.git?ref=main&rev=abc');
  assert.equal(toNixForm(git), 'git+https://user:password@example.com/repo.git?ref=main&rev=abc');
  assert.equal(httpsUrl(git), 'https://user:password@example.com/repo.git');
  assert.equal(toTomlForm(parseVcsUrl('git+https://user@example.com')), 'git+https://example.com/');
  assert.equal(toTomlForm(parseVcsUrl('git+ssh://git@example.com/r?rev=abc')), 'git+ssh://example.com/r?rev=abc');
});

test('test_no_usernames_in_vcs_url_to_string_hg', () => {
  const hg = parseVcsUrl('hg+https://user:password@example.com/repo?rev=abc');
  assert.deepEqual(hg, { kind: 'hg', url: 'https://user:password@example.com/repo', rev: 'abc' });
  assert.equal(toTomlForm(hg), 'hg+https://example.com/repo?rev=abc');
  assert.equal(toTomlForm(hg, { keepCredentials: true }), 'hg+https://user:password@example.com/repo?rev=abc');
  assert.equal(toNixForm(hg), 'hg+https://user:password@example.com/repo?rev=abc');
  assert.equal(httpsUrl(hg), 'https://user:password@example.com/repo');
});

test('github rejections carry the original messages', () => {
  rejects('github:/TyberiusPrime/anysnake2', 'github: urls must start with the repo, not /repo. Error in github:/TyberiusPrime/anysnake2');
  const dir = ['github input contains dir=. That has been moved from the url into a separate value in anysnake2 2.0', 'use the separate `dir` key next to the url'] as const;
  rejects('github:IMTMarburg/flakes?dir=STAR', ...dir);
  rejects(`github:IMTMarburg/flakes/main/${SHA}?dir=STAR`, ...dir);
  rejects('github:IMTMarburg/flakes/dir=x', ...dir);
  rejects('github:TyberiusPrime', 'No repo in github:owner/repo url definition');
  rejects('github:TyberiusPrime/', 'No repo in github:owner/repo url definition');
  unparsable('github:');
  unparsable('github:a/b/c/d/e');
  unparsable('github:a/b/c//');
  unparsable('github:a/b///');
  unparsable('github:a/b?ref=main');
  unparsable('github:a/b#default');
  unparsable('git+https://x.org/r#main');
  unparsable('hg+https://x.org/r?rev=abc#x');
});

test('path: URLs are rejected, with or without the slash', () => {
  const message = 'flake urls must not start with path:. These handle ?rev= wrong. Use just an absolute path instead';
  rejects('path:/srv/flakes/hello', message);
  rejects('path:srv/flakes/hello', message);
  rejects('path:/srv/flakes/hello?rev=abc', message);
});

test('other rejections: empty input, whitespace, unknown schemes, relative paths', () => {
  unparsable('');
  unparsable(' ');
  unparsable('github:a/b c');
  unparsable('github:a/b\n');
  unparsable('\tgit+https://x.org/r');
  unparsable('https://example.com/x.tar.gz');
  unparsable('git://example.com/r');
  unparsable('nixpkgs');
  unparsable('gitlab:owner/repo');
  unparsable('relative/path', 'local flakes need an absolute path');
  unparsable('./flake', 'local flakes need an absolute path');
  unparsable('../flake', 'local flakes need an absolute path');
  unparsable('.', 'local flakes need an absolute path');
  unparsable('~/flake', 'local flakes need an absolute path');
});

test('40-hex detection decides rev versus branch for a single segment', () => {
  const upper = SHA.toUpperCase();
  parses(`github:a/b/${upper}`, { kind: 'github', owner: 'a', repo: 'b', rev: upper });
  parses(`github:a/b/${SHA}/`, { kind: 'github', owner: 'a', repo: 'b', rev: SHA });
  parses(`github:a/b/${SHA.slice(1)}`, { kind: 'github', owner: 'a', repo: 'b', branch: SHA.slice(1) });
  parses(`github:a/b/${SHA}0`, { kind: 'github', owner: 'a', repo: 'b', branch: `${SHA}0` });
  const notHex = `g${SHA.slice(1)}`;
  parses(`github:a/b/${notHex}`, { kind: 'github', owner: 'a', repo: 'b', branch: notHex });
  // With both segments the positions decide, whatever they look like.
  parses(`github:a/b/${SHA}/main`, { kind: 'github', owner: 'a', repo: 'b', branch: SHA, rev: 'main' });
  parses('github:a/b/master/24.05', { kind: 'github', owner: 'a', repo: 'b', branch: 'master', rev: '24.05' });
});

test('git: any scheme, keys in any order, written back ref first', () => {
  parses('git+https://x.org/r?rev=abc&ref=dev', { kind: 'git', url: 'https://x.org/r', ref: 'dev', rev: 'abc' });
  assert.equal(toTomlForm(parseVcsUrl('git+https://x.org/r?rev=abc&ref=dev')), 'git+https://x.org/r?ref=dev&rev=abc');
  assert.equal(toNixForm(parseVcsUrl('git+https://x.org/r?rev=abc&ref=dev')), 'git+https://x.org/r?ref=dev&rev=abc');
  parses('git+http://x.org/r.git', { kind: 'git', url: 'http://x.org/r.git' });
  parses('git+ssh://git@x.org/r', { kind: 'git', url: 'ssh://git@x.org/r' });
  parses('git+file:///srv/repo?ref=main', { kind: 'git', url: 'file:///srv/repo', ref: 'main' });
  parses('git+https://u:p@host/x.git', { kind: 'git', url: 'https://u:p@host/x.git' });
  parses('git+https://x.org/r?ref=feature/a=b', { kind: 'git', url: 'https://x.org/r', ref: 'feature/a=b' });
});

test('git: query and URL errors', () => {
  rejects('git+https://x.org/r?ref', 'no = in query string: ref');
  rejects('git+https://x.org/r?ref=main&', 'no = in query string: ');
  rejects('git+https://x.org/r?', 'no = in query string: ');
  rejects('git+https://x.org/r?dir=sub', 'Unknown query string key: dir', 'allowed: ref, rev');
  rejects('git+https://x.org/r?rev=a&rev=b', 'Duplicate query string key: rev');
  rejects('git+https://x.org/r?ref=&rev=abc', 'empty value in query string: ref=');
  const gitHint = 'write git URLs like git+https://host/repo or git+ssh://git@host/repo';
  unparsable('git+', gitHint);
  unparsable('git+?rev=abc', gitHint);
  unparsable('git+https://', gitHint);
  unparsable('git+git@github.com:owner/repo.git', gitHint);
});

test('mercurial: only hg+https, only rev', () => {
  parses(`hg+https://hg.sr.ht/~bwe/lvr?rev=${SHA}`, { kind: 'hg', url: 'https://hg.sr.ht/~bwe/lvr', rev: SHA });
  parses('hg+https://hg.sr.ht/~bwe/lvr', { kind: 'hg', url: 'https://hg.sr.ht/~bwe/lvr' });
  assert.equal(toTomlForm(parseVcsUrl('hg+https://hg.sr.ht/~bwe/lvr')), 'hg+https://hg.sr.ht/~bwe/lvr');
  assert.equal(toNixForm(parseVcsUrl(`hg+https://hg.sr.ht/~bwe/lvr?rev=${SHA}`)), `hg+https://hg.sr.ht/~bwe/lvr?rev=${SHA}`);
  assert.equal(httpsUrl(parseVcsUrl('hg+https://hg.sr.ht/~bwe/lvr')), 'https://hg.sr.ht/~bwe/lvr');
  rejects('hg+https://x.org/r?ref=main', 'Unknown query string key: ref', 'allowed: rev');
  rejects('hg+https://x.org/r?rev', 'no = in query string: rev');
  unparsable('hg+http://x.org/r');
  unparsable('hg+ssh://x.org/r');
  unparsable('hg+https://');
});

test('absolute paths are local flakes; Nix gets a path: reference', () => {
  const local = parseVcsUrl('/srv/flakes/hello');
  assert.deepEqual(local, { kind: 'path', path: '/srv/flakes/hello' });
  assert.equal(toTomlForm(local), '/srv/flakes/hello');
  assert.equal(toNixForm(local), 'path:/srv/flakes/hello');
  assert.equal(httpsUrl(local), '/srv/flakes/hello');
  assert.equal(isPinned(local), true);
  parses('/', { kind: 'path', path: '/' });
  unparsable('/srv/flakes/hello?rev=abc', 'a local flake is a plain absolute path, without a ?query');
  unparsable('/srv/flakes/hello#pkg');
});

test('§10.5: the forms tofu writes back', () => {
  const plotnine = parsedAs('git+https://github.com/has2k1/plotnine', 'git');
  assert.equal(toTomlForm({ ...plotnine, ref: 'main', rev: SHA }, { keepCredentials: true }), `git+https://github.com/has2k1/plotnine?ref=main&rev=${SHA}`);
  const lvr = parsedAs('hg+https://hg.sr.ht/~bwe/lvr', 'hg');
  assert.equal(toTomlForm({ ...lvr, rev: SHA }, { keepCredentials: true }), `hg+https://hg.sr.ht/~bwe/lvr?rev=${SHA}`);
  const i3 = parsedAs('github:TyberiusPrime/i3-instant-layout', 'github');
  assert.equal(toTomlForm({ ...i3, branch: 'master', rev: SHA }), `github:TyberiusPrime/i3-instant-layout/master/${SHA}`);
  // 24.05 is a single segment that is not 40 hex, so it parses as a branch; tofu finds it is a tag.
  const nixpkgs = parsedAs('github:NixOS/nixpkgs/24.05', 'github');
  assert.deepEqual(nixpkgs, { kind: 'github', owner: 'NixOS', repo: 'nixpkgs', branch: '24.05' });
  assert.equal(toTomlForm({ ...nixpkgs, branch: 'master', rev: '24.05' }), 'github:NixOS/nixpkgs/master/24.05');
  assert.equal(toTomlForm(parseVcsUrl('github:oxalica/rust-overlay')), 'github:oxalica/rust-overlay');
  for (const written of [
    `git+https://github.com/has2k1/plotnine?ref=main&rev=${SHA}`,
    `hg+https://hg.sr.ht/~bwe/lvr?rev=${SHA}`,
    `github:TyberiusPrime/i3-instant-layout/master/${SHA}`,
    'github:NixOS/nixpkgs/master/24.05',
    'github:NixOS/nixpkgs/master/25.11',
    `github:oxalica/rust-overlay/master/${SHA}`,
    'github:TyberiusPrime/anysnake2_release_flakes/main/2.3.6',
  ]) {
    const parsed = parseVcsUrl(written);
    assert.equal(toTomlForm(parsed), written, written);
    assert.equal(isPinned(parsed), true, written);
  }
  assert.equal(toNixForm(parseVcsUrl('github:NixOS/nixpkgs/master/24.05')), 'github:NixOS/nixpkgs/24.05');
});

test('withDir adds exactly one ? (the original produced two for git+ URLs)', () => {
  assert.equal(withDir(parseVcsUrl(`github:IMTMarburg/flakes/main/${SHA}`), 'STAR'), `github:IMTMarburg/flakes/${SHA}?dir=STAR`);
  assert.equal(withDir(parseVcsUrl('github:IMTMarburg/flakes/main'), 'STAR'), 'github:IMTMarburg/flakes/main?dir=STAR');
  assert.equal(withDir(parseVcsUrl('github:IMTMarburg/flakes'), 'STAR'), 'github:IMTMarburg/flakes?dir=STAR');
  assert.equal(withDir(parseVcsUrl(`git+https://x.org/r?ref=main&rev=${SHA}`), 'a/b'), `git+https://x.org/r?ref=main&rev=${SHA}&dir=a/b`);
  assert.equal(withDir(parseVcsUrl('git+https://u:p@x.org/r'), 'sub dir'), 'git+https://u:p@x.org/r?dir=sub%20dir');
  assert.equal(withDir(parseVcsUrl(`hg+https://x.org/r?rev=${SHA}`), 'x'), `hg+https://x.org/r?rev=${SHA}&dir=x`);
  assert.equal(withDir(parseVcsUrl('hg+https://x.org/r'), 'x'), 'hg+https://x.org/r?dir=x');
  assert.equal(withDir(parseVcsUrl('/srv/mono'), 'flakes/a&b?c#d'), 'path:/srv/mono?dir=flakes/a%26b%3Fc%23d');
  for (const src of ['github:o/r/main', 'git+https://x.org/r?ref=main', 'hg+https://x.org/r?rev=1', '/srv/m']) {
    assert.equal(withDir(parseVcsUrl(src), 'd').split('?').length, 2, src);
  }
});

test('httpsUrl and isPinned', () => {
  assert.equal(httpsUrl(parseVcsUrl('github:NixOS/nixpkgs/master')), 'https://github.com/NixOS/nixpkgs.git');
  assert.equal(httpsUrl(parseVcsUrl('git+ssh://git@x.org/r?ref=main')), 'ssh://git@x.org/r');
  assert.equal(isPinned(parseVcsUrl('github:NixOS/nixpkgs')), false);
  assert.equal(isPinned(parseVcsUrl('github:NixOS/nixpkgs/master')), false);
  assert.equal(isPinned(parseVcsUrl('github:NixOS/nixpkgs//24.05')), true);
  assert.equal(isPinned(parseVcsUrl('github:NixOS/nixpkgs/master/24.05')), true);
  assert.equal(isPinned(parseVcsUrl(`github:NixOS/nixpkgs/${SHA}`)), true);
  assert.equal(isPinned(parseVcsUrl('git+https://x.org/r?ref=main')), false);
  assert.equal(isPinned(parseVcsUrl('git+https://x.org/r?rev=abc')), true);
  assert.equal(isPinned(parseVcsUrl('hg+https://x.org/r')), false);
  assert.equal(isPinned(parseVcsUrl('hg+https://x.org/r?rev=abc')), true);
});

function assertRoundTrip(input: string): void {
  const parsed = parseVcsUrl(input);
  assert.deepEqual(parseVcsUrl(toTomlForm(parsed, { keepCredentials: true })), parsed, input);
}

test('round trip: parse(toTomlForm(x, keepCredentials)) == x over examples', () => {
  for (const input of [
    'github:a/b',
    'github:a/b/',
    'github:a/b//',
    'github:a/b/main',
    'github:a/b/main/',
    'github:a/b//v1',
    'github:a/b/main/v1',
    `github:a/b/${SHA}`,
    `github:a/b/${SHA}/`,
    `github:a/b/${SHA}/v1`,
    `github:a/b//${SHA}`,
    'github:NixOS/nixpkgs/master/24.05',
    'git+https://u:p@h/r?ref=x&rev=y',
    'git+https://h/r?rev=y&ref=x',
    'git+https://h',
    'git+ssh://git@h/r',
    'git+file:///srv/r?rev=1',
    'git+http://h:8080/r.git?ref=a=b',
    'hg+https://h/r?rev=2',
    'hg+https://u:p@h/r',
    'hg+https://hg.sr.ht/~bwe/lvr',
    '/abs/p',
    '/',
  ]) {
    assertRoundTrip(input);
  }
});

test('round trip property: every accepted string reads back the same from its TOML form', () => {
  const piece = fc.constantFrom(
    'github:',
    'git+',
    'hg+',
    'https://',
    'ssh://',
    'file://',
    'path:',
    '/',
    '//',
    '?',
    '&',
    '=',
    'ref',
    'rev',
    'dir',
    '@',
    ':',
    'u:p@',
    'main',
    '24.05',
    SHA,
    'x',
    '.',
    '~',
    '#',
    '%2F',
  );
  const inputs = fc.array(piece, { minLength: 1, maxLength: 10 }).map((parts) => parts.join(''));
  let accepted = 0;
  fc.assert(
    fc.property(inputs, (input) => {
      let parsed: VcsSource;
      try {
        parsed = parseVcsUrl(input);
      } catch (error) {
        assert.ok(error instanceof VcsUrlError, `${input}: ${String(error)}`);
        return;
      }
      accepted++;
      assert.deepEqual(parseVcsUrl(toTomlForm(parsed, { keepCredentials: true })), parsed, input);
      assert.equal(parseVcsUrl(toTomlForm(parsed)).kind, parsed.kind, input);
    }),
    { numRuns: 5000, seed: 42 },
  );
  assert.ok(accepted > 100, `the generator should produce many valid URLs, got ${accepted}`);
});
