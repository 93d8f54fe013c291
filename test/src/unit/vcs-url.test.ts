/** The URL grammar of behaviour reference §2.1, with the cases of the original's vcs.rs tests. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { httpsUrl, isPinned, parseVcsUrl, stripCredentials, toNixForm, toTomlForm, withDir, type VcsSource } from '@anysnake2/core/vcs/url.js';

const SHA = '6c82cdc20d6f81c96772da73fc07a672a0a0a6ef';

test('github forms (test_parse_vcs)', () => {
  const cases: [string, VcsSource][] = [
    ['github:TyberiusPrime/anysnake2/main/1.15.4', { kind: 'github', owner: 'TyberiusPrime', repo: 'anysnake2', branch: 'main', rev: '1.15.4' }],
    ['github:TyberiusPrime/anysnake2//1.15.4', { kind: 'github', owner: 'TyberiusPrime', repo: 'anysnake2', rev: '1.15.4' }],
    ['github:TyberiusPrime/anysnake2/master', { kind: 'github', owner: 'TyberiusPrime', repo: 'anysnake2', branch: 'master' }],
    [`github:TyberiusPrime/anysnake2/${SHA}`, { kind: 'github', owner: 'TyberiusPrime', repo: 'anysnake2', rev: SHA }],
    ['github:TyberiusPrime/anysnake2/', { kind: 'github', owner: 'TyberiusPrime', repo: 'anysnake2' }],
    ['github:TyberiusPrime/anysnake2', { kind: 'github', owner: 'TyberiusPrime', repo: 'anysnake2' }],
    ['github:NixOS/nixpkgs//24.05', { kind: 'github', owner: 'NixOS', repo: 'nixpkgs', rev: '24.05' }],
  ];
  for (const [input, expected] of cases) assert.deepEqual(parseVcsUrl(input), expected, input);
});

test('git forms with ref and rev in any order', () => {
  assert.deepEqual(parseVcsUrl('git+https://github.com/TyberiusPrime/anysnake2?ref=main&rev=1.15.4'), {
    kind: 'git', url: 'https://github.com/TyberiusPrime/anysnake2', ref: 'main', rev: '1.15.4',
  });
  assert.deepEqual(parseVcsUrl('git+https://x.org/r?rev=abc&ref=dev'), { kind: 'git', url: 'https://x.org/r', ref: 'dev', rev: 'abc' });
  assert.deepEqual(parseVcsUrl('git+https://x.org/r?rev=abc'), { kind: 'git', url: 'https://x.org/r', rev: 'abc' });
  assert.deepEqual(parseVcsUrl('git+https://x.org/r?ref=main'), { kind: 'git', url: 'https://x.org/r', ref: 'main' });
  assert.deepEqual(parseVcsUrl('git+https://x.org/r'), { kind: 'git', url: 'https://x.org/r' });
  assert.deepEqual(parseVcsUrl('git+ssh://git@x.org/r'), { kind: 'git', url: 'ssh://git@x.org/r' });
  assert.deepEqual(parseVcsUrl('git+file:///srv/repo'), { kind: 'git', url: 'file:///srv/repo' });
});

test('mercurial and local paths', () => {
  assert.deepEqual(parseVcsUrl(`hg+https://hg.sr.ht/~bwe/lvr?rev=${SHA}`), { kind: 'hg', url: 'https://hg.sr.ht/~bwe/lvr', rev: SHA });
  assert.deepEqual(parseVcsUrl('hg+https://hg.sr.ht/~bwe/lvr'), { kind: 'hg', url: 'https://hg.sr.ht/~bwe/lvr' });
  assert.deepEqual(parseVcsUrl('/srv/flakes/hello'), { kind: 'path', path: '/srv/flakes/hello' });
  assert.equal(toNixForm(parseVcsUrl('/srv/flakes/hello')), 'path:/srv/flakes/hello');
});

test('rejections carry the original messages', () => {
  const rejects = (input: string, message: RegExp) => assert.throws(() => parseVcsUrl(input), message, input);
  rejects('github:/TyberiusPrime/anysnake2', /^Error: github: urls must start with the repo, not \/repo\. Error in github:\/TyberiusPrime\/anysnake2$/);
  rejects('github:IMTMarburg/flakes?dir=STAR', /github input contains dir=\. That has been moved from the url into a separate value/);
  rejects('github:TyberiusPrime', /No repo in github:owner\/repo url definition/);
  rejects('path:/srv/x', /flake urls must not start with path:\. These handle \?rev= wrong\. Use just an absolute path instead/);
  rejects('git+https://x.org/r?branch=main', /Unknown query string key: branch/);
  rejects('git+https://x.org/r?ref', /no = in query string: ref/);
  rejects('hg+https://x.org/r?ref=main', /Unknown query string key: ref/);
  rejects('https://example.com/x.tar.gz', /unknown vcs \/ unparsable url: https:\/\/example\.com\/x\.tar\.gz/);
  rejects('relative/path', /unknown vcs \/ unparsable url/);
  rejects('github:a/b/c/d/e', /unknown vcs \/ unparsable url/);
  rejects('', /unknown vcs \/ unparsable url/);
  rejects('github:a/b c', /unknown vcs \/ unparsable url/);
});

test('TOML and Nix renderings (vcs_to_string)', () => {
  const gh = parseVcsUrl('github:TyberiusPrime/anysnake2/main/1.15.4');
  assert.equal(toTomlForm(gh), 'github:TyberiusPrime/anysnake2/main/1.15.4');
  assert.equal(toNixForm(gh), 'github:TyberiusPrime/anysnake2/1.15.4');
  assert.equal(toTomlForm(parseVcsUrl('github:NixOS/nixpkgs//24.05')), 'github:NixOS/nixpkgs//24.05');
  assert.equal(toNixForm(parseVcsUrl('github:NixOS/nixpkgs/master')), 'github:NixOS/nixpkgs/master');
  assert.equal(toNixForm(parseVcsUrl('github:NixOS/nixpkgs')), 'github:NixOS/nixpkgs');
  const git = parseVcsUrl(`git+https://github.com/has2k1/plotnine?ref=main&rev=${SHA}`);
  assert.equal(toTomlForm(git), `git+https://github.com/has2k1/plotnine?ref=main&rev=${SHA}`);
  assert.equal(toNixForm(git), `git+https://github.com/has2k1/plotnine?ref=main&rev=${SHA}`);
  assert.equal(toTomlForm(parseVcsUrl(`hg+https://hg.sr.ht/~bwe/lvr?rev=${SHA}`)), `hg+https://hg.sr.ht/~bwe/lvr?rev=${SHA}`);
  assert.equal(
    toTomlForm({ kind: 'github', owner: 'TyberiusPrime', repo: 'i3-instant-layout', branch: 'master', rev: SHA }),
    `github:TyberiusPrime/i3-instant-layout/master/${SHA}`,
  );
  assert.equal(toTomlForm({ kind: 'github', owner: 'NixOS', repo: 'nixpkgs', branch: 'master', rev: '24.05' }), 'github:NixOS/nixpkgs/master/24.05');
});

test('credentials are stripped for display and kept when asked (test_remove_username_from_url, test_no_usernames_*)', () => {
  assert.equal(stripCredentials('https://user@example.com'), 'https://example.com/');
  assert.equal(stripCredentials('https://example.com'), 'https://example.com/');
  assert.equal(stripCredentials('hg+https://something:passsword@example.com'), 'hg+https://example.com');
  const git = parseVcsUrl('git+https://user:password@example.com/repo.git?ref=main&rev=abc');
  assert.equal(toTomlForm(git), 'git+https://example.com/repo.git?ref=main&rev=abc');
  assert.equal(toTomlForm(git, { keepCredentials: true }), 'git+https://user:password@example.com/repo.git?ref=main&rev=abc');
  assert.equal(toNixForm(git), 'git+https://user:password@example.com/repo.git?ref=main&rev=abc');
  const hg = parseVcsUrl('hg+https://user:password@example.com/repo?rev=abc');
  assert.equal(toTomlForm(hg), 'hg+https://example.com/repo?rev=abc');
  assert.equal(toTomlForm(hg, { keepCredentials: true }), 'hg+https://user:password@example.com/repo?rev=abc');
});

test('dir is appended with exactly one ? (the original produced two for git+ URLs)', () => {
  assert.equal(withDir(parseVcsUrl(`github:IMTMarburg/flakes/main/${SHA}`), 'STAR'), `github:IMTMarburg/flakes/${SHA}?dir=STAR`);
  assert.equal(withDir(parseVcsUrl(`git+https://x.org/r?ref=main&rev=${SHA}`), 'a/b'), `git+https://x.org/r?ref=main&rev=${SHA}&dir=a/b`);
  assert.equal(withDir(parseVcsUrl('git+https://x.org/r'), 'sub dir'), 'git+https://x.org/r?dir=sub%20dir');
  assert.equal(withDir(parseVcsUrl(`hg+https://x.org/r?rev=${SHA}`), 'x'), `hg+https://x.org/r?rev=${SHA}&dir=x`);
});

test('https URLs for ls-remote, and pinned-ness', () => {
  assert.equal(httpsUrl(parseVcsUrl('github:NixOS/nixpkgs/master')), 'https://github.com/NixOS/nixpkgs.git');
  assert.equal(isPinned(parseVcsUrl('github:NixOS/nixpkgs/master')), false);
  assert.equal(isPinned(parseVcsUrl('github:NixOS/nixpkgs/master/24.05')), true);
  assert.equal(isPinned(parseVcsUrl('git+https://x.org/r?ref=main')), false);
});

test('round trip: parse(toTomlForm(x, keepCredentials)) == x', () => {
  const inputs = [
    'github:a/b', 'github:a/b/main', 'github:a/b//v1', 'github:a/b/main/v1', `github:a/b/${SHA}`,
    'git+https://u:p@h/r?ref=x&rev=y', 'git+ssh://git@h/r', 'git+file:///srv/r?rev=1', 'hg+https://h/r?rev=2', 'hg+https://h/r', '/abs/p',
  ];
  for (const input of inputs) {
    const parsed = parseVcsUrl(input);
    assert.deepEqual(parseVcsUrl(toTomlForm(parsed, { keepCredentials: true })), parsed, input);
  }
});
