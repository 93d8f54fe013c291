// Writes oclif.manifest.json for a package (run in its directory), so the CLI starts without
// importing any command module. Uses @oclif/core's own manifest builder, like `oclif manifest`.
// The file is replaced atomically and only when it changed: `npm pack` (prepack) may run this
// while tests start the CLI, which must never see a missing or half-written manifest.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Plugin } from '@oclif/core';

const root = process.cwd();
const file = join(root, 'oclif.manifest.json');
// Build from the command modules alone, never from the manifest being replaced.
const plugin = new Plugin({ root, isRoot: true, type: 'core', ignoreManifest: true });
await plugin.load();
const text = JSON.stringify(plugin.manifest, null, 2) + '\n';
let before;
try {
  before = readFileSync(file, 'utf8');
} catch {}
if (before !== text) {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}
console.error(`${before === text ? 'unchanged' : 'wrote'} ${file} (${Object.keys(plugin.manifest.commands).length} commands)`);
