/**
 * Trust on first use against the local git host (GitHub and codeberg mapped through git's
 * url.<base>.insteadOf onto bare repositories): what gets pinned, how it is written back, and
 * what happens when remotes fail.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, containerProject, gitHost, runCli, tempProject, testEnv } from '../support/cli.js';

const head = (repo: string, ref = 'HEAD') => execFileSync('git', ['--git-dir', join(gitHost(), repo), 'rev-parse', ref], { encoding: 'utf8' }).trim();
const read = (cwd: string) => readFileSync(join(cwd, 'anysnake2.toml'), 'utf8');

test('an empty file gets every default pinned, in canonical order', () => {
  const cwd = tempProject('');
  const r = runCli(['tofu'], { cwd });
  assert.equal(r.code, 0, r.stderr);
  const text = read(cwd);
  const flakeUtils = head('github/numtide/flake-utils.git');
  assert.match(text, /\[nixpkgs\]\n\turl = "github:NixOS\/nixpkgs\/master\/24\.11"/);
  assert.match(text, /\[outside_nixpkgs\]\n\turl = "github:NixOS\/nixpkgs\/master\/24\.11"/);
  assert.match(text, new RegExp(`\\[flake-util\\]\\n\\turl = "github:numtide/flake-utils/main/${flakeUtils}"`));
  // No [python]: nothing Python-related is pinned or asked for (2.3.6 pinned the tool chain everywhere).
  assert.doesNotMatch(text, /uv2nix|pyproject_build_systems|ancient|codeberg/);
  assert.match(text, /\[dev_shell\]\n\tinputs = \[\]\n\tshell = "bash"/);
  const order = [...text.matchAll(/^\[([^\]]+)\]/gm)].map((m) => m[1]);
  assert.ok(order.indexOf('nixpkgs') < order.indexOf('dev_shell') && order.indexOf('dev_shell') < order.indexOf('outside_nixpkgs'), order.join(' '));
  assert.ok(order.indexOf('outside_nixpkgs') < order.indexOf('flake-util'), order.join(' '));
  // Pinned now: a second run changes nothing and asks no remote.
  const again = runCli(['tofu'], { cwd });
  assert.equal(again.code, 0);
  assert.equal(read(cwd), text);
});

test('[python] brings its tool pins; a written tool section is pinned without [python]; ancient_poetry only when written', () => {
  const withPython = tempProject(['[python]', 'version = "3.11"', 'ecosystem_date = "2024-08-09"', '[python.packages]'].join('\n'));
  assert.equal(runCli(['tofu'], { cwd: withPython }).code, 0);
  const text = read(withPython);
  assert.match(text, new RegExp(`\\[uv2nix\\]\\n\\turl = "github:pyproject-nix/uv2nix/master/${head('github/pyproject-nix/uv2nix.git')}"`));
  assert.match(text, /\[pyproject_build_systems\]\n\turl = "github:pyproject-nix\/build-system-pkgs\/master\/[0-9a-f]{40}"/);
  assert.doesNotMatch(text, /ancient/);

  const written = tempProject(
    ['[uv2nix]', 'url = "github:pyproject-nix/uv2nix"', '[ancient_poetry]', 'url = "git+https://codeberg.org/TyberiusPrime/ancient-poetry.git"'].join('\n'),
  );
  const r = runCli(['tofu'], { cwd: written });
  assert.equal(r.code, 0, r.stderr);
  const pinned = read(written);
  assert.match(pinned, new RegExp(`url = "github:pyproject-nix/uv2nix/master/${head('github/pyproject-nix/uv2nix.git')}"`));
  assert.match(pinned, new RegExp(`url = "git\\+https://codeberg\\.org/TyberiusPrime/ancient-poetry\\.git\\?ref=main&rev=${head('codeberg/TyberiusPrime/ancient-poetry.git')}"`));
  assert.doesNotMatch(pinned, /pyproject_build_systems/);
});

test('the resolution modes: tag vs branch for nixpkgs, newest commit, shorthand, export-subst', () => {
  const cwd = tempProject(
    [
      '[nixpkgs]',
      'url = "github:NixOS/nixpkgs/24.05" # a tag, not a branch',
      '[outside_nixpkgs]',
      'url = "github:NixOS/nixpkgs/nixos-24.05" # a branch: pinned to the newest release tag',
      '[python]',
      'version = "3.12"',
      'ecosystem_date = "2024-08-09"',
      '[python.packages]',
      'i3-instant-layout = { url = "github:TyberiusPrime/i3-instant-layout", build_systems = ["setuptools"] }',
      'dppd = { url = "git+https://github.com/tyberiusprime/dppd" }',
      'hello = "github:TyberiusPrime/hello_flake" # shorthand',
      'plotnine = { url = "github:has2k1/plotnine/main" }',
    ].join('\n'),
  );
  const r = runCli(['tofu'], { cwd });
  assert.equal(r.code, 0, r.stderr);
  const text = read(cwd);
  assert.match(text, /url = "github:NixOS\/nixpkgs\/master\/24\.05" # a tag, not a branch/);
  assert.match(text, /url = "github:NixOS\/nixpkgs\/nixos-24\.05\/24\.11" # a branch/);
  assert.match(
    text,
    new RegExp(
      `i3-instant-layout = \\{ url = "github:TyberiusPrime/i3-instant-layout/master/${head('github/TyberiusPrime/i3-instant-layout.git')}", build_systems = \\["setuptools"\\] \\}`,
    ),
  );
  assert.match(text, new RegExp(`dppd = \\{ url = "git\\+https://github\\.com/tyberiusprime/dppd\\?ref=main&rev=${head('github/tyberiusprime/dppd.git')}" \\}`));
  assert.match(text, new RegExp(`hello = \\{ url = "github:TyberiusPrime/hello_flake/main/${head('github/TyberiusPrime/hello_flake.git')}" \\} # shorthand`));
  // plotnine's .gitattributes uses export-subst: github: tarballs are not stable, so git+https.
  assert.match(text, new RegExp(`plotnine = \\{ url = "git\\+https://github\\.com/has2k1/plotnine\\.git\\?ref=main&rev=${head('github/has2k1/plotnine.git')}" \\}`));
  assert.match(r.stderr, /export-subst/);
});

test('--dry-run shows the rewrite as a diff and writes nothing; --explain names the sources', () => {
  const cwd = tempProject('[nixpkgs]\nurl = "github:NixOS/nixpkgs"\n');
  const before = read(cwd);
  const r = runCli(['tofu', '--dry-run', '--explain'], { cwd });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(read(cwd), before);
  assert.match(r.stderr, /would change:/);
  assert.match(r.stderr, /^- url = "github:NixOS\/nixpkgs"$/m);
  assert.match(r.stderr, /^\+ \turl = "github:NixOS\/nixpkgs\/master\/24\.11"$/m);
  assert.match(r.stderr, /nixpkgs\.url = "github:NixOS\/nixpkgs\/master\/24\.11" {2}← git ls-remote github:NixOS\/nixpkgs \(newest tag matching/);
});

test('credentials are kept in the written url and stripped from what is shown', () => {
  const cwd = tempProject('[clones.code]\nrepo = "git+https://fixture-user:fixture-token@github.com/tyberiusprime/dppd"\n');
  const r = runCli(['tofu', '--explain'], { cwd });
  assert.equal(r.code, 0, r.stderr);
  assert.match(read(cwd), /repo = "git\+https:\/\/fixture-user:fixture-token@github\.com\/tyberiusprime\/dppd\?ref=main&rev=[0-9a-f]{40}"/);
  assert.doesNotMatch(r.stderr, /fixture-token/);
});

test('a failing remote leaves the file byte-identical', () => {
  const text = '# keep me\n[clones.code]\nmissing = "github:owner/does-not-exist"\n[nixpkgs]\nurl = "github:NixOS/nixpkgs"\n';
  const cwd = tempProject(text);
  const r = runCli(['run', '--', 'true'], { cwd });
  assert.equal(r.code, 70, r.stderr);
  assert.match(r.stderr, /pinning failed, anysnake2\.toml is unchanged/);
  assert.match(r.stderr, /clones\.code\.missing: could not query https:\/\/github\.com\/owner\/does-not-exist\.git with git ls-remote/);
  assert.equal(read(cwd), text);
  const ambiguous = tempProject('[flakes.x]\nurl = "github:owner/no-default"\n');
  const a = runCli(['tofu'], { cwd: ambiguous });
  assert.equal(a.code, 70);
  assert.match(a.stderr, /has no main or master branch.*Found: dev, feature/s);
});

test('an unreachable host times out (exit 75) instead of hanging, file untouched', { timeout: 60_000 }, async () => {
  // A server that accepts connections and never answers.
  const server = createServer(() => {}).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const port = (server.address() as { port: number }).port;
  const text = `[clones.code]\nslow = "git+http://127.0.0.1:${port}/repo.git"\n`;
  const cwd = tempProject(text);
  const started = Date.now();
  const child = spawn(process.execPath, [BIN, 'tofu'], { cwd, env: testEnv({ ANYSNAKE2_NETWORK_TIMEOUT_MS: '700' }) });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const code = await new Promise((r) => child.on('close', r));
  server.close();
  assert.equal(code, 75, stderr);
  assert.ok(Date.now() - started < 15_000, `took ${Date.now() - started} ms`);
  assert.match(stderr, /127\.0\.0\.1/);
  assert.match(stderr, /killed after 700 ms timeout/);
  assert.equal(read(cwd), text);
});

test('a fully pinned config asks no remote: not a single git process', () => {
  const cwd = tempProject('');
  assert.equal(runCli(['tofu'], { cwd }).code, 0);
  const bin = mkdtempSync(join(tmpdir(), 'as2-fakegit-'));
  const calls = join(bin, 'calls');
  writeFileSync(join(bin, 'git'), `#!/bin/sh\necho "$*" >> '${calls}'\nexit 1\n`);
  chmodSync(join(bin, 'git'), 0o755);
  const r = runCli(['tofu'], { cwd, env: { PATH: `${bin}:${process.env.PATH}` } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(existsSync(calls), false, existsSync(calls) ? readFileSync(calls, 'utf8') : '');
});

test('kill -9 during pinning never leaves a broken or half-written file', async () => {
  const original = '# comment survives\n[nixpkgs]\nurl = "github:NixOS/nixpkgs"\n';
  for (const delay of [30, 80, 150, 250, 400, 600]) {
    const cwd = tempProject(original);
    const child = spawn(process.execPath, [BIN, 'tofu'], { cwd, env: testEnv() });
    const closed = new Promise((r) => child.on('close', r));
    await new Promise((r) => setTimeout(r, delay));
    child.kill('SIGKILL');
    await closed;
    const text = read(cwd);
    assert.ok(
      text === original || (text.includes('# comment survives') && text.includes('github:NixOS/nixpkgs/master/24.11') && text.includes('[flake-util]')),
      `after ${delay} ms:\n${text}`,
    );
  }
});

test('clones: checked out once at the pinned revision; a changed url never throws the checkout away', () => {
  const cwd = containerProject(
    '[clones.code]\nhello = "github:TyberiusPrime/hello_flake"\n[clone_options]\nclone_regexps = { "^@fixture/(.+)$" = "github:$1" }\n[clones.more]\ndppd = "@fixture/tyberiusprime/dppd"\n',
  );
  const r = runCli(['run', '--', 'true'], { cwd });
  assert.equal(r.code, 0, r.stderr);
  const rev = head('github/TyberiusPrime/hello_flake.git');
  assert.equal(execFileSync('git', ['-C', join(cwd, 'code', 'hello'), 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim(), rev);
  assert.deepEqual(JSON.parse(readFileSync(join(cwd, 'code', '.clone_info.json'), 'utf8')), { hello: `github:TyberiusPrime/hello_flake/main/${rev}` });
  assert.ok(existsSync(join(cwd, 'more', 'dppd', 'README')), 'clone_regexps rewrote the url');
  writeFileSync(
    join(cwd, 'anysnake2.toml'),
    read(cwd).replace(/hello = "[^"]+"/, `hello = "github:TyberiusPrime/hello_flake/main/${head('github/TyberiusPrime/hello_flake.git', 'HEAD~1')}"`),
  );
  const changed = runCli(['run', '--', 'true'], { cwd });
  assert.equal(changed.code, 65, changed.stderr);
  assert.match(changed.stderr, /the url of the clone code\/hello changed: .*Refusing to throw away the old checkout/);
  assert.match(changed.stderr, /anysnake2\.toml:\d+:\d+.*clones\.code\.hello/, 'the key that changed, with its position');
  assert.equal(execFileSync('git', ['-C', join(cwd, 'code', 'hello'), 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim(), rev);
  // The record is what guards the checkout: damaged, it is an error naming it, not an empty record.
  writeFileSync(join(cwd, 'code', '.clone_info.json'), '{"hello": ');
  const damaged = runCli(['run', '--', 'true'], { cwd });
  assert.equal(damaged.code, 65, damaged.stderr);
  assert.match(damaged.stderr, /code\/\.clone_info\.json is damaged: it must be a JSON object/);
  assert.match(damaged.stderr, /delete it: the checkouts beside it are kept/);
  assert.doesNotMatch(damaged.stderr, /^\s+at /m);
  assert.equal(execFileSync('git', ['-C', join(cwd, 'code', 'hello'), 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim(), rev);
});

test('lookups go through http_proxy / https_proxy, except for no_proxy hosts', { timeout: 60_000 }, async () => {
  const seen: string[] = [];
  // A proxy that records what it is asked for and answers every request with 502.
  const proxy = createServer((socket) => {
    socket.once('data', (data) => {
      seen.push(data.toString('latin1').split('\r\n')[0]!);
      socket.end('HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
    });
  }).listen(0, '127.0.0.1');
  await new Promise((r) => proxy.once('listening', r));
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
  const text = '[clones.code]\nx = "git+http://packages.example.invalid/repo.git"\n';
  const run = (env: NodeJS.ProcessEnv) =>
    new Promise<{ code: number; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'tofu'], { cwd: tempProject(text), env: testEnv({ ANYSNAKE2_NETWORK_TIMEOUT_MS: '5000', ...env }) });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code: code ?? -1, stderr }));
    });
  const viaProxy = await run({ http_proxy: proxyUrl });
  assert.equal(viaProxy.code, 75, viaProxy.stderr);
  assert.ok(
    seen.some((line) => line.includes('packages.example.invalid')),
    `the proxy saw: ${seen.join(' | ')}`,
  );
  const count = seen.length;
  const bypassed = await run({ http_proxy: proxyUrl, no_proxy: 'example.invalid' });
  proxy.close();
  assert.equal(bypassed.code, 75, bypassed.stderr);
  assert.match(bypassed.stderr, /resolve host/i);
  assert.equal(seen.length, count, 'no_proxy hosts bypass the proxy');
});
