/**
 * taplo and anysnake2 agree on the layout (docs/configuration.md, "Formatting with taplo"): a file
 * `taplo fmt` formatted with the documented settings is canonical for anysnake2. taplo is not a
 * dependency: the test runs when `taplo` is on PATH (or ANYSNAKE2_TAPLO names it), else it skips, saying so.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, containerProject, runCli } from '../support/cli.js';

const TAPLO = process.env.ANYSNAKE2_TAPLO ?? 'taplo';
// `taplo --version` prints its version but exits 1 (taplo 0.9).
const ABSENT = /^taplo \d/.test(spawnSync(TAPLO, ['--version'], { encoding: 'utf8', timeout: 30_000 }).stdout ?? '') ? false : 'no taplo on PATH (set ANYSNAKE2_TAPLO to run this)';

/** The `[formatting]` table exactly as the docs show it. */
function documentedTaploConfig(): string {
  const docs = readFileSync(join(REPO, 'docs', 'configuration.md'), 'utf8');
  const section = docs.slice(docs.indexOf('## Formatting with taplo'));
  return /```toml\n([\s\S]*?)```/.exec(section)![1]!;
}

test('taplo fmt with the documented .taplo.toml gives a file anysnake2 finds canonical', { skip: ABSENT }, () => {
  const cwd = containerProject('[cmd.b]\nrun = "true"\n[cmd.a]\nrun = "true"\n', ['hello', 'fixture-only', 'bash']);
  assert.equal(runCli(['tofu'], { cwd }).code, 0);
  writeFileSync(join(cwd, '.taplo.toml'), documentedTaploConfig());
  const fmt = spawnSync(TAPLO, ['fmt', 'anysnake2.toml'], { cwd, encoding: 'utf8', timeout: 60_000, killSignal: 'SIGKILL' });
  assert.equal(fmt.status, 0, fmt.stderr);
  const formatted = readFileSync(join(cwd, 'anysnake2.toml'), 'utf8');
  const r = runCli(['tofu', '--dry-run'], { cwd });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /pinned and canonical; nothing to write/);
  // And taplo leaves it as it is.
  assert.equal(spawnSync(TAPLO, ['fmt', '--check', 'anysnake2.toml'], { cwd, timeout: 60_000, killSignal: 'SIGKILL' }).status, 0);
  assert.equal(readFileSync(join(cwd, 'anysnake2.toml'), 'utf8'), formatted);
});
