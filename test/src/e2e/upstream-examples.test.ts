/**
 * Existing anysnake2.toml files keep working: every config under ../shared/reference/upstream-examples
 * loads, validates and gives a flake. Only the one the original itself rejects may fail, cleanly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHARED, copyToTemp, runCli } from '../support/cli.js';
import { nixParses } from '../support/nix.js';

const EXAMPLES = join(SHARED, 'reference', 'upstream-examples');

/** Configs the original rejects too (1.x fetcher syntax: "Invalid key \"method\" in package definition"). */
const REJECTED_BY_ORIGINAL = new Set(['just_python_trust_on_first_use/test.toml']);
/** Configs whose first run needs a remote the local git host cannot stand in for (Mercurial on hg.sr.ht). */
const NEEDS_NETWORK = new Map([['just_python_trust_on_first_use/anysnake2.toml', /python\.packages\.lvr\.url: could not query https:\/\/hg\.sr\.ht\/~bwe\/lvr/]]);

/** A clone without ../shared beside it has no upstream examples: the conformance tests skip, saying so. */
const ABSENT = existsSync(EXAMPLES) ? false : `needs the upstream examples in ${EXAMPLES} (absent beside this clone)`;

const configs = ABSENT
  ? []
  : readdirSync(EXAMPLES)
      .sort()
      .flatMap((dir) =>
        readdirSync(join(EXAMPLES, dir))
          .filter((f) => f.endsWith('.toml'))
          .map((f) => `${dir}/${f}`),
      );

test('the upstream examples are present', { skip: ABSENT }, () => {
  assert.ok(configs.length >= 20, `found only ${configs.length} configs in ${EXAMPLES}`);
});

for (const config of configs) {
  test(`upstream example ${config}`, () => {
    const [dir, file] = config.split('/') as [string, string];
    const cwd = copyToTemp(join(EXAMPLES, dir));
    const before = readFileSync(join(cwd, file), 'utf8');
    const r = runCli(['-c', file, 'build', 'flake'], { cwd });
    assert.doesNotMatch(r.stderr, /\n\s+at .*:\d+:\d+\)/, 'no stack trace');
    const offline = NEEDS_NETWORK.get(config);
    if (offline) {
      assert.equal(runCli(['-c', file, 'check'], { cwd }).code, 0, 'it is valid');
      assert.equal(r.code, 75, r.stderr);
      assert.match(r.stderr, offline);
      assert.equal(readFileSync(join(cwd, file), 'utf8'), before, 'a failed lookup writes nothing');
      return;
    }
    if (REJECTED_BY_ORIGINAL.has(config)) {
      assert.equal(r.code, 65, r.stderr);
      assert.match(r.stderr, /python\.packages\.plotnine\.method: is not a valid key here/);
      assert.match(r.stderr, /hint: the 1\.x fetcher syntax is gone/);
      return;
    }
    if (/^\[python\]/m.test(before)) {
      // Locking needs uv from the pinned uv2nix (GitHub), PyPI (also for "pypi" pins), Mercurial
      // sources, and an unpinned [rust] version its rust-overlay: offline, a clean exit 75.
      assert.equal(r.code, 75, r.stderr);
      assert.match(
        r.stderr,
        /could not fetch uv \(github:[^)]+\/[0-9a-f]{40}#uv-bin\)|could not check out https:\/\/hg\.|could not ask PyPI for the newest|could not read the stable versions of rust-overlay/,
      );
      // When locking (not pinning) failed, everything was pinned before.
      if (!/pinning failed/.test(r.stderr)) assert.equal(runCli(['-c', file, 'tofu', '--offline'], { cwd }).code, 0, 'pinned before locking');
      else assert.equal(readFileSync(join(cwd, file), 'utf8'), before, 'a failed pinning writes nothing');
      return;
    }
    assert.equal(r.code, 0, r.stderr);
    const flake = join(cwd, '.anysnake2_flake', 'flake.nix');
    assert.ok(existsSync(flake));
    const parsed = nixParses(flake);
    assert.ok(parsed.ok, parsed.stderr);
    // The nixpkgs pin of the config arrives in the flake (branch dropped, as in the Nix form).
    const text = readFileSync(join(cwd, file), 'utf8');
    assert.equal(runCli(['-c', file, 'tofu', '--offline'], { cwd }).code, 0, 'pinned after the first run');
    const pinned = text.match(/\[nixpkgs\][^[]*?url = "github:([^/]+\/nixpkgs)\/[^/"]+\/([^"]+)"/s);
    if (pinned) assert.ok(readFileSync(flake, 'utf8').includes(`"github:${pinned[1]}/${pinned[2]}"`), 'nixpkgs pin in flake');
  });
}
