/**
 * `anysnake2 plugins new`: the scaffold of a third-party plugin, outside the repository, installs
 * its dev dependencies from the npm registry (TypeScript, TypeBox) and the core's published types
 * from this checkout (a file: link), builds, passes its own node:test tests, links, and anysnake2
 * uses it: the section is validated and pinned and reaches flake.nix; the runtime is checked by
 * doctor and its LaunchSpec is what `run` starts. Bad names and occupied folders are refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { containerProject, runCli, tempProject } from '../support/cli.js';

const noNesting = { ANYSNAKE2_INSIDE: '', SINGULARITY_NAME: '', APPTAINER_NAME: '' };

/** A command with a deadline; on timeout its whole process group is killed. */
function run(command: string, args: string[], cwd: string, timeoutMs = 300_000): Promise<{ code: number; output: string; stdout: string }> {
  return new Promise((resolve) => {
    // NODE_TEST_CONTEXT would make the plugin's own `node --test` think it is a child of this runner and run nothing.
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    const child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...env, NO_COLOR: '1' } });
    let output = '';
    let stdout = '';
    child.stdout.on('data', (d) => ((output += d), (stdout += d)));
    child.stderr.on('data', (d) => (output += d));
    const timer = setTimeout(() => {
      output += `\n(killed after ${timeoutMs} ms)`;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {}
    }, timeoutMs);
    child.on('close', (code) => (clearTimeout(timer), resolve({ code: code ?? -1, output, stdout })));
  });
}

