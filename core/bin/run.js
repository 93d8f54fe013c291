#!/usr/bin/env node
// Entry point. `--version` is answered without loading oclif or any plugin; everything else goes
// through oclif with its shipped manifest, so command modules are imported only when they run.
import { readFileSync } from 'node:fs';

const raw = process.argv.slice(2);
if (raw.length === 1 && (raw[0] === '--version' || raw[0] === '-V')) {
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`anysnake2 ${version}\n`);
} else {
  const { normalizeArgv } = await import('../dist/argv.js');
  const verbose = raw.includes('--verbose');
  try {
    const { run, flush } = await import('@oclif/core');
    await run(normalizeArgv(raw), import.meta.url);
    await flush();
  } catch (error) {
    const { reportFailure } = await import('../dist/report-failure.js');
    process.exitCode = reportFailure(error, verbose);
  }
}
