// Runs every compiled test file with node's test runner and ends with a line CI can read.
// A run that executes no test fails: an empty suite must never look green.
import { spawn } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

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
// Optional arguments narrow the run to test directories or files, e.g. `online` or `e2e/python`.
const only = process.argv.slice(2);
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

const child = spawn(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=2', ...files], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
let output = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  output += chunk.toString();
});
child.on('close', (code) => {
  const count = (label) => Number(output.match(new RegExp(`^ℹ ${label} (\\d+)$`, 'm'))?.[1] ?? 0);
  const passed = count('pass');
  const failed = count('fail') + count('cancelled');
  console.log(`${passed} passed, ${failed} failed`);
  if (passed + failed === 0) {
    console.error('no test was executed');
    process.exit(1);
  }
  process.exit(code === 0 && failed === 0 ? 0 : 1);
});
