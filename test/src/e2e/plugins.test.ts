/**
 * Third-party plugins: the example plugin in test/fixtures/plugin-hello is packed, installed into a
 * temporary oclif data dir with `anysnake2 plugins install`, and its emitFlake tap adds a package.
 * Plugin code is loaded only for commands that need it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, runCli, tempProject } from '../support/cli.js';

test('plugins install | link | uninstall, with the example plugin', async (t) => {
  const data = mkdtempSync(join(tmpdir(), 'as2-data-'));
  const packDir = mkdtempSync(join(tmpdir(), 'as2-pack-'));
  const marker = join(mkdtempSync(join(tmpdir(), 'as2-marker-')), 'loaded');
  const env = { ANYSNAKE2_DATA_DIR: data, HELLO_PLUGIN_MARKER: marker, npm_config_offline: 'true' };
  const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', packDir, join(FIXTURES, 'plugin-hello')], {
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .pop()!;
  const cwd = tempProject('[hello]\npackage = "cowsay"\n');

  await t.test('without the plugin, [hello] names the plugin to install', () => {
    const r = runCli(['build', 'flake'], { cwd, env });
    assert.equal(r.code, 65);
    assert.match(r.stderr, /anysnake2 plugins install anysnake2-plugin-hello/);
  });

  await t.test('install from the packed tarball', () => {
    const r = runCli(['plugins', 'install', `file:${join(packDir, tarball)}`], { cwd, env });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    const list = runCli(['plugins'], { cwd, env });
    assert.match(list.stdout, /anysnake2-plugin-hello/);
  });

  await t.test('--help, --version, version and config load no plugin code', () => {
    rmSync(marker, { force: true });
    for (const args of [['--help'], ['--version'], ['version'], ['config', 'basic'], ['help', 'build', 'flake']]) assert.equal(runCli(args, { cwd, env }).code, 0, args.join(' '));
    assert.equal(existsSync(marker), false, 'plugin hook module was imported');
  });

  await t.test('its emitFlake tap adds its package to the generated flake', () => {
    const r = runCli(['build', 'flake'], { cwd, env });
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(marker), 'build flake applies plugins');
    assert.match(readFileSync(join(cwd, '.anysnake2_flake', 'flake.nix'), 'utf8'), /^\s+pkgs\.cowsay$/m);
  });

  await t.test('uninstall, then link from source', () => {
    assert.equal(runCli(['plugins', 'uninstall', 'anysnake2-plugin-hello'], { cwd, env }).code, 0);
    assert.equal(runCli(['build', 'flake'], { cwd, env }).code, 65);
    const link = runCli(['plugins', 'link', join(FIXTURES, 'plugin-hello'), '--no-install'], { cwd, env });
    assert.equal(link.code, 0, link.stderr);
    assert.equal(runCli(['build', 'flake'], { cwd, env }).code, 0);
  });
});
