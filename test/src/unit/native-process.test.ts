/**
 * The core's native module (core/native/process.c) and becoming the runtime with it
 * (core/src/pipeline/exec-launch.ts): isatty and sha256 agree with Node's own answers; exec
 * replaces the process (same pid), hands over the inputs on their descriptors and nothing else of
 * Node's, resets the signals Node ignores, passes the exit status, and leaves no input file; what
 * it cannot start, it leaves to the caller with the process intact.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isatty } from 'node:tty';
import fc from 'fast-check';
import { nativeModule } from '../../../core/dist/native.js';
import { REPO } from '../support/cli.js';

const NATIVE = join(REPO, 'core', 'lib', 'native', 'process.node');
const skip = existsSync(NATIVE) ? false : 'the native module was not built (no C compiler or node_api.h; scripts/build-native.mjs says which)';
const DIST = (module: string) => join(REPO, 'core', 'dist', module);

test('isatty and sha256 answer as node:tty and node:crypto do', { skip }, () => {
  const native = nativeModule();
  assert.ok(native, 'the built module loads');
  const file = openSync(join(REPO, 'package.json'), 'r');
  const devNull = openSync('/dev/null', 'r');
  try {
    for (const fd of [0, 1, 2, file, devNull, 9999, -1]) assert.equal(native.isatty(fd), fd >= 0 && isatty(fd), `isatty(${fd})`);
  } finally {
    closeSync(file);
    closeSync(devNull);
  }
  // With a terminal too: `script` gives the child a pseudo-terminal on 0-2.
  const onPty = spawnSync(
    'script',
    [
      '-qec',
      `${process.execPath} -e 'const m={exports:{}};process.dlopen(m,process.argv[1]);process.stdout.write(String(m.exports.isatty(0)&&m.exports.isatty(1)))' ${NATIVE}`,
      '/dev/null',
    ],
    {
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  assert.match(onPty.stdout, /true/, `under script(1): ${onPty.stdout}${onPty.stderr}`);
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 5000 }), fc.nat(64), (bytes, offset) => {
      const view = bytes.subarray(Math.min(offset, bytes.length));
      assert.equal(native.sha256(view), createHash('sha256').update(view).digest('hex'));
    }),
  );
  assert.equal(
    native.sha256(Buffer.from('x'.repeat(1 << 20))),
    createHash('sha256')
      .update('x'.repeat(1 << 20))
      .digest('hex'),
  );
});

/** A child Node.js that calls execLaunch with the spec, then (if it returns) says so and exits 99; `spawn`: starts the spec's argv as the core did before. */
function execInChild(spec: { argv: string[]; [more: string]: unknown }, privateDir: string, how: 'exec' | 'spawn' = 'exec') {
  const script =
    how === 'exec'
      ? `
    const { execLaunch } = await import(${JSON.stringify(DIST('pipeline/exec-launch.js'))});
    process.stdout.write('node pid ' + process.pid + '\\n');
    execLaunch(${JSON.stringify(spec)}, process.cwd(), ${JSON.stringify(privateDir)});
    process.stdout.write('returned\\n');
    process.exitCode = 99;`
      : `
    const { spawnSync } = await import('node:child_process');
    process.exitCode = spawnSync(${JSON.stringify(spec.argv[0])}, ${JSON.stringify(spec.argv.slice(1))}, { stdio: 'inherit' }).status;`;
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000, cwd: privateDir, env: { ...process.env, FROM_HOST: 'host' } });
}

test('exec: the same process becomes the program, with its inputs on 3.., default signals, and its exit status', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'as2-exec-'));
  try {
    const shell = [
      'echo "pid $$"',
      'echo "input $(cat <&3)"',
      'echo "env $FROM_SPEC $FROM_HOST"',
      // Node ignores SIGPIPE; a spawned child gets it back at its default, and so must the program it became.
      'echo "pipe $(grep SigIgn /proc/$$/status)"',
      'exit 7',
    ].join('; ');
    const result = execInChild({ argv: ['sh', '-c', shell], env: { FROM_SPEC: 'spec' }, inputs: [{ fd: 3, content: 'secret value' }] }, dir);
    const pid = /node pid (\d+)/.exec(result.stdout)?.[1];
    assert.equal(result.status, 7, `${result.stdout}${result.stderr}`);
    assert.ok(pid, result.stdout);
    assert.match(result.stdout, new RegExp(`^pid ${pid}$`, 'm'), 'the program runs in the same process');
    assert.doesNotMatch(result.stdout, /returned/);
    assert.match(result.stdout, /^input secret value$/m);
    assert.match(result.stdout, /^env spec host$/m);
    assert.match(result.stdout, /^pipe SigIgn:\s+0+$/m, 'no signal stays ignored');
    assert.deepEqual(readdirSync(dir), [], 'no input file is left');
    // The open descriptors of the new program: what a spawned child inherits (0-2, and whatever the
    // caller passed on that is not close-on-exec) plus the input — nothing of Node's (event loop, signal pipes).
    const fdsOf = (listing: string) => new Map([...listing.matchAll(/ (\d+) -> (.*)$/gm)].map((m) => [m[1]!, m[2]!]));
    const listed = execInChild({ argv: ['ls', '-l', '/proc/self/fd'], inputs: [{ fd: 3, content: 'x' }] }, dir);
    const spawned = execInChild({ argv: ['ls', '-l', '/proc/self/fd'] }, dir, 'spawn');
    assert.equal(listed.status, 0, listed.stderr);
    assert.equal(spawned.status, 0, spawned.stderr);
    const [byExec, bySpawn] = [fdsOf(listed.stdout), fdsOf(spawned.stdout)];
    // ls's own listing of /proc/self/fd is the lowest free number: 3 when spawned, 4 after the input.
    bySpawn.delete('3');
    byExec.delete('4');
    assert.match(String(byExec.get('3')), /\.input-.* \(deleted\)$/, 'descriptor 3 is the input, already removed from disk');
    byExec.delete('3');
    assert.deepEqual([...byExec.keys()].sort(), [...bySpawn.keys()].sort(), `exec:\n${listed.stdout}\nspawn:\n${spawned.stdout}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('exec: what cannot be started is left to the caller, with the process intact and no input file left', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'as2-exec-'));
  try {
    const missing = execInChild({ argv: ['as2-no-such-program'], inputs: [{ fd: 3, content: 'x' }] }, dir);
    assert.equal(missing.status, 99, `${missing.stdout}${missing.stderr}`);
    assert.match(missing.stdout, /returned/);
    assert.deepEqual(readdirSync(dir), []);
    // A file to remove afterwards, or a NUL byte execve cannot carry: spawned as before, never exec'd.
    for (const spec of [{ argv: ['true'], cleanup: [join(dir, 'gone')] }, { argv: ['true', 'a\0b'] }]) {
      const declined = execInChild(spec, dir);
      assert.equal(declined.status, 99, `${JSON.stringify(spec)}: ${declined.stdout}${declined.stderr}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
