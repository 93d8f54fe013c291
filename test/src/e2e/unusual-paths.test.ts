/**
 * A project in a directory whose path Nix 2.x misreads in a URL (a space, `%`): the generated flake
 * is reached through a plainly named link in the user's cache, and local `path:` inputs with such
 * paths are written as attributes. Everything of this test process (fixture universe, projects,
 * cache) lives under such a directory.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Before any helper asks for a temporary directory: the universe's nixpkgs then has a `%` in its path.
process.env.TMPDIR = mkdtempSync(join(tmpdir(), 'as2%odd-'));
const { containerProject, runCli } = await import('../support/cli.js');

const bwrapEnv = { ANYSNAKE2_INSIDE: '', SINGULARITY_NAME: '', APPTAINER_NAME: '' };

test('a project under a path with a space and a % builds and runs; its local inputs are read as they are', () => {
  const made = containerProject();
  const parent = join(process.env.TMPDIR!, 'my analysis 100%');
  mkdirSync(parent);
  const project = join(parent, 'proj');
  renameSync(made, project);
  const cache = mkdtempSync(join(tmpdir(), 'cache-'));
  const env = { ...bwrapEnv, XDG_CACHE_HOME: cache.replace(/%/g, '_') };
  mkdirSync(env.XDG_CACHE_HOME, { recursive: true });

  const r = runCli(['run', '--', 'echo', 'ran inside'], { cwd: project, env });
  if (r.code !== 0 && /bwrap|user namespace|no runtime/i.test(r.stderr)) return; // no container here: the container tests skip alike
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^ran inside$/m);

  const flake = readFileSync(join(project, '.anysnake2_flake', 'flake.nix'), 'utf8');
  assert.match(flake, /type = "path";\s*path = "[^"]*%[^"]*\/mini-nixpkgs";/, 'the nixpkgs input with a % is given as attributes');
  const links = readdirSync(join(env.XDG_CACHE_HOME, 'anysnake2', 'paths'));
  assert.deepEqual(
    links.map((l) => readlinkSync(join(env.XDG_CACHE_HOME, 'anysnake2', 'paths', l))),
    [project],
  );
});
