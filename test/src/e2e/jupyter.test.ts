/**
 * Jupyter kernels through the data model: with jupyter among the Python packages, the python3
 * kernel (from ipykernel, inside the uv2nix venv), IRkernel's from [R], evcxr's from [rust] and a
 * kernel a third-party plugin registers (a `jupyter-kernel` environment) are listed by
 * `jupyter kernelspec list` in the container.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FIXTURES, fixtureUniverse, runCli } from '../support/cli.js';
import { pythonProject, startPackageIndex, type PackageIndex } from '../support/pypi.js';

let index: PackageIndex;
before(async () => {
  index = await startPackageIndex();
});
after(() => index.close());

const project = () => pythonProject(['[python]', 'version = "3.11"', 'ecosystem_date = "2024-08-09"', '[python.packages]', 'jupyter = ""'].join('\n'));

interface Kernelspec {
  resource_dir: string;
  spec: { argv: string[]; language: string };
}

/** `jupyter kernelspec list --json` in the container. */
function kernelspecs(cwd: string, env: NodeJS.ProcessEnv): Record<string, Kernelspec> {
  const r = runCli(['run', '--', 'jupyter', 'kernelspec', 'list', '--json'], { cwd, env });
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout) as { kernelspecs: Record<string, Kernelspec> }).kernelspecs;
}

test('python3 and a third-party plugin kernel are both installed; without jupyter, no kernels derivation', () => {
  const env = { ...index.env, ANYSNAKE2_DATA_DIR: mkdtempSync(join(tmpdir(), 'as2-data-')) };
  const cwd = project();
  const link = runCli(['plugins', 'link', join(FIXTURES, 'plugin-kernel'), '--no-install'], { cwd, env });
  assert.equal(link.code, 0, link.stderr + link.stdout);
  const specs = kernelspecs(cwd, env);
  assert.deepEqual(Object.keys(specs).sort(), ['fixture', 'python3']);
  assert.deepEqual(specs.python3!.spec.argv, ['python', '-m', 'ipykernel_launcher', '-f', '{connection_file}']);
  assert.equal(specs.fixture!.spec.argv[0], 'fixture-kernel');
  assert.match(specs.python3!.resource_dir, /-anysnake2-venv\/share\/jupyter\/kernels\/python3$/);
  assert.equal(specs.fixture!.resource_dir, '/usr/share/jupyter/kernels/fixture');

  const plain = project();
  writeFileSync(join(plain, 'anysnake2.toml'), readFileSync(join(plain, 'anysnake2.toml'), 'utf8').replace('jupyter = ""', 'fixture-cli = ""'));
  const flake = runCli(['build', 'flake'], { cwd: plain, env });
  assert.equal(flake.code, 0, flake.stderr);
  const text = readFileSync(join(plain, '.anysnake2_flake', 'flake.nix'), 'utf8');
  assert.match(text, /fixture_kernel = /, 'the plugin registered its kernel');
  assert.doesNotMatch(text, /anysnake2-jupyter-kernels/, 'but without jupyter nothing installs it');
});

test('with [R]: IRkernel becomes the ir kernel, and rpy2 (added automatically) sees the R packages', () => {
  const nixR = join(fixtureUniverse(), 'nixR');
  const cwd = pythonProject(
    [
      '[python]',
      'version = "3.11"',
      'ecosystem_date = "2024-08-09"',
      '[python.packages]',
      'jupyter = ""',
      '[R]',
      'date = "2024-05-10"',
      'packages = ["ACA", "IRkernel"]',
      `url = "${nixR}"`,
    ].join('\n'),
  );
  const specs = kernelspecs(cwd, index.env);
  assert.deepEqual(Object.keys(specs).sort(), ['ir', 'python3']);
  assert.equal(specs.ir!.resource_dir, '/usr/share/jupyter/kernels/ir');
  assert.equal(specs.ir!.spec.language, 'R');

  const code = "import os, rpy2.rinterface_lib; print(os.environ['R_HOME']); print(' '.join(sorted(os.listdir(os.environ['R_LIBS_SITE']))))";
  const rpy2 = runCli(['run', '--', 'python', '-c', code], { cwd, env: index.env });
  assert.equal(rpy2.code, 0, rpy2.stderr);
  const [home, libs] = rpy2.stdout.trim().split('\n');
  assert.match(home!, /^\/nix\/store\/[0-9a-z]{32}-.*\/lib\/R$/);
  assert.ok(libs!.split(' ').includes('ACA') && libs!.split(' ').includes('IRkernel'), libs);
  assert.match(readFileSync(join(cwd, 'anysnake2.uv.lock'), 'utf8'), /name = "rpy2"/, 'rpy2 was locked although not listed');
  assert.doesNotMatch(readFileSync(join(cwd, 'anysnake2.toml'), 'utf8'), /rpy2/, 'and not written back');
});

test('with [rust] and evcxr in nixpkgs packages: evcxr installs the rust kernel, and the toolchain has rust-src', () => {
  const cwd = pythonProject(
    [
      '[python]',
      'version = "3.11"',
      'ecosystem_date = "2024-08-09"',
      '[python.packages]',
      'jupyter = ""',
      '[rust]',
      `url = "${join(fixtureUniverse(), 'rust-overlay')}"`,
      'version = "1.80.1"',
    ].join('\n'),
  );
  const toml = join(cwd, 'anysnake2.toml');
  writeFileSync(toml, readFileSync(toml, 'utf8').replace('packages = ["hello"]', 'packages = ["evcxr","hello"]'));
  const specs = kernelspecs(cwd, index.env);
  assert.deepEqual(Object.keys(specs).sort(), ['python3', 'rust']);
  assert.equal(specs.rust!.resource_dir, '/usr/share/jupyter/kernels/rust');
  assert.equal(specs.rust!.spec.language, 'rust');
  // evcxr writes its own executable (nixpkgs' wrapped binary, as Rust's current_exe sees it).
  const [exe, ...rest] = specs.rust!.spec.argv;
  assert.deepEqual(rest, ['--control_file', '{connection_file}']);
  assert.match(exe!, /^\/nix\/store\/[0-9a-z]{32}-evcxr-0\.19\.0\/bin\/\.evcxr_jupyter-wrapped$/);

  // The kernel executable is the evcxr on the container's PATH, and runs there; rust-src is in the rootfs.
  const script = 'readlink -f "$(command -v evcxr_jupyter)"; "$0" --help; cat /usr/lib/rustlib/src/rust/library/std/src/lib.rs';
  const inside = runCli(['run', '--', 'bash', '-c', script, exe!], { cwd, env: index.env });
  assert.equal(inside.code, 0, inside.stderr);
  assert.deepEqual(inside.stdout.trim().split('\n'), [
    exe!.replace(/\.evcxr_jupyter-wrapped$/, 'evcxr_jupyter'),
    'To install, run:',
    `  ${exe} --install`,
    'To uninstall, run:',
    `  ${exe} --uninstall`,
    '// stand-in source of the standard library of rust 1.80.1',
  ]);
});
