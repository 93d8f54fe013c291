/**
 * The README works to the letter: every line of its ```sh blocks runs in bash exactly as written
 * (with `anysnake2` on PATH, a temporary HOME and TMPDIR, which must stay empty), except the few
 * that install the tool itself or run the whole suite, which CI runs anyway (listed below with the reason). The commands table and the global options
 * name every command and global option the CLI has, and nothing it lacks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { BIN, REPO, fixtureUniverse, testEnv } from '../support/cli.js';

const README = readFileSync(join(REPO, 'README.md'), 'utf8');
/** Every command line of the README's ```sh blocks, in order (comment-only lines are not commands). */
const LINES = [...README.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].flatMap((m) => m[1]!.split('\n')).filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
const commandOf = (line: string) => line.replace(/\s+#.*$/, '').trim();

/** Lines that set up a clone (not run here): why not, and what the test checks instead. */
const SETUP: Record<string, { why: string; check: () => void }> = {
  'bash scripts/test.sh': {
    why: 'the whole suite: what CI runs',
    check: () => assert.match(readFileSync(join(REPO, '.ci', 'run'), 'utf8'), /^exec bash scripts\/test\.sh/m),
  },
  'git clone <this repository> anysnake2 && cd anysnake2': { why: 'the clone this test runs in', check: () => undefined },
  'bash scripts/setup.sh && npm link -w @anysnake2/core': {
    why: 'scripts/test.sh runs setup.sh; e2e/packaging installs the packed package globally',
    check: () => {
      const pkg = JSON.parse(readFileSync(join(REPO, 'core', 'package.json'), 'utf8')) as { name: string; bin: Record<string, string> };
      assert.equal(pkg.name, '@anysnake2/core');
      assert.equal(pkg.bin['anysnake2'], './bin/run.js');
    },
  },
};

/**
 * Whether node_modules is what package-lock.json says (npm's record, node_modules/.package-lock.json):
 * then scripts/setup.sh, which the demo runs first, leaves node_modules alone (the same test as there).
 */
function installedAsLocked(): boolean {
  try {
    const lock = (JSON.parse(readFileSync(join(REPO, 'package-lock.json'), 'utf8')) as { packages: Record<string, Record<string, unknown>> }).packages;
    const done = (JSON.parse(readFileSync(join(REPO, 'node_modules', '.package-lock.json'), 'utf8')) as { packages: Record<string, Record<string, unknown>> }).packages;
    // An optional package npm left out (another platform's binary, e.g. @esbuild/darwin-arm64) matches too.
    return Object.entries(lock).every(
      ([k, v]) =>
        k === '' ||
        (v['optional'] === true && done[k] === undefined) ||
        (done[k] !== undefined && done[k]['version'] === v['version'] && done[k]['resolved'] === v['resolved'] && done[k]['link'] === v['link']),
    );
  } catch {
    return false;
  }
}

/**
 * Before the first line that builds, the project's nixpkgs and flake-utils become the offline
 * fixture universe (GitHub is out of reach here); everything else stays as `config minimal` wrote it.
 */
const BUILDS = /^anysnake2 (run|shell)\b/;
const rewriteScript = (universe: string) => `#!${process.execPath}
const { readFileSync, writeFileSync } = require('node:fs');
let text = readFileSync(process.argv[2], 'utf8');
for (const [from, to] of [
  [/github:NixOS\\/nixpkgs\\/master\\/24\\.05/g, ${JSON.stringify(universe + '/mini-nixpkgs')}],
  [/github:numtide\\/flake-utils\\/main\\/[0-9a-f]{40}/g, ${JSON.stringify(universe + '/flake-utils')}],
  [/"hello",\\s*"util-linux"\\]/, '"hello"]'], // mini-nixpkgs has hello, not util-linux
]) {
  if (!from.test(text)) { console.error('config minimal changed: ' + from + ' not found'); process.exit(1); }
  text = text.replace(from, to);
}
writeFileSync(process.argv[2], text);
`;

test('every line of the README sh blocks runs as written (setup lines: checked, CI runs them)', { timeout: 1_200_000 }, () => {
  // setup.sh (run by the demo) would otherwise reinstall node_modules under the running tests.
  assert.ok(installedAsLocked(), 'node_modules differs from package-lock.json: run bash scripts/setup.sh first');
  const home = mkdtempSync(join(tmpdir(), 'as2-readme-home-'));
  // The demo and everything else must leave nothing in the temp folder (Node's compile cache aside).
  const temp = mkdtempSync(join(tmpdir(), 'as2-readme-tmp-'));
  const bin = join(home, '.bin');
  mkdirSync(bin);
  const log = join(home, 'invocations');
  // `anysnake2` on PATH, as `npm link` puts it: the real CLI, noting each argv for the checks below.
  writeFileSync(
    join(bin, 'anysnake2'),
    `#!/bin/sh\nfor a in "$@"; do printf '%s\\037' "$a"; done >> '${log}'\nprintf '\\036' >> '${log}'\nexec '${process.execPath}' '${BIN}' "$@"\n`,
  );
  chmodSync(join(bin, 'anysnake2'), 0o755);
  writeFileSync(log, '');

  const script: string[] = ['status() { printf "%s\\t%s\\n" "$1" "$2" >> "$README_STATUS"; }'];
  let rewritten = false;
  const ran: string[] = [];
  for (const line of LINES) {
    const command = commandOf(line);
    const setup = SETUP[command];
    if (setup) {
      setup.check();
      continue;
    }
    if (BUILDS.test(command) && !rewritten) {
      script.push('"$README_REWRITE" anysnake2.toml || exit 1');
      rewritten = true;
    }
    script.push(line, `status ${ran.length} $?`);
    ran.push(command);
  }
  assert.ok(ran.includes('anysnake2 shell'), 'the quick start runs anysnake2 shell');
  assert.deepEqual(
    Object.keys(SETUP).filter((c) => !LINES.some((l) => commandOf(l) === c)),
    [],
    'every setup line listed here is still in the README',
  );

  const universe = fixtureUniverse();
  const rewrite = join(home, '.rewrite');
  writeFileSync(rewrite, rewriteScript(universe));
  chmodSync(rewrite, 0o755);
  const statusFile = join(home, '.status');
  writeFileSync(statusFile, '');
  // The README's first block runs in the clone; the quick start then moves to ~/myproject.
  const r = spawnSync('bash', ['-c', script.join('\n')], {
    cwd: REPO,
    encoding: 'utf8',
    input: '',
    env: testEnv({ HOME: home, TMPDIR: temp, PATH: `${bin}:${process.env.PATH}`, README_STATUS: statusFile, README_REWRITE: rewrite, USER: 'readme-user' }),
    timeout: 1_100_000,
  });
  assert.ifError(r.error); // a timeout under heavy load says so instead of a missing exit status
  const statuses = new Map(
    readFileSync(statusFile, 'utf8')
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('\t').map(Number) as [number, number]),
  );
  const transcript = `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`;
  ran.forEach((command, i) => {
    const status = statuses.get(i);
    // doctor exits 1 when a check fails on this machine (say, no apptainer); it must still run.
    if (command.startsWith('anysnake2 doctor')) assert.ok(status === 0 || status === 1, `${command}: exit ${status}\n${transcript}`);
    else assert.equal(status, 0, `${command}: exit ${status}\n${transcript}`);
  });
  assert.doesNotMatch(r.stderr, /\n\s+at .*:\d+:\d+\)/, 'no stack trace');
  assert.match(r.stdout, /Hello, world!/, '`anysnake2 run -- hello` ran hello in the container');
  assert.match(r.stdout, /^only inside the container: /m, 'the demo ran its command in the container');
  assert.deepEqual(
    readdirSync(temp).filter((f) => f !== 'node-compile-cache'),
    [],
    'nothing left in TMPDIR',
  );

  // The first run pinned the anysnake2 version: config minimal leaves url2 out instead of "dev".
  const config = readFileSync(join(home, 'myproject', 'anysnake2.toml'), 'utf8');
  assert.match(config, /^\s*url2 = "npm:@anysnake2\/core@\d+\.\d+\.\d+[^"]*"/m);
  assert.match(config, /^\[cmd\.shell\]$/m);

  // The lines ran through `anysnake2` on PATH (not some other copy).
  const invocations = readFileSync(log, 'utf8')
    .split('\x1e')
    .filter(Boolean)
    .map((record) => record.split('\x1f').slice(0, -1));
  assert.ok(invocations.length >= ran.filter((c) => c.includes('anysnake2')).length);
});

