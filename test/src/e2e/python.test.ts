/**
 * The Python plugin end to end, offline: uv (the fixture stand-in, run through `nix shell` from the
 * fixture uv2nix flake) locks against the local index as of the ecosystem date, the uv2nix /
 * pyproject-nix-shaped fixture flakes build the lock into a venv with real Nix, and the container
 * (bubblewrap) imports the locked versions.
 */
import { after, before, test } from 'node:test';
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { BIN, runCli, testEnv, type CliResult } from '../support/cli.js';
import { pythonProject, startPackageIndex, type PackageIndex } from '../support/pypi.js';

let index: PackageIndex;
before(async () => {
  index = await startPackageIndex();
});
after(() => index.close());

function cli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): CliResult {
  return runCli(args, { cwd, env: { ...index.env, ...env } });
}

const uvLog = () => join(mkdtempSync(join(tmpdir(), 'as2-uvlog-')), 'uv.jsonl');
const uvRuns = (log: string) =>
  existsSync(log)
    ? readFileSync(log, 'utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { argv: string[]; env: Record<string, string> })
    : [];

const OUTCOME = [
  '[python]',
  'version = "3.11"',
  'ecosystem_date = "2024-08-09"',
  '[python.packages]',
  'pandas = ">=2"',
  '# exempt from the date: 1.10.3 was released after it',
  'scanpy = "pypi:1.10.3"',
  'fixture-cli = ""',
].join('\n');

const IMPORT = 'import numpy, pandas, scanpy; print(pandas.__version__, scanpy.__version__, numpy.__version__)';

test('the locked versions: pandas as of the end of the ecosystem date, scanpy exempt, entry points work; a second run neither relocks nor rebuilds', () => {
  const cwd = pythonProject(OUTCOME);
  const log = uvLog();
  const first = cli(['run', '--', 'python', '-c', IMPORT], cwd, { FIXTURE_UV_LOG: log });
  assert.equal(first.code, 0, first.stderr);
  // pandas 2.2.3 and numpy 2.1.0 came after 2024-08-09; scanpy's own deps stay bound to the date.
  assert.equal(first.stdout.trim(), '2.2.2 1.10.3 2.0.1');
  assert.match(first.stderr, /Locking Python packages with uv as of 2024-08-09 \(files uploaded before 2024-08-10T00:00:00Z\)/);
  const lock = readFileSync(join(cwd, 'anysnake2.uv.lock'), 'utf8');
  assert.match(lock, /^exclude-newer = "2024-08-10T00:00:00Z"$/m);
  assert.match(lock, /name = "scanpy"\nversion = "1\.10\.3"/);
  assert.equal(uvRuns(log).length, 1);
  assert.deepEqual(uvRuns(log)[0]!.argv.slice(-1), ['lock']);

  const tool = cli(['run', '--', 'fixture-cli'], cwd, { FIXTURE_UV_LOG: log });
  assert.equal(tool.code, 0, tool.stderr);
  assert.equal(tool.stdout.trim(), 'fixture-cli 1.0.0');
  assert.doesNotMatch(tool.stderr, /Locking|building the container/);
  assert.equal(uvRuns(log).length, 1, 'uv ran once');

  // Same inputs, new flake dir: the lock in the project is reused as it is.
  const again = cli(['build', 'flake'], cwd, { FIXTURE_UV_LOG: log });
  assert.equal(again.code, 0, again.stderr);
  assert.equal(readFileSync(join(cwd, 'anysnake2.uv.lock'), 'utf8'), lock);
});

test('a later ecosystem date relocks and moves forward; the time zone does not matter', () => {
  const cwd = pythonProject(OUTCOME);
  const first = cli(['build', 'flake'], cwd, { TZ: 'Pacific/Kiritimati' });
  assert.equal(first.code, 0, first.stderr);
  assert.match(readFileSync(join(cwd, '.anysnake2_flake', 'uv', 'pyproject.toml'), 'utf8'), /^exclude-newer = "2024-08-10T00:00:00Z"$/m);
  writeFileSync(join(cwd, 'anysnake2.toml'), readFileSync(join(cwd, 'anysnake2.toml'), 'utf8').replace('2024-08-09', '2024-09-25'));
  const later = cli(['build', 'flake'], cwd, { TZ: 'America/Adak' });
  assert.equal(later.code, 0, later.stderr);
  const lock = readFileSync(join(cwd, 'anysnake2.uv.lock'), 'utf8');
  assert.match(lock, /name = "pandas"\nversion = "2\.2\.3"/);
  assert.match(lock, /name = "numpy"\nversion = "2\.1\.0"/);
});

test('uv_lock_env reaches uv; a resolution conflict is a short exit-65 error with the fix, and writes no lock', () => {
  const cwd = pythonProject(
    [
      '[python]',
      'version = "3.11"',
      'ecosystem_date = "2024-08-09"',
      '[python.uv_lock_env]',
      'SKLEARN_ALLOW_DEPRECATED_SKLEARN_PACKAGE_INSTALL = "True"',
      '[python.packages]',
      'needs-old-numpy = ""',
    ].join('\n'),
  );
  const log = uvLog();
  const r = cli(['build', 'flake'], cwd, { FIXTURE_UV_LOG: log });
  assert.equal(r.code, 65, r.stderr);
  assert.match(r.stderr, /anysnake2\.toml:\d+:\d+: python\.packages: uv found no versions that satisfy these packages as of the ecosystem date/);
  assert.match(r.stderr, /needs-old-numpy/);
  assert.match(r.stderr, /hint: relax the constraint named above/);
  assert.doesNotMatch(r.stderr, /\n\s+at .*:\d+:\d+\)/);
  assert.equal(existsSync(join(cwd, 'anysnake2.uv.lock')), false);
  assert.equal(uvRuns(log)[0]!.env.SKLEARN_ALLOW_DEPRECATED_SKLEARN_PACKAGE_INSTALL, 'True');
});

