/** Atomic writes and the name checks behind them, on a real file system. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, lstatSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeStaleTempFiles, writeFileAtomic } from '../../../core/dist/fs-atomic.js';
import { cloneDirProblem, cloneNameProblem, commandNameProblem, pathInside } from '../../../core/dist/config/safe-names.js';
import { CantCreateError } from '../../../core/dist/errors.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'as2-fs-atomic-'));

test('generated files replace a planted symlink instead of writing through it', async () => {
  const dir = scratch();
  writeFileSync(join(dir, 'victim'), 'precious');
  symlinkSync(join(dir, 'victim'), join(dir, 'flake.nix'));
  await writeFileAtomic(join(dir, 'flake.nix'), 'generated');
  assert.equal(readFileSync(join(dir, 'victim'), 'utf8'), 'precious');
  assert.equal(lstatSync(join(dir, 'flake.nix')).isSymbolicLink(), false);
  assert.equal(readFileSync(join(dir, 'flake.nix'), 'utf8'), 'generated');
});

test('throughSymlinks writes the real target and keeps the link; an explicit mode wins over the old one', async () => {
  const dir = scratch();
  writeFileSync(join(dir, 'real.toml'), 'old');
  chmodSync(join(dir, 'real.toml'), 0o640);
  symlinkSync('real.toml', join(dir, 'anysnake2.toml'));
  await writeFileAtomic(join(dir, 'anysnake2.toml'), 'new', undefined, { throughSymlinks: true });
  assert.ok(lstatSync(join(dir, 'anysnake2.toml')).isSymbolicLink());
  assert.equal(readFileSync(join(dir, 'real.toml'), 'utf8'), 'new');
  assert.equal(statSync(join(dir, 'real.toml')).mode & 0o777, 0o640);
  await writeFileAtomic(join(dir, 'real.toml'), 'secret', 0o600);
  assert.equal(statSync(join(dir, 'real.toml')).mode & 0o777, 0o600);
  assert.deepEqual(
    readdirSync(dir).filter((f) => f.endsWith('.tmp')),
    [],
  );
});

test('stale temp files: dead writer and older than 5 s, or older than 10 minutes', async () => {
  const dir = scratch();
  const now = Date.now();
  const make = (name: string, ageMs: number) => {
    writeFileSync(join(dir, name), '');
    const t = new Date(now - ageMs);
    utimesSync(join(dir, name), t, t);
  };
  make('.anysnake2.toml.99999999.0123456789ab.tmp', 6_000); // no such pid
  make('.anysnake2.toml.99999999.0123456789ac.tmp', 1_000); // too fresh
  make(`.anysnake2.toml.${process.pid}.0123456789ad.tmp`, 9 * 60_000); // alive
  make(`.anysnake2.toml.${process.pid}.0123456789ae.tmp`, 11 * 60_000); // alive but ancient
  make('.other.toml.99999999.0123456789af.tmp', 60_000); // another file's
  const removed = (await removeStaleTempFiles(dir, 'anysnake2.toml', now)).map((p) => p.slice(dir.length + 1)).sort();
  assert.deepEqual(removed, ['.anysnake2.toml.99999999.0123456789ab.tmp', `.anysnake2.toml.${process.pid}.0123456789ae.tmp`].sort());
  assert.deepEqual(await removeStaleTempFiles(dir, undefined, now).then((r) => r.map((p) => p.slice(dir.length + 1))), ['.other.toml.99999999.0123456789af.tmp']);
});

test('names that become paths', () => {
  for (const good of ['default', 'test_R', 'build-2.0', 'données', 'a.b']) assert.equal(commandNameProblem(good), undefined, good);
  for (const bad of ['', '.x', '..', 'a/b', '../x', 'a b', 'x\0', '-'.repeat(101)]) assert.ok(commandNameProblem(bad), JSON.stringify(bad));
  for (const good of ['code', '.', 'deep/er', 'x/./y']) assert.equal(cloneDirProblem(good), undefined, good);
  for (const bad of ['', '/abs', '~/x', '../x', 'a/../../x', '.anysnake2_flake', './.anysnake2_flake/x']) assert.ok(cloneDirProblem(bad), bad);
  assert.equal(cloneNameProblem('code', 'dppd'), undefined);
  const badClones: [string, string][] = [
    ['code', '../anysnake2.toml'],
    ['.', 'anysnake2.toml'],
    ['.', '.anysnake2_flake'],
    ['code', '..'],
    ['code', '.clone_info.json'],
    ['code', 'a/b'],
  ];
  for (const [dir, name] of badClones) assert.ok(cloneNameProblem(dir, name), `${dir} ${name}`);
});

test('pathInside refuses what leaves the base, lexically', () => {
  assert.equal(pathInside('/p/flake/run_scripts', ['shell']), '/p/flake/run_scripts/shell');
  assert.equal(pathInside('/p', ['.'], { allowBase: true }), '/p');
  for (const parts of [['../x'], ['/etc'], ['.'], ['a/../../b'], ['x\0']]) assert.throws(() => pathInside('/p', parts), CantCreateError, parts.join());
});
