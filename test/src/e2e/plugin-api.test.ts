/**
 * Plugin API v2 from the outside: third-party plugins written in temp folders outside the
 * repository (plain JS, the published contract only), linked with `plugins link`. An enricher's
 * additions reach the container; editing its lazily imported file (not the entry) makes the next
 * run miss the warm path; a plugin for another API version, or one still tapping API 1's `run`
 * hook, is refused at load with exit 69 and one clear line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { containerProject, runCli } from '../support/cli.js';

const noNesting = { ANYSNAKE2_INSIDE: '', SINGULARITY_NAME: '', APPTAINER_NAME: '', ANYSNAKE2_DEBUG_WARM_PATH: '1' };

/** A plugin package in a fresh temp folder: a tiny entry in dist/ that imports dist/plugin.js when applied. */
function writePlugin(name: string, apiVersion: string | undefined, pluginJs: string): string {
  const root = mkdtempSync(join(tmpdir(), `as2-${name}-`));
  mkdirSync(join(root, 'dist'));
  const pkg: Record<string, unknown> = { name, version: '1.0.0', type: 'module', license: 'MIT', oclif: { hooks: { 'anysnake2:plugin': './dist/index.js' } } };
  if (apiVersion !== undefined) pkg['anysnake2'] = { apiVersion };
  writeFileSync(join(root, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  writeFileSync(join(root, 'dist', 'index.js'), `export default async function () {\n  return (await import('./plugin.js')).default;\n}\n`);
  writeFileSync(join(root, 'dist', 'plugin.js'), pluginJs);
  return root;
}

const enricher = (value: string) => `export default {
  name: 'greeter',
  apply(api) {
    api.hooks.enrichRun.tap('greeter', (plan) => ({ env: { FROM_PLUGIN: '${value}', SAW_PATH: plan.env.PATH } }));
  },
};
`;

test('an enricher from a linked plugin reaches the container; editing its lazily imported file misses the warm path', { timeout: 600_000 }, () => {
  const data = mkdtempSync(join(tmpdir(), 'as2-data-'));
  const env = { ...noNesting, ANYSNAKE2_DATA_DIR: data, npm_config_offline: 'true' };
  const plugin = writePlugin('anysnake2-plugin-greeter', '2', enricher('first'));
  const cwd = containerProject('', ['hello']);
  const link = runCli(['plugins', 'link', plugin, '--no-install'], { cwd, env });
  assert.equal(link.code, 0, link.stderr);

  const words = ['run', '--', 'echo "$FROM_PLUGIN $SAW_PATH"'];
  const first = runCli(words, { cwd, env });
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stdout, 'first /bin\n');
  const second = runCli(words, { cwd, env });
  assert.match(second.stderr, /warm path hit/);
  assert.equal(second.stdout, 'first /bin\n');

  writeFileSync(join(plugin, 'dist', 'plugin.js'), enricher('edited'));
  const third = runCli(words, { cwd, env });
  assert.equal(third.code, 0, third.stderr);
  assert.match(third.stderr, /warm path missed: anysnake2 or a plugin changed/);
  assert.equal(third.stdout, 'edited /bin\n', 'the full path ran the edited plugin');
});

test('a plugin for another API version is refused at load: exit 69, one line naming it', { timeout: 300_000 }, () => {
  const data = mkdtempSync(join(tmpdir(), 'as2-data-'));
  const env = { ...noNesting, ANYSNAKE2_DATA_DIR: data, npm_config_offline: 'true' };
  const plugin = writePlugin('anysnake2-plugin-ancient', '1', `export default { name: 'ancient', apply() {} };\n`);
  const cwd = containerProject('', ['hello']);
  assert.equal(runCli(['plugins', 'link', plugin, '--no-install'], { cwd, env }).code, 0);
  const r = runCli(['build', 'flake'], { cwd, env });
  assert.equal(r.code, 69, r.stderr);
  assert.match(r.stderr, /^error: the plugin anysnake2-plugin-ancient 1\.0\.0 is written for plugin API 1; this anysnake2 has plugin API 2$/m);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
});

test("a plugin that still taps API 1's run hook is refused with what replaced it", { timeout: 300_000 }, () => {
  const data = mkdtempSync(join(tmpdir(), 'as2-data-'));
  const env = { ...noNesting, ANYSNAKE2_DATA_DIR: data, npm_config_offline: 'true' };
  const plugin = writePlugin(
    'anysnake2-plugin-oldrt',
    undefined,
    `export default { name: 'oldrt', apply(api) { api.hooks.run.tapPromise('oldrt', async (plan, ctx) => ctx.launch(['true'])); } };\n`,
  );
  const cwd = containerProject('', ['hello']);
  assert.equal(runCli(['plugins', 'link', plugin, '--no-install'], { cwd, env }).code, 0);
  const r = runCli(['run', '--', 'true'], { cwd, env });
  assert.equal(r.code, 69, r.stderr);
  assert.match(
    r.stderr,
    /\[oldrt\] apply: uses hooks\.run, which plugin API 2 replaced: a runtime registers plan\(\) with api\.runtimes\.register, an enricher taps hooks\.enrichRun/,
  );
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
});

/** A `[node]`-like ecosystem from outside the repository: schema, semantic check, a tofu pin, an environment. */
const nodeEcosystem = `export default {
  name: 'node',
  apply(api) {
    const T = api.schema;
    api.sections.register({
      name: 'node',
      description: 'A Node.js environment (test plugin)',
      schema: T.Object(
        {
          version: T.String({ description: 'major version, e.g. "22"' }),
          packages: T.Array(T.String(), { default: [] }),
          registry_date: T.Optional(T.String({ description: 'pinned on first use' })),
        },
        { additionalProperties: false },
      ),
      check(value, report) {
        if (!/^\\d+$/.test(value.version)) report.error(['version'], \`\${JSON.stringify(value.version)} is not a major version\`, 'write a number such as "22"');
      },
    });
    api.hooks.resolve.tap('node', (ctx) => {
      if (ctx.config.section('node') && !ctx.config.isWritten(['node', 'registry_date']))
        ctx.pin({ path: ['node', 'registry_date'], value: '2026-01-02', source: 'the test registry' });
    });
    api.hooks.emitFlake.tap('node', (flake, ctx) => {
      const node = ctx.config.section('node');
      if (!node) return;
      flake.let('node_env', api.nix.select(api.nix.id('pkgs'), ['hello']));
      flake.addPackage(api.nix.id('node_env'));
      flake.registerEnvironment({ kind: 'node', binding: 'node_env', facts: { version: node.version, packages: node.packages } });
    });
  },
};
`;

test('a [node]-like ecosystem plugin from outside the repository: schema, check, tofu pin, flake', { timeout: 300_000 }, () => {
  const data = mkdtempSync(join(tmpdir(), 'as2-data-'));
  const env = { ...noNesting, ANYSNAKE2_DATA_DIR: data, npm_config_offline: 'true' };
  const plugin = writePlugin('anysnake2-plugin-node', '2', nodeEcosystem);
  const bad = containerProject('[node]\nversion = "latest"\n', ['hello']);
  assert.equal(runCli(['plugins', 'link', plugin, '--no-install'], { cwd: bad, env }).code, 0);
  const checked = runCli(['check'], { cwd: bad, env });
  assert.equal(checked.code, 65, checked.stderr);
  assert.match(checked.stderr, /anysnake2\.toml:\d+:\d+.*node\.version.*"latest" is not a major version/);
  const unknown = runCli(['check'], { cwd: containerProject('[node]\nversion = "22"\nflavour = "x"\n', ['hello']), env });
  assert.notEqual(unknown.code, 0, 'additionalProperties: false refuses unknown keys');

  const cwd = containerProject('[node]\nversion = "22"\n', ['hello']);
  const built = runCli(['build', 'flake'], { cwd, env });
  assert.equal(built.code, 0, built.stderr);
  assert.match(readFileSync(join(cwd, 'anysnake2.toml'), 'utf8'), /registry_date = "2026-01-02"/, 'the pin was written back');
  assert.match(readFileSync(join(cwd, '.anysnake2_flake', 'flake.nix'), 'utf8'), /node_env = pkgs\.hello;/);
});