test('a missing build system is explained with the build_systems entry that fixes it', () => {
  const cwd = pythonProject(['[python]', 'version = "3.11"', 'ecosystem_date = "2024-08-09"', '[python.packages]', 'needs-tinybuild = ""'].join('\n'));
  const r = cli(['run', '--', 'true'], cwd);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /No module named 'tinybuild'/);
  assert.match(r.stderr, /hint: needs-tinybuild-1\.0 needs the build system tinybuild: add build_systems = \["tinybuild"\] to \[python\.packages\.needs-tinybuild\]/);
  writeFileSync(
    join(cwd, 'anysnake2.toml'),
    readFileSync(join(cwd, 'anysnake2.toml'), 'utf8').replace('needs-tinybuild = ""', 'needs-tinybuild = { build_systems = ["tinybuild"] }'),
  );
  const fixed = cli(['run', '--', 'python', '-c', 'import needs_tinybuild; print(needs_tinybuild.__version__)'], cwd);
  assert.equal(fixed.code, 0, fixed.stderr);
  assert.equal(fixed.stdout.trim(), '1.0');
});

test('tofu: ecosystem_date becomes today (UTC) and "pypi" PyPI\'s newest, keeping the entry\'s other keys', () => {
  const cwd = pythonProject(
    ['[python]', 'version = "3.11"', '[python.packages]', 'numpy = "pypi"', 'pandas = { version = "pypi", build_systems = ["tinybuild"] } # keep me'].join('\n'),
  );
  const r = cli(['tofu'], cwd);
  assert.equal(r.code, 0, r.stderr);
  const text = readFileSync(join(cwd, 'anysnake2.toml'), 'utf8');
  assert.match(text, new RegExp(`^\\s*ecosystem_date = "${new Date().toISOString().slice(0, 10)}"$`, 'm'));
  assert.match(text, /^\s*numpy = \{ version = "pypi:2\.1\.0" \}$/m);
  assert.match(text, /^\s*pandas = \{ version = "pypi:2\.2\.3", build_systems = \["tinybuild"\] \} # keep me$/m);
});

test('an unreachable PyPI is exit 75 and leaves anysnake2.toml untouched', () => {
  const cwd = pythonProject(['[python]', 'version = "3.11"', 'ecosystem_date = "2024-08-09"', '[python.packages]', 'numpy = "pypi"'].join('\n'));
  const before = readFileSync(join(cwd, 'anysnake2.toml'), 'utf8');
  const r = cli(['tofu'], cwd, { ANYSNAKE2_PYPI_URL: 'http://127.0.0.1:9' });
  assert.equal(r.code, 75, r.stderr);
  assert.match(r.stderr, /could not ask PyPI for the newest numpy: http:\/\/127\.0\.0\.1:9\/pypi\/numpy\/json/);
  assert.equal(readFileSync(join(cwd, 'anysnake2.toml'), 'utf8'), before);
});

test('a git source is pinned, locked by commit and built from git; editable = true makes the checkout live in the container and in develop', () => {
  const cwd = pythonProject(
    ['[python]', 'version = "3.11"', 'ecosystem_date = "2024-08-09"', '[python.packages]', 'gitpkg = { url = "github:fixture/gitpkg", editable = true }'].join('\n'),
  );
  const code = 'import gitpkg, pip; print(gitpkg.__version__, gitpkg.__file__)';
  const first = cli(['run', '--', 'python', '-c', code], cwd);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stdout.trim(), '0.3 /anysnake2_editable/gitpkg/src/gitpkg/__init__.py');
  const toml = readFileSync(join(cwd, 'anysnake2.toml'), 'utf8');
  const rev = /url = "github:fixture\/gitpkg\/main\/([0-9a-f]{40})"/.exec(toml)?.[1];
  assert.ok(rev, `the url was pinned:\n${toml}`);
  assert.match(readFileSync(join(cwd, 'anysnake2.uv.lock'), 'utf8'), new RegExp(`source = \\{ git = "https://github\\.com/fixture/gitpkg\\?rev=${rev}#${rev}" \\}`));

  // An edit on the host is live at once: no relock, no rebuild, no reinstall.
  const init = join(cwd, 'code', 'gitpkg', 'src', 'gitpkg', '__init__.py');
  writeFileSync(init, readFileSync(init, 'utf8').replace('__version__ = "0.3"', '__version__ = "edited"'));
  const live = cli(['run', '--', 'gitpkg'], cwd);
  assert.equal(live.code, 0, live.stderr);
  assert.equal(live.stdout.trim(), 'gitpkg edited', 'the entry point of the Nix venv imports the live checkout');
  assert.doesNotMatch(live.stderr, /Locking|building the container/);

  const develop = spawnSync(process.execPath, [BIN, 'develop'], { cwd, env: testEnv(index.env), input: 'python -c "import gitpkg; print(gitpkg.__file__)"\n', encoding: 'utf8' });
  assert.equal(develop.status, 0, develop.stderr);
  assert.equal(develop.stdout.trim().split('\n').pop(), init);
});

