/**
 * The core's native module (core/native/process.c): isatty and sha256 agree with Node's own
 * answers; foreground starts a child of the Node.js process with the inputs on their descriptors
 * and nothing else of Node's, its signals at their defaults, passes TERM/HUP/INT on as
 * pipeline/run-signals.ts does (not the keyboard's INT on a terminal; KILL after the grace period),
 * and returns the exit status (128 + the signal that stopped the run).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
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

/**
 * A child Node.js that starts `argv` (with `inputs` on 3..) through the native module's foreground,
 * or (`spawn`) through node:child_process as the core did before, and exits with the status.
 */
function startInChild(spec: { argv: string[]; env?: Record<string, string>; inputs?: string[]; terminal?: boolean; grace?: number }, how: 'native' | 'spawn' = 'native') {
  const script =
    how === 'native'
      ? `
    const { nativeModule } = await import(${JSON.stringify(DIST('native.js'))});
    const { openSync, writeSync, unlinkSync } = await import('node:fs');
    const fds = ${JSON.stringify(spec.inputs ?? [])}.map((content, i) => {
      const path = process.cwd() + '/input' + i;
      const fd = openSync(path, 'wx+', 0o600);
      writeSync(fd, content, 0);
      unlinkSync(path);
      return fd;
    });
    const env = Object.entries({ ...process.env, ...${JSON.stringify(spec.env ?? {})} }).map(([k, v]) => k + '=' + v);
    process.stdout.write('node pid ' + process.pid + '\\n');
    const { status, signal } = nativeModule().foreground(${JSON.stringify(spec.argv[0])}, ${JSON.stringify(spec.argv)}, env, fds, ${Boolean(spec.terminal)}, ${spec.grace ?? 5});
    process.stdout.write('status ' + status + ' signal ' + signal + '\\n');
    process.exitCode = status < 0 ? 99 : status;`
      : `
    const { spawnSync } = await import('node:child_process');
    process.exitCode = spawnSync(${JSON.stringify(spec.argv[0])}, ${JSON.stringify(spec.argv.slice(1))}, { stdio: 'inherit' }).status;`;
  return { script, options: { encoding: 'utf8' as const, timeout: 60_000, env: { ...process.env, FROM_HOST: 'host' } } };
}

function runInChild(spec: Parameters<typeof startInChild>[0], dir: string, how: 'native' | 'spawn' = 'native') {
  const { script, options } = startInChild(spec, how);
  return spawnSync(process.execPath, ['--input-type=module', '-e', script], { ...options, cwd: dir });
}