/** plugins new, npm install, npm run build, npm test: the steps the scaffold's README gives. */
async function scaffold(name: string, flag: string, env: NodeJS.ProcessEnv): Promise<string> {
  const parent = mkdtempSync(join(tmpdir(), 'as2-new-'));
  const created = runCli(['plugins', 'new', name, flag], { cwd: parent, env });
  assert.equal(created.code, 0, created.stderr);
  const dir = join(parent, name);
  for (const file of ['package.json', 'tsconfig.json', 'README.md', 'src/index.ts', 'src/plugin.ts', 'test/plugin.test.ts']) assert.ok(existsSync(join(dir, file)), file);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  assert.deepEqual(pkg.anysnake2, { apiVersion: '2' });
  assert.match(readFileSync(join(dir, 'src', 'plugin.ts'), 'utf8'), /from '@anysnake2\/core\/plugin-api'/);
  const install = await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline'], dir);
  assert.equal(install.code, 0, install.output);
  const build = await run('npm', ['run', 'build'], dir);
  assert.equal(build.code, 0, build.output);
  const own = await run('npm', ['test'], dir);
  assert.equal(own.code, 0, own.output);
  // node --test's default report: TAP on Node 20 without a terminal, spec from Node 23 on.
  assert.match(own.output, /^(?:# |ℹ )pass [1-9]/m);
  assert.match(own.output, /^(?:# |ℹ )fail 0$/m);
  const link = runCli(['plugins', 'link', dir, '--no-install'], { cwd: parent, env });
  assert.equal(link.code, 0, link.stderr);
  return dir;
}

test('plugins new --section: builds, tests itself, links; check validates [demo], build flake pins it and adds its package', { timeout: 900_000 }, async () => {
  const env = { ...noNesting, ANYSNAKE2_DATA_DIR: mkdtempSync(join(tmpdir(), 'as2-data-')) };
  const dir = await scaffold('anysnake2-plugin-demo', '--section', env);

  const listed = runCli(['plugins'], { cwd: tmpdir(), env });
  assert.match(listed.stdout, /anysnake2-plugin-demo 0\.1\.0 \(link\)/);
  const bad = runCli(['check'], { cwd: tempProject('[demo]\npackages = ["hello", "not a name"]\npinned_on = "yesterday"\n'), env });
  assert.equal(bad.code, 65, bad.stderr);
  assert.doesNotMatch(bad.stderr, /Warning|transpile/, 'a linked plugin runs as built, without oclif warnings');
  assert.match(bad.stderr, /anysnake2\.toml:2:\d+: demo\.packages\[1\]: "not a name" is not a nixpkgs attribute name/);
  assert.match(bad.stderr, /anysnake2\.toml:3:1: demo\.pinned_on: must be a date such as "2026-01-31"/, "the schema's errorMessage");
  const unknown = runCli(['check'], { cwd: tempProject('[demo]\nflavour = "x"\n'), env });
  assert.equal(unknown.code, 65, 'additionalProperties: false');
  assert.match(unknown.stderr, /demo\.flavour/);

  const cwd = containerProject('[demo]\npackages = ["hello"]\n', []);
  const built = runCli(['build', 'flake'], { cwd, env });
  assert.equal(built.code, 0, built.stderr);
  assert.match(readFileSync(join(cwd, 'anysnake2.toml'), 'utf8'), /\[demo\]\n\s*packages = \["hello"\]\n\s*pinned_on = "\d{4}-\d\d-\d\d"\n/, 'pinned on first use');
  assert.match(readFileSync(join(cwd, '.anysnake2_flake', 'flake.nix'), 'utf8'), /\bpkgs\.hello\b/, "the section's package reached the flake");
  // Published: npm pack, then `plugins install` of the tarball into another data dir (the optional
  // peer dependency on the unpublished core is not fetched; the tarball holds the plugin, not its tests).
  const packed = await run('npm', ['pack', '--silent'], dir);
  assert.equal(packed.code, 0, packed.output);
  const tarball = join(dir, packed.stdout.trim().split('\n').pop()!);
  const installEnv = { ...noNesting, ANYSNAKE2_DATA_DIR: mkdtempSync(join(tmpdir(), 'as2-data-')) };
  const installed = runCli(['plugins', 'install', `file:${tarball}`], { cwd: tmpdir(), env: installEnv });
  assert.equal(installed.code, 0, installed.stderr);
  assert.doesNotMatch(installed.stderr, /Warning/, 'all the files package.json names are in the tarball');
  assert.match(runCli(['plugins'], { cwd: tmpdir(), env: installEnv }).stdout, /^anysnake2-plugin-demo 0\.1\.0$/m);
  const again = runCli(['check'], { cwd: tempProject('[demo]\nflavour = "x"\n'), env: installEnv });
  assert.equal(again.code, 65, again.stderr);
  assert.match(again.stderr, /demo\.flavour/);
});

test('plugins new --runtime: builds, tests itself, links; doctor checks it and run starts its LaunchSpec', { timeout: 900_000 }, async () => {
  const env = { ...noNesting, ANYSNAKE2_DATA_DIR: mkdtempSync(join(tmpdir(), 'as2-data-')) };
  await scaffold('anysnake2-plugin-fakert', '--runtime', env);
  const cwd = containerProject('[container]\nruntime = "fakert"\n[container.env]\nSECRET = "s3cret"\n', ['hello']);

  const doctor = runCli(['doctor', '--json'], { cwd, env });
  const finding = (JSON.parse(doctor.stdout) as { id: string; status: string; fix?: string }[]).find((f) => f.id === 'runtime.fakert.tool');
  assert.equal(finding?.status, 'fail', doctor.stdout);
  assert.match(finding?.fix ?? '', /install fakert/);

  // A stand-in for the runtime's executable: records what anysnake2 started and the env file it wrote.
  const bin = mkdtempSync(join(tmpdir(), 'as2-bin-'));
  const record = join(bin, 'record');
  writeFileSync(
    join(bin, 'fakert'),
    `#!/bin/sh\nprintf '%s\\n' "$@" > '${record}'\nwhile [ $# -gt 0 ]; do [ "$1" = --env-file ] && cat "$2" >> '${record}'; shift; done\nexit 7\n`,
  );
  chmodSync(join(bin, 'fakert'), 0o755);
  const withTool = { ...env, PATH: `${bin}:${process.env.PATH}` };
  const started = runCli(['run', '--', 'true'], { cwd, env: withTool });
  assert.equal(started.code, 7, `the runtime's exit status: ${started.stderr}`);
  const words = readFileSync(record, 'utf8').split('\n');
  assert.equal(words[0], '--root');
  assert.match(words[1]!, /\/\.anysnake2_flake\/result\/rootfs$/);
  assert.ok(words.includes('--ro-bind') && words.includes('/anysnake2'), 'the scripts folder is bound');
  assert.ok(!words.slice(0, words.indexOf('--')).some((w) => w.includes('s3cret')), 'no secret on the command line');
  assert.match(readFileSync(record, 'utf8'), /"SECRET":"s3cret"/, 'the env file existed while the runtime ran');
});

test('plugins new refuses an invalid npm name (64) and a folder that is not empty (73), writing nothing', () => {
  const parent = mkdtempSync(join(tmpdir(), 'as2-new-'));
  const bad = runCli(['plugins', 'new', 'My Plugin'], { cwd: parent, env: noNesting });
  assert.equal(bad.code, 64, bad.stderr);
  assert.match(bad.stderr, /^error: "My Plugin" is not a valid npm package name: it has capital letters$/m);
  assert.doesNotMatch(bad.stderr, /\n\s+at /, 'no stack trace');
  mkdirSync(join(parent, 'anysnake2-plugin-taken'));
  writeFileSync(join(parent, 'anysnake2-plugin-taken', 'mine.txt'), 'keep me\n');
  const taken = runCli(['plugins', 'new', 'anysnake2-plugin-taken', '--runtime'], { cwd: parent, env: noNesting });
  assert.equal(taken.code, 73, taken.stderr);
  assert.match(taken.stderr, /anysnake2-plugin-taken exists and is not empty/);
  assert.equal(readFileSync(join(parent, 'anysnake2-plugin-taken', 'mine.txt'), 'utf8'), 'keep me\n');
  const both = runCli(['plugins', 'new', 'anysnake2-plugin-x', '--runtime', '--section'], { cwd: parent, env: noNesting });
  assert.equal(both.code, 64, both.stderr);
});
