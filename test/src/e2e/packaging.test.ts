/**
 * The published packages work on their own: `npm pack` of every workspace (its prepack builds),
 * the tarballs installed into an empty global prefix (dependencies from the npm registry or the
 * local npm cache), and the installed `anysnake2` answers --version, lists plugins, and builds a
 * flake of a small project with the offline fixture universe.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO, containerProject, testEnv } from '../support/cli.js';
import { nixParses } from '../support/nix.js';

interface PackResult {
  name: string;
  filename: string;
  size: number;
  files: { path: string }[];
}
interface PackageJson {
  name: string;
  license?: string;
  repository?: { url?: string; directory?: string };
  homepage?: string;
  bugs?: { url?: string };
  scripts?: Record<string, string>;
  engines?: { node?: string };
}

const WORKSPACES = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces;
const npm = (args: string[], cwd: string) => spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 600_000 });

test('every package.json says where it comes from, its licence and Node.js lines, and builds before it is packed', () => {
  assert.match(readFileSync(join(REPO, 'LICENSE'), 'utf8'), /^MIT License\n\nCopyright \(c\) .* anysnake2 contributors\n/);
  for (const workspace of WORKSPACES) {
    const pkg = JSON.parse(readFileSync(join(REPO, workspace, 'package.json'), 'utf8')) as PackageJson;
    assert.equal(pkg.license, 'MIT', pkg.name);
    assert.match(pkg.repository?.url ?? '', /^git\+https:\/\/.+\.git$/, `${pkg.name} repository`);
    assert.equal(pkg.repository?.directory, workspace, `${pkg.name} repository.directory`);
    assert.match(pkg.homepage ?? '', /^https:\/\//, `${pkg.name} homepage`);
    assert.match(pkg.bugs?.url ?? '', /^https:\/\/.+\/issues$/, `${pkg.name} bugs`);
    assert.match(pkg.scripts?.['prepack'] ?? '', /scripts\/prepack\.mjs$/, `${pkg.name} prepack`);
    assert.ok(existsSync(join(REPO, workspace, 'README.md')), `${pkg.name} README.md`);
    for (const line of ['^20.19.0', '^22.12.0', '>=24.0.0']) assert.ok(pkg.engines?.node?.includes(line), `${pkg.name} engines: ${pkg.engines?.node}`);
  }
});

test("the tool's own flake (url2 git pins) builds with Node.js 22 or newer", () => {
  const lines = [...readFileSync(join(REPO, 'flake.nix'), 'utf8').matchAll(/\bnodejs_(\d+)\b/g)].map((m) => Number(m[1]));
  assert.ok(lines.length > 0, 'flake.nix names a nodejs_NN');
  for (const line of lines) assert.ok(line >= 22, `flake.nix uses nodejs_${line}`);
});

test('the packed tarballs install into an empty global prefix and the installed anysnake2 builds a flake', { timeout: 1_200_000 }, () => {
  const work = mkdtempSync(join(tmpdir(), 'as2-packaging-'));
  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);
  const packed = npm(['pack', '--workspaces', '--pack-destination', tarballs, '--json', '--loglevel=error'], REPO);
  assert.equal(packed.status, 0, packed.stderr);
  const results = JSON.parse(packed.stdout) as PackResult[];
  assert.equal(results.length, WORKSPACES.length);
  for (const r of results) {
    const paths = r.files.map((f) => f.path);
    assert.deepEqual(
      paths.filter((p) => p.endsWith('.tsbuildinfo')),
      [],
      `${r.name}: no build cache in the tarball`,
    );
    for (const needed of ['LICENSE', 'README.md', 'package.json']) assert.ok(paths.includes(needed), `${r.name} lacks ${needed}`);
    assert.ok(
      paths.some((p) => p.startsWith('dist/') && p.endsWith('.js')),
      `${r.name}: built code`,
    );
  }
  const core = results.find((r) => r.name === '@anysnake2/core')!;
  // templates/: what `plugins new` copies (gitignore without its dot: npm pack would drop .gitignore).
  for (const needed of [
    'bin/run.js',
    'bin/package.json',
    'oclif.manifest.json',
    'examples/minimal.toml',
    'templates/plugin/common/gitignore',
    'templates/plugin/runtime/src/plugin.ts',
  ])
    assert.ok(
      core.files.some((f) => f.path === needed),
      `core lacks ${needed}`,
    );

  const prefix = join(work, 'prefix');
  const files = readdirSync(tarballs).map((f) => `./${f}`);
  // --prefer-offline: what npm ci put into the cache is used as is; the rest comes from the registry.
  const installed = npm(['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...files], tarballs);
  assert.equal(installed.status, 0, installed.stderr);
  const bin = join(prefix, 'bin', 'anysnake2');
  assert.ok(existsSync(bin), 'anysnake2 is on the prefix PATH');
  const run = (args: string[], cwd: string) => spawnSync(bin, args, { cwd, encoding: 'utf8', env: testEnv({ PATH: `${join(prefix, 'bin')}:${process.env.PATH}` }) });

  const version = run(['--version'], work);
  assert.equal(version.status, 0, version.stderr);
  assert.match(version.stdout, /^anysnake2 \d+\.\d+\.\d+/);
  const plugins = run(['plugins'], work);
  assert.equal(plugins.status, 0, plugins.stderr);
  // The bundled plugins load from the installed tree: their sections are in the schema.
  const schema = run(['schema'], work);
  assert.equal(schema.status, 0, schema.stderr);
  const sections = Object.keys((JSON.parse(schema.stdout) as { properties: object }).properties);
  for (const section of ['python', 'R', 'rust', 'flakes', 'nixpkgs']) assert.ok(sections.includes(section), `schema lacks [${section}]`);

  const project = containerProject();
  const built = run(['build', 'flake'], project);
  assert.equal(built.status, 0, built.stderr);
  const flake = join(project, '.anysnake2_flake', 'flake.nix');
  assert.ok(nixParses(flake).ok, 'the installed CLI wrote a flake Nix can parse');
  assert.ok(!existsSync(join(prefix, 'lib', 'node_modules', '@anysnake2', 'core', 'dist', '.tsbuildinfo')));

  // A plugin scaffolded by the installed anysnake2 builds against its types (a file: link to the
  // installed package, whose own dependencies bring TypeBox's and tapable's types) and passes its test.
  const created = run(['plugins', 'new', 'anysnake2-plugin-fromglobal', '--runtime'], work);
  assert.equal(created.status, 0, created.stderr);
  const pluginDir = join(work, 'anysnake2-plugin-fromglobal');
  const { NODE_TEST_CONTEXT: _, ...npmEnv } = process.env; // else the plugin's node --test runs nothing
  for (const args of [['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], ['run', 'build'], ['test']]) {
    const step = spawnSync('npm', args, { cwd: pluginDir, encoding: 'utf8', env: { ...npmEnv, NO_COLOR: '1' }, timeout: 300_000 });
    assert.equal(step.status, 0, `npm ${args[0]}: ${step.stdout}${step.stderr}`);
    // node --test's default report: TAP on Node 20 without a terminal, spec from Node 23 on.
    if (args[0] === 'test') {
      assert.match(step.stdout, /^(?:# |ℹ )pass [1-9]/m);
      assert.match(step.stdout, /^(?:# |ℹ )fail 0$/m);
    }
  }
});
