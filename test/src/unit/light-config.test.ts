/** The light path (core/src/light): the plugins it finds are oclif's, and anything unusual goes to oclif. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Config } from '@oclif/core';
import { lightConfig } from '../../../core/dist/light/light-config.js';
import { LIGHT_HOOK_EVENT, lightCommand } from '../../../core/dist/light/light-dispatch.js';
import { discoverPlugins, PLUGIN_HOOK_EVENT } from '../../../core/dist/plugin-host.js';
import { REPO } from '../support/cli.js';

const CORE = join(REPO, 'core');

/** Runs `body` with ANYSNAKE2_DATA_DIR set to a fresh folder holding `userPjson` (when given). */
async function withDataDir<T>(userPjson: object | undefined, body: () => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'as2-datadir-'));
  if (userPjson) writeFileSync(join(dir, 'package.json'), JSON.stringify(userPjson));
  const before = process.env.ANYSNAKE2_DATA_DIR;
  process.env.ANYSNAKE2_DATA_DIR = dir;
  try {
    return await body();
  } finally {
    if (before === undefined) delete process.env.ANYSNAKE2_DATA_DIR;
    else process.env.ANYSNAKE2_DATA_DIR = before;
  }
}

const summary = (plugins: readonly { name: string; root: string; hooks: Record<string, { target: string }[] | undefined> }[]) =>
  plugins.map((p) => ({ name: p.name, root: p.root, hook: p.hooks[PLUGIN_HOOK_EVENT]?.map((h) => h.target) ?? [] })).sort((a, b) => (a.name < b.name ? -1 : 1));

test('the light config finds what oclif finds: plugins, their roots and hooks, version, data folder', async () => {
  assert.equal(LIGHT_HOOK_EVENT, PLUGIN_HOOK_EVENT);
  await withDataDir(undefined, async () => {
    const oclif = await Config.load(CORE);
    const light = lightConfig(PLUGIN_HOOK_EVENT, CORE);
    assert.ok(light, 'the shipped setup is served by the light config');
    assert.equal(light.version, oclif.version);
    assert.equal(light.dataDir, oclif.dataDir);
    assert.deepEqual(summary(light.getPluginsList() as never), summary(oclif.getPluginsList() as never));
    const names = (found: Awaited<ReturnType<typeof discoverPlugins>>) => found.map((f) => `${f.packageName}:${f.plugin.name}`).sort();
    assert.deepEqual(names(await discoverPlugins(light)), names(await discoverPlugins(oclif)));
  });
});

test('user-installed plugins send every command to oclif; an empty user plugin list does not', async () => {
  await withDataDir({ name: 'anysnake2', oclif: { schema: 1, plugins: [{ name: 'my-plugin', type: 'user' }] }, dependencies: { 'my-plugin': '1.0.0' } }, async () => {
    assert.equal(lightConfig(PLUGIN_HOOK_EVENT, CORE), undefined);
    assert.equal(lightCommand(['check']), undefined);
  });
  await withDataDir({ name: 'anysnake2', oclif: { schema: 1, plugins: [] } }, async () => {
    assert.ok(lightConfig(PLUGIN_HOOK_EVENT, CORE));
  });
  await withDataDir({ name: 'anysnake2' }, async () => assert.equal(lightConfig(PLUGIN_HOOK_EVENT, CORE), undefined, 'a user file of unknown shape'));
});

test('only plain words take the light path; help, unknown, repeated or incomplete flags go to oclif', async () => {
  await withDataDir(undefined, async () => {
    for (const argv of [
      ['check'],
      ['check', '--verbose', '-c', 'other.toml', '--offline', '--no-version-switch'],
      ['check', '--config=x.toml'],
      ['check', '--json', '--quiet'],
      ['build', 'flake', '--json'],
      ['run', '--', 'true'],
      ['run', '--verbose', '--', 'ls', '--help'],
      ['config'],
      ['config', 'basic'],
    ])
      assert.equal(typeof lightCommand(argv), 'function', argv.join(' '));
    for (const argv of [
      ['check', '--help'],
      ['check', '-h'],
      ['check', '--json', '--json'],
      ['check', '--verbose', '--verbose'],
      ['check', '-c'],
      ['check', '-c', '--verbose'],
      ['check', 'extra'],
      ['check', '--', 'x'],
      ['build', 'flake', '--bogus'],
      ['build', 'rootfs'],
      ['run', 'true'],
      ['run', '--'],
      ['run', '--help', '--', 'x'],
      ['config', 'nonsense'],
      ['config', 'basic', 'full'],
      ['doctor'],
      ['default', '--'],
    ])
      assert.equal(lightCommand(argv), undefined, argv.join(' '));
    process.env.ANYSNAKE2_NO_LIGHT_PATH = '1';
    try {
      assert.equal(lightCommand(['check']), undefined, 'ANYSNAKE2_NO_LIGHT_PATH');
    } finally {
      delete process.env.ANYSNAKE2_NO_LIGHT_PATH;
    }
  });
});
