// Writes oclif.manifest.json for a package (run in its directory), so the CLI starts without
// importing any command module. Uses @oclif/core's own manifest builder, like `oclif manifest`.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Plugin } from '@oclif/core';

const root = process.cwd();
const file = join(root, 'oclif.manifest.json');
rmSync(file, { force: true });
const plugin = new Plugin({ root, isRoot: true, type: 'core' });
await plugin.load();
writeFileSync(file, JSON.stringify(plugin.manifest, null, 2) + '\n');
console.error(`wrote ${file} (${Object.keys(plugin.manifest.commands).length} commands)`);
