// Builds the core's native module core/lib/native/process.node from core/native/process.c (Node-API,
// so one build serves every Node.js line): the warm path starts the runtime, asks isatty and hashes
// through it instead of loading node:child_process, node:tty and node:crypto (core/src/native.ts). It needs a C compiler and Node's node_api.h
// (Debian's nodejs package and the official Node.js archives ship it). Without either, anysnake2
// works as before with Node's modules; this script then says so and succeeds.
// The file is replaced only when its bytes change (by rename), so an unchanged build keeps the
// warm records valid (they stamp the core's lib/ folders).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';

const repo = new URL('..', import.meta.url).pathname;
const source = join(repo, 'core', 'native', 'process.c');
const target = join(repo, 'core', 'lib', 'native', 'process.node');

const onPath = (name) => {
  try {
    execFileSync('sh', ['-c', 'command -v "$1"', 'sh', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};
const compiler = [process.env.CC, 'cc', 'gcc', 'clang'].find((name) => name && onPath(name));
const headers = [join(dirname(process.execPath), '..', 'include', 'node'), '/usr/include/node', '/usr/local/include/node'].find((dir) => existsSync(join(dir, 'node_api.h')));
if (!compiler || !headers) {
  const missing = compiler ? "Node.js's node_api.h" : 'a C compiler (cc)';
  console.error(`native: no ${missing}: anysnake2 will use Node's own modules, slower to load (install gcc to change that)`);
  process.exit(0);
}

mkdirSync(dirname(target), { recursive: true });
const temporary = `${target}.${process.pid}.tmp`;
try {
  execFileSync(compiler, ['-O2', '-Wall', '-Wextra', '-Werror', '-shared', '-fPIC', '-I', headers, '-o', temporary, source], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (existsSync(target) && readFileSync(target).equals(readFileSync(temporary))) {
    rmSync(temporary);
    console.error(`native: unchanged ${target}`);
  } else {
    renameSync(temporary, target);
    console.error(`native: built ${target}`);
  }
} catch (error) {
  rmSync(temporary, { force: true });
  throw error;
}