test('foreground: a child with its inputs on 3.., the environment, default signals; its exit status', { skip }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'as2-native-'));
  try {
    const shell = ['echo "ppid $PPID"', 'echo "input $(cat <&3)"', 'echo "env $FROM_SPEC $FROM_HOST"', 'echo "pipe $(grep SigIgn /proc/$$/status)"', 'exit 7'].join('; ');
    const result = runInChild({ argv: ['sh', '-c', shell], env: { FROM_SPEC: 'spec' }, inputs: ['secret value'] }, dir);
    const pid = /node pid (\d+)/.exec(result.stdout)?.[1];
    assert.equal(result.status, 7, `${result.stdout}${result.stderr}`);
    assert.match(result.stdout, new RegExp(`^ppid ${pid}$`, 'm'), 'a child of the Node.js process (bwrap --die-with-parent relies on that)');
    assert.match(result.stdout, /^input secret value$/m);
    assert.match(result.stdout, /^env spec host$/m);
    // Node ignores SIGPIPE and SIGXFSZ; a spawned child gets them back at their defaults. (glibc's
    // posix_spawn leaves its own two reserved real-time signals, 32 and 33, ignored; a glibc program
    // sets them up itself at start.)
    const ignored = BigInt(`0x${/^pipe SigIgn:\s+([0-9a-f]+)$/m.exec(result.stdout)?.[1] ?? 'ffff'}`);
    assert.equal(ignored & 0x7fffffffn, 0n, `no standard signal stays ignored: ${result.stdout}`);
    assert.deepEqual(readdirSync(dir), [], 'no input file is left');
    // Its open descriptors: what node:child_process passes (0-2 and whatever the caller handed on
    // without close-on-exec) plus the input — nothing of Node's (event loop, signal pipes).
    const fdsOf = (listing: string) => new Map([...listing.matchAll(/ (\d+) -> (.*)$/gm)].map((m) => [m[1]!, m[2]!]));
    const listed = runInChild({ argv: ['ls', '-l', '/proc/self/fd'], inputs: ['x'] }, dir);
    const spawned = runInChild({ argv: ['ls', '-l', '/proc/self/fd'] }, dir, 'spawn');
    assert.equal(listed.status, 0, listed.stderr);
    assert.equal(spawned.status, 0, spawned.stderr);
    const [byNative, bySpawn] = [fdsOf(listed.stdout), fdsOf(spawned.stdout)];
    // ls's own listing of /proc/self/fd takes the lowest free number: 3 when spawned, 4 after the input.
    bySpawn.delete('3');
    byNative.delete('4');
    assert.match(String(byNative.get('3')), /input0 \(deleted\)$/, 'descriptor 3 is the input, already removed from disk');
    byNative.delete('3');
    assert.deepEqual([...byNative.keys()].sort(), [...bySpawn.keys()].sort(), `native:\n${listed.stdout}\nspawn:\n${spawned.stdout}`);
    // A program that is not there: -ENOENT, for the caller to report (node:child_process then says why).
    const missing = runInChild({ argv: ['as2-no-such-program'] }, dir);
    assert.match(missing.stdout, /^status -2 signal 0$/m, missing.stdout + missing.stderr);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Starts the child, waits for `ready` from the program, sends `signal` to the Node.js process; its output and exit. */
async function signalled(spec: Parameters<typeof startInChild>[0], signal: NodeJS.Signals, dir: string) {
  const { script, options } = startInChild(spec);
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { cwd: dir, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 30_000);
  try {
    for (let i = 0; i < 600 && !output.includes('ready'); i++) await new Promise((r) => setTimeout(r, 50));
    assert.match(output, /ready/, output);
    process.kill(child.pid!, signal);
    const [code] = (await once(child, 'close')) as [number | null];
    return { code, output };
  } finally {
    clearTimeout(timer);
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {}
  }
}

test('foreground: TERM and (without a terminal) INT go on to the program, and the status is 128 + the signal', { skip, timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'as2-native-'));
  try {
    for (const [signal, number] of [
      ['SIGTERM', 15],
      ['SIGINT', 2],
      ['SIGHUP', 1],
    ] as const) {
      // The program says which signal reached it, then ends with 0: the status still says the run was stopped.
      const trap = `trap 'echo got ${signal.slice(3)}; exit 0' ${signal.slice(3)}; echo ready; while :; do sleep 0.1; done`;
      const { code, output } = await signalled({ argv: ['bash', '-c', trap] }, signal, dir);
      assert.match(output, new RegExp(`^got ${signal.slice(3)}$`, 'm'), `${signal}: ${output}`);
      assert.equal(code, 128 + number, `${signal}: ${output}`);
      assert.match(output, new RegExp(`^status ${128 + number} signal ${number}$`, 'm'), 'the caller learns which signal stopped the run');
    }
    // On a terminal the keyboard sends INT to the whole group: not sent a second time, and the program's own status counts.
    const { code, output } = await signalled({ argv: ['bash', '-c', "trap 'echo got INT' INT; echo ready; sleep 1; exit 3"], terminal: true }, 'SIGINT', dir);
    assert.doesNotMatch(output, /got INT/);
    assert.equal(code, 3, output);
    // A program that ignores TERM is killed after the grace period (1 s here).
    const stubborn = await signalled({ argv: ['bash', '-c', "trap '' TERM; echo ready; while :; do sleep 0.1; done"], grace: 1 }, 'SIGTERM', dir);
    assert.equal(stubborn.code, 143, stubborn.output);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
