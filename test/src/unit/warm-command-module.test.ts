/**
 * Which module a plugin command's warm path may import (core/src/warm/warm-command.ts): only the
 * one an installed plugin declares for its own command word, inside the plugin's folder — never
 * one for a core word, a word the plugin does not own, or a path that leaves the plugin.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pluginPackages, type PluginPackage } from '../../../core/dist/command-words.js';
import { declaredWarmModule } from '../../../core/dist/warm/warm-command.js';
import { REPO } from '../support/cli.js';

function plugin(name: string, anysnake2: object): PluginPackage {
  const root = mkdtempSync(join(tmpdir(), 'as2-warmmod-'));
  mkdirSync(join(root, 'lib'));
  const pjson = { name, version: '1.0.0', anysnake2 };
  writeFileSync(join(root, 'package.json'), JSON.stringify(pjson));
  return { root, pjson };
}

test("the bundled plugins' warm modules are found where they declare them", () => {
  const installed = pluginPackages(join(REPO, 'core'));
  const declared = installed.flatMap(({ pjson }) => Object.keys(pjson.anysnake2?.warm ?? {}));
  assert.ok(declared.length > 0, 'no bundled plugin declares a warm module');
  for (const word of declared) {
    const found = declaredWarmModule(word, installed);
    assert.equal(typeof found, 'object', `${word}: ${String(found)}`);
    if (typeof found === 'object') assert.match(found.module, /\/lib\/[^/]+\.js$/);
  }
});

test('a warm module is only one a plugin declares for its own word, inside its folder', () => {
  const good = plugin('good', { commands: { deploy: 'switch' }, warm: { deploy: './lib/deploy-warm.js' } });
  const found = declaredWarmModule('deploy', [good]);
  assert.deepEqual(found, { plugin: 'good', module: join(good.root, 'lib', 'deploy-warm.js') });
  // The first plugin that declares the word owns it (as command-words.ts decides): a later one's module is not used.
  const later = plugin('later', { commands: { deploy: 'switch' }, warm: { deploy: './lib/other.js' } });
  assert.deepEqual(declaredWarmModule('deploy', [good, later]), found);
  assert.equal(typeof declaredWarmModule('deploy', [plugin('first', { commands: { deploy: 'read' } }), good]), 'string', "the owner has none: another's is not taken");

  for (const [what, anysnake2, word] of [
    ['a word it does not declare as a command', { commands: {}, warm: { deploy: './lib/x.js' } }, 'deploy'],
    ["a core word (the core's own commands are never replayed by a plugin)", { commands: { build: 'switch' }, warm: { build: './lib/x.js' } }, 'build'],
    ['a path leaving the plugin', { commands: { deploy: 'switch' }, warm: { deploy: '../../../tmp/evil.js' } }, 'deploy'],
    ['an absolute path', { commands: { deploy: 'switch' }, warm: { deploy: '/tmp/evil.js' } }, 'deploy'],
    ['a dependency of the plugin', { commands: { deploy: 'switch' }, warm: { deploy: './node_modules/x/index.js' } }, 'deploy'],
    ['not a module', { commands: { deploy: 'switch' }, warm: { deploy: './lib/data.json' } }, 'deploy'],
    ['not a string', { commands: { deploy: 'switch' }, warm: { deploy: { path: './lib/x.js' } } }, 'deploy'],
    ['a word that cannot name a file', { commands: { '../x': 'switch' }, warm: { '../x': './lib/x.js' } }, '../x'],
  ] as const) {
    const answer = declaredWarmModule(word, [plugin('p', anysnake2)]);
    assert.equal(typeof answer, 'string', `${what}: ${JSON.stringify(answer)}`);
  }
});
