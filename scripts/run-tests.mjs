// Runs every compiled test file with node's test runner and ends with a line CI can read:
// "N passed, N failed" (skipped tests are listed with their reasons on the lines before it).
// A run that executes no test fails: an empty suite must never look green.
//
// `--node PATH` (repeatable) runs the same files once per Node.js binary, one after the other
// (scripts/test.sh passes the system node and the LTS lines scripts/setup.sh installed under
// .tools/); each line ends with its own summary and the closing line sums them all.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

const root = new URL('../test/dist/', import.meta.url).pathname;
const files = [];
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.test.js')) files.push(path);
  }
};
walk(root);
const nodes = [];
const only = [];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--node' && args[i + 1]) nodes.push(args[++i]);
  else if (args[i].startsWith('--node=')) nodes.push(args[i].slice('--node='.length));
  else only.push(args[i]);
}
if (nodes.length === 0) nodes.push(process.execPath);
// Optional arguments narrow the run to test directories or files, e.g. `online` or `e2e/python`.
if (only.length > 0) files.splice(0, files.length, ...files.filter((f) => only.some((o) => f.slice(root.length).startsWith(o))));
if (process.env.ANYSNAKE2_ONLINE_TESTS !== '1') {
  // The online suite needs GitHub/PyPI; it is opt-in (see test/README.md).
  for (let i = files.length - 1; i >= 0; i--) if (files[i].includes('/online/')) files.splice(i, 1);
}
if (files.length === 0) {
  console.log('0 passed, 0 failed');
  console.error('no test files found under test/dist: did the build run?');
  process.exit(1);
}

// A hung test must end the run with a readable failure, not run into CI's wall clock: each Node
// line gets a deadline, after which its whole process group is killed and the run counts as failed.
const deadlineMinutes = Number(process.env.ANYSNAKE2_TEST_DEADLINE_MINUTES ?? 38);

/** One run of every file on one Node.js binary; resolves to its counts and skipped tests. */
const runOn = (node) =>
  new Promise((done) => {
    const started = Date.now();
    // This line's node comes first on PATH, so whatever the tests start as `node` runs on it too.
    // --test-force-exit: a file whose tests are done exits even if a stray child still holds a handle.
    const child = spawn(node, ['--test', '--test-force-exit', '--test-reporter=spec', '--test-concurrency=2', ...files], {
      stdio: ['ignore', 'pipe', 'inherit'],
      detached: true, // its own process group, so the deadline can stop every test process at once
      env: node === process.execPath ? process.env : { ...process.env, PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ''}` },
    });
    // Detached means the terminal's Ctrl-C no longer reaches the tests by itself: pass it on.
    const stop = (signal) => () => {
      try {
        process.kill(-child.pid, signal);
      } catch {}
      process.exit(130);
    };
    const onSigint = stop('SIGINT');
    const onSigterm = stop('SIGTERM');
    process.on('SIGINT', onSigint).on('SIGTERM', onSigterm);
    let overran = false;
    const deadline = setTimeout(() => {
      overran = true;
      console.log(`\nthe run on ${node} passed its deadline of ${deadlineMinutes} min (ANYSNAKE2_TEST_DEADLINE_MINUTES): stopping it`);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, deadlineMinutes * 60_000);
    let output = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      output += chunk.toString();
    });
    child.on('error', (error) => {
      console.error(`cannot run ${node}: ${error.message}`);
      done({ node, code: 1, passed: 0, failed: 1, skipped: [], seconds: 0 });
    });
    child.on('close', (code) => {
      clearTimeout(deadline);
      process.off('SIGINT', onSigint).off('SIGTERM', onSigterm);
      if (overran) {
        // No summary was printed: count the finished tests from the spec lines, plus one failure for the stop.
        const passedSoFar = (output.match(/^\s*✔ /gm) ?? []).length;
        const failedSoFar = (output.match(/^\s*✖ /gm) ?? []).length;
        done({ node, code: 1, passed: passedSoFar, failed: failedSoFar + 1, skipped: [], seconds: (Date.now() - started) / 1000 });
        return;
      }
      // The spec reporter explains each failure once, in a block at the end of this line's output.
      const failures =
        output
          .match(/^✖ failing tests:\n([\s\S]*)$/m)?.[1]
          .split('\n')
          .filter((l) => !l.startsWith('ℹ ') && !/^\s+at /.test(l)) ?? [];
      const count = (label) => Number(output.match(new RegExp(`^ℹ ${label} (\\d+)$`, 'm'))?.[1] ?? 0);
      // The spec reporter marks a skipped test "﹣ name (time) # reason".
      const skipped = [...output.matchAll(/^\s*﹣ (.*?) \([\d.]+m?s\) # (.*)$/gm)].map((m) => `${m[1]}: ${m[2]}`);
      done({ node, code, passed: count('pass'), failed: count('fail') + count('cancelled'), skipped, failures, seconds: (Date.now() - started) / 1000 });
    });
  });

const results = [];
for (const node of nodes) {
  const result = await runOn(node);
  if (nodes.length > 1) {
    const version = await new Promise((r) => {
      const c = spawn(node, ['--version'], { stdio: ['ignore', 'pipe', 'ignore'] });
      let v = '';
      c.stdout.on('data', (d) => (v += d));
      c.on('close', () => r(v.trim() || node));
      c.on('error', () => r(node));
    });
    console.log(`node ${version}: ${result.passed} passed, ${result.failed} failed, ${result.skipped.length} skipped in ${result.seconds.toFixed(0)} s`);
  }
  results.push(result);
}
// Each line's failures again, just above the closing lines, so a log's tail says why (at most 60 lines each).
for (const r of results.filter((r) => r.failures?.length)) {
  console.log(`\nwhy tests failed on ${r.node}:`);
  console.log(r.failures.slice(0, 60).join('\n'));
  if (r.failures.length > 60) console.log(`… ${r.failures.length - 60} more lines above`);
}
const passed = results.reduce((n, r) => n + r.passed, 0);
const failed = results.reduce((n, r) => n + r.failed, 0);
const skipped = [...new Set(results.flatMap((r) => r.skipped))];
for (const line of skipped) console.log(`skipped: ${line}`);
console.log(`${results.reduce((n, r) => n + r.skipped.length, 0)} skipped`);
console.log(`${passed} passed, ${failed} failed`);
if (passed + failed === 0) {
  console.error('no test was executed');
  process.exit(1);
}
process.exit(results.every((r) => r.code === 0) && failed === 0 ? 0 : 1);