interface Manifest {
  commands: Record<string, { flags: Record<string, { char?: string; helpGroup?: string }> }>;
}
const manifestOf = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Manifest;
const CORE = manifestOf(join(REPO, 'core', 'oclif.manifest.json'));
const PLUGINS = manifestOf(join(REPO, 'node_modules', '@oclif', 'plugin-plugins', 'oclif.manifest.json'));
/** Commands of the bundled anysnake2 plugins (plugins/slurm's submit and jobs): they are ours, so the table lists them. */
const BUNDLED = readdirSync(join(REPO, 'plugins'))
  .map((name) => join(REPO, 'plugins', name, 'oclif.manifest.json'))
  .filter((file) => existsSync(file))
  .flatMap((file) => Object.keys(manifestOf(file).commands));

test("the README's commands table lists every command and only commands the CLI has", () => {
  const table = README.slice(README.indexOf('## Commands'), README.indexOf('Exit codes'));
  // The first code span of each row, e.g. `anysnake2 build oci [--output FILE]` → build:oci, `anysnake2 plugins new NAME` → plugins:new.
  const rows = [...table.matchAll(/^\| `anysnake2 ([^`]+)`/gm)].map((m) => {
    const [first, second] = m[1]!.split(' ');
    return (first === 'build' || first === 'jobs' || first === 'plugins') && second && /^[a-z]+$/.test(second) ? `${first}:${second}` : first!;
  });
  const listed = new Set(rows);
  const ours = [...Object.keys(CORE.commands), ...BUNDLED];
  assert.ok(BUNDLED.includes('submit'), 'the slurm plugin has its manifest');
  assert.deepEqual(
    ours.filter((id) => !listed.has(id)),
    [],
    'commands missing from the table',
  );
  const known = new Set([...ours, ...Object.keys(PLUGINS.commands), 'plugins']);
  assert.deepEqual(
    rows.filter((id) => !known.has(id)),
    [],
    'rows naming no command',
  );
});

test("the README's global options are the CLI's global options", () => {
  const globals = new Set<string>();
  for (const command of Object.values(CORE.commands)) for (const [name, flag] of Object.entries(command.flags)) if (flag.helpGroup === 'GLOBAL') globals.add(name);
  assert.ok(globals.has('offline') && globals.has('no-version-switch'), [...globals].join(','));
  const paragraph = README.slice(README.indexOf('Global options'), README.indexOf('Exit codes'));
  for (const name of globals) assert.ok(paragraph.includes(`--${name}`), `--${name} is not in the README's global options`);
});
