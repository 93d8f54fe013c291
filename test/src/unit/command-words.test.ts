/** Which first words are anysnake2 commands: the core's, and what plugins declare in package.json (no plugin names in core/src). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCommandWords } from '../../../core/dist/command-words.js';
import { REPO } from '../support/cli.js';

const CORE = join(REPO, 'core');
const json = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>;

async function withDataDir<T>(userPjson: object | undefined, body: (dir: string) => T): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'as2-words-'));
  if (userPjson) writeFileSync(join(dir, 'package.json'), JSON.stringify(userPjson));
  const before = process.env.ANYSNAKE2_DATA_DIR;
  process.env.ANYSNAKE2_DATA_DIR = dir;
  try {
    return body(dir);
  } finally {
    if (before === undefined) delete process.env.ANYSNAKE2_DATA_DIR;
    else process.env.ANYSNAKE2_DATA_DIR = before;
    rmSync(dir, { recursive: true, force: true });
  }
}

test('every bundled plugin declares the first word of each command in its manifest (or adds to a core topic), and the core reads them', async () => {
  const words = await withDataDir(undefined, () => readCommandWords(CORE));
  for (const dir of readdirSync(join(REPO, 'plugins'))) {
    const pjson = json(join(REPO, 'plugins', dir, 'package.json'));
    let manifest: Record<string, any>;
    try {
      manifest = json(join(REPO, 'plugins', dir, 'oclif.manifest.json'));
    } catch {
      continue; // no commands
    }
    for (const id of Object.keys(manifest.commands)) {
      const first = id.split(':')[0]!;
      // A subcommand under a core topic (`build sif`) needs no declaration; a new first word does.
      const declared = pjson.anysnake2?.commands?.[first];
      assert.ok(declared || words.kinds.has(first), `plugins/${dir}: command '${id}' is not declared in package.json anysnake2.commands`);
      if (declared) assert.equal(words.kinds.get(first), declared, `${first}`);
      if (id.includes(':')) assert.ok(words.topics.has(first), `${first} takes a subcommand`);
    }
  }
  assert.equal(words.kinds.get('submit'), 'switch');
  assert.equal(words.kinds.get('jobs'), 'read');
  assert.equal(words.kinds.get('run'), 'switch');
  assert.equal(words.kinds.get('my-analysis'), undefined);
});

test("a linked third-party plugin's declared command is a command word; a kind it misspells never switches; it cannot change a core word", async () => {
  const plugin = mkdtempSync(join(tmpdir(), 'as2-words-plugin-'));
  try {
    mkdirSync(plugin, { recursive: true });
    writeFileSync(
      join(plugin, 'package.json'),
      JSON.stringify({ name: 'x', version: '1.0.0', oclif: { topics: { deploy: {} } }, anysnake2: { commands: { deploy: 'switch', audit: 'sometimes', run: 'read' } } }),
    );
    const words = await withDataDir({ oclif: { plugins: [{ type: 'link', name: 'x', root: plugin }] } }, () => readCommandWords(CORE));
    assert.equal(words.kinds.get('deploy'), 'switch');
    assert.ok(words.topics.has('deploy'));
    assert.equal(words.kinds.get('audit'), 'read');
    assert.equal(words.kinds.get('run'), 'switch');
    const without = await withDataDir(undefined, () => readCommandWords(CORE));
    assert.equal(without.kinds.get('deploy'), undefined);
  } finally {
    rmSync(plugin, { recursive: true, force: true });
  }
});