test('override_attrs reach the package build as Nix code', () => {
  const hook = `''mkdir -p $out/lib/python3.11/site-packages; echo 'MARK = "patched"' > $out/lib/python3.11/site-packages/override_marker.py''`;
  const cwd = pythonProject(
    ['[python]', 'version = "3.11"', 'ecosystem_date = "2024-08-09"', '[python.packages]', `fixture-cli = { override_attrs = { postInstall = ${JSON.stringify(hook)} } }`].join(
      '\n',
    ),
  );
  const r = cli(['run', '--', 'python', '-c', 'import override_marker; print(override_marker.MARK)'], cwd);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'patched');
  const flake = readFileSync(join(cwd, '.anysnake2_flake', 'flake.nix'), 'utf8');
  assert.match(flake, /fixture-cli = prev\.fixture-cli\.overrideAttrs \(old: \{/);
});

test('patch_before_lock runs in a writable checkout before locking; the build uses the pinned commit; a failing script is explained', () => {
  const entry = (script: string) => `gitpkg = { url = "github:fixture/gitpkg", patch_before_lock = ${JSON.stringify(script)} }`;
  const cwd = pythonProject(
    ['[python]', 'version = "3.11"', 'ecosystem_date = "2024-08-09"', '[python.packages]', entry('sed -i \'s/^version = "0.3"/version = "0.3.post1"/\' pyproject.toml')].join('\n'),
  );
  const r = cli(['run', '--', 'python', '-c', 'import gitpkg; print(gitpkg.__version__)'], cwd);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), '0.3');
  assert.match(readFileSync(join(cwd, 'anysnake2.uv.lock'), 'utf8'), /name = "gitpkg"\nversion = "0\.3\.post1"\nsource = \{ directory = "patched\/gitpkg" \}/);
  assert.match(
    readFileSync(join(cwd, '.anysnake2_flake', 'uv', 'uv.lock'), 'utf8'),
    /name = "gitpkg"\nversion = "0\.3\.post1"\nsource = \{ git = "https:\/\/github\.com\/fixture\/gitpkg\?rev=[0-9a-f]{40}#[0-9a-f]{40}" \}/,
  );
  assert.equal(existsSync(join(cwd, '.anysnake2_flake', 'uv-lock')), false, 'the writable copy is gone after locking');

  const toml = join(cwd, 'anysnake2.toml');
  writeFileSync(toml, readFileSync(toml, 'utf8').replace(/patch_before_lock = "[^\n]*" \}/, 'patch_before_lock = "echo patching; exit 3" }'));
  const lockBefore = readFileSync(join(cwd, 'anysnake2.uv.lock'), 'utf8');
  const failed = cli(['build', 'flake'], cwd);
  assert.equal(failed.code, 65, failed.stderr);
  assert.match(
    failed.stderr,
    /python\.packages\.gitpkg\.patch_before_lock: failed with exit code 3 in a writable checkout of https:\/\/github\.com\/fixture\/gitpkg at [0-9a-f]{12}/,
  );
  assert.match(failed.stderr, /\+ echo patching/);
  assert.equal(readFileSync(join(cwd, 'anysnake2.uv.lock'), 'utf8'), lockBefore);
});

test('--offline: a locked project runs without uv or the index; a lock that must be remade is an error naming why', () => {
  const cwd = pythonProject(OUTCOME);
  assert.equal(cli(['build', 'rootfs'], cwd).code, 0);
  // Nothing may reach the index from here on (so this test comes last in this file).
  index.close();
  const offline = cli(['--offline', 'run', '--', 'python', '-c', 'import pandas; print(pandas.__version__)'], cwd);
  assert.equal(offline.code, 0, offline.stderr);
  assert.equal(offline.stdout.trim(), '2.2.2');
  const toml = join(cwd, 'anysnake2.toml');
  writeFileSync(toml, readFileSync(toml, 'utf8').replace('pandas = ">=2"', 'pandas = ">=2.2.3"'));
  const stale = cli(['--offline', 'build', 'flake'], cwd);
  assert.equal(stale.code, 64, stale.stderr);
  assert.match(stale.stderr, /--offline, but the Python lock must be made again \(its inputs changed\), and uv needs the package index/);
});
