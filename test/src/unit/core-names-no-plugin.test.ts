/**
 * The core knows no bundled plugin (issue 13 §5): no module under core/src or core/nix names a
 * plugin, its sections, its commands or its tools. What a plugin contributes it declares through
 * the API (section order, rootfs links, update rules, command words in its package.json).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO } from '../support/cli.js';

/** Whole words, any case: the plugins, their sections and commands, the tools only they run. */
const WORDS = [
  'python',
  'rust',
  'jupyter',
  'singularity',
  'apptainer',
  'bwrap',
  'bubblewrap',
  'podman',
  'slurm',
  'sbatch',
  'submit',
  'sif',
  'uv2nix',
  'uv2nix_override_collection',
  'pyproject_build_systems',
  'ancient_poetry',
  'poetry2nix',
  'pyvenv',
  'nixR',
  'R_libs',
  'evcxr',
  'IRkernel',
  'rpy2',
];
/** Sections whose names are also ordinary words: only their section-like spellings. */
const SECTION_SPELLINGS = [/'R'|"R"|\[R[\].]|\bR\.[a-z_]+\b|`R`/, /'flakes'|"flakes"|\[flakes[\].]|`flakes\.[A-Za-z<]/];

/** Generic uses of those words, each with why: the file and the exact text. */
const ALLOWED: readonly { file: string; text: string; why: string }[] = [
  { file: 'core/src/doctor/nix.ts', text: "list.includes('flakes')", why: "Nix's experimental feature, not the [flakes] section" },
];

const pattern = new RegExp(`(?<![A-Za-z0-9_])(${WORDS.join('|')})(?![A-Za-z0-9_])`, 'i');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'vendor' ? [] : files(path); // vendor/: bundled third-party code
    return /\.(ts|nix)$/.test(name) ? [path] : [];
  });
}

test('no module under core/src or core/nix names a bundled plugin, its sections, commands or tools', () => {
  const found: string[] = [];
  const scanned = [...files(join(REPO, 'core', 'src')), ...files(join(REPO, 'core', 'nix'))];
  assert.ok(scanned.length > 100, `only ${scanned.length} files scanned`);
  for (const file of scanned)
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        const hit = pattern.exec(line)?.[1] ?? SECTION_SPELLINGS.map((p) => p.exec(line)?.[0]).find(Boolean);
        if (ALLOWED.some((a) => relative(REPO, file) === a.file && line.includes(a.text))) return;
        if (hit) found.push(`${relative(REPO, file)}:${i + 1}: ${hit}: ${line.trim()}`);
      });
  assert.deepEqual(found, []);
});

test('the scan would see a plugin name (the patterns are not dead)', () => {
  for (const line of ["if (name === 'python')", '// runs sbatch', "section('R')", '[flakes.x]', 'R_libs', 'apptainer build']) {
    assert.ok(pattern.test(line) || SECTION_SPELLINGS.some((p) => p.test(line)), line);
  }
  for (const line of ['nix-command flakes', 'local flakes need an absolute path', 'O/R/X', 'rustic'])
    assert.ok(!pattern.test(line) && !SECTION_SPELLINGS.some((p) => p.test(line)), line);
});
