/** Where a command starts inside the container, and which host variables pass in — on real directories. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { containerPathOf } from '../../../core/dist/pipeline/container-workdir.js';
import { passEnv } from '../../../core/dist/pipeline/pass-env.js';
import type { Bind } from '@anysnake2/core/plugin-api';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'as2-workdir-')));
const home = join(root, 'home');
const project = join(home, 'proj');
const data = join(root, 'data');
mkdirSync(join(project, 'sub'), { recursive: true });
mkdirSync(join(data, 'set'), { recursive: true });
symlinkSync(home, join(root, 'home-link'));
const bind = (source: string, target: string): Bind => ({ source, target, mode: 'rw' });
const homeMount = bind(home, home);

test('under home: the same path, also from a subdirectory', () => {
  assert.equal(containerPathOf(project, [homeMount]), project);
  assert.equal(containerPathOf(join(project, 'sub'), [homeMount]), join(project, 'sub'));
});

test('shown only through a volume: the path the volume gives it', () => {
  assert.equal(containerPathOf(join(data, 'set'), [homeMount, bind(data, '/data')]), '/data/set');
});

test('not shown at all: undefined (the caller falls back to the home)', () => {
  assert.equal(containerPathOf(data, [homeMount]), undefined);
  assert.equal(containerPathOf(join(root, 'missing'), [homeMount]), undefined);
});

test('a later mount that covers the same path wins: a shadowed directory is not the one the user is in', () => {
  // Another directory mounted over <home>/proj hides the one the user is in.
  const other = mkdtempSync(join(tmpdir(), 'as2-workdir-other-'));
  assert.equal(containerPathOf(project, [homeMount, bind(other, project)]), undefined);
  assert.equal(containerPathOf(project, [homeMount, bind(project, '/project'), bind(other, project)]), '/project');
});

test("the shell's logical $PWD is preferred when it names the same directory", () => {
  const logical = join(root, 'home-link', 'proj');
  const linkedHome = bind(join(root, 'home-link'), join(root, 'home-link'));
  assert.equal(containerPathOf(project, [linkedHome], logical), logical);
  assert.equal(containerPathOf(project, [linkedHome], '/somewhere/else'), join(root, 'home-link', 'proj'));
});

test('passed host variables: TERM, proxies in both cases, the locale; the config wins; nothing else', () => {
  const host = { TERM: 'xterm', http_proxy: 'a', NO_PROXY: 'b', all_proxy: 'c', LANG: 'C.UTF-8', LC_NUMERIC: 'C', HOME: '/h', SECRET: 's', PATH: '/usr/bin' };
  assert.deepEqual(passEnv(host, { LANG: 'from-config' }), { LC_NUMERIC: 'C', NO_PROXY: 'b', TERM: 'xterm', all_proxy: 'c', http_proxy: 'a' });
});
