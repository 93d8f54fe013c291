#!/usr/bin/env node
// Entry point. `--version` is answered without loading oclif or any plugin. A command that ran
// before with identical inputs starts on the warm path (src/warm: no oclif, plugins or nix).
// Otherwise a command that builds or runs a project that pins another anysnake2 version switches
// to it (src/self-version); read-only commands and completion never do.
// check, build flake, run and config with plain words start without oclif (src/light); everything
// else goes through oclif with its shipped manifest, so command modules are imported only when they run.
// This file is CommonJS (bin/package.json): an ES-module entry makes Node start its ES-module loader
// before the first line runs (~8 ms on Node 20), which the warm path never needs — it is one
// CommonJS bundle (lib/warm/warm-run.cjs, scripts/bundle-runtime.mjs). After a warm miss it requires
// lib/light/start.cjs (CommonJS too: the light commands never start it either); oclif is imported.
'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

// Node.js >= 22.1 keeps the compiled code of our modules between runs (in the OS temp folder;
// NODE_DISABLE_COMPILE_CACHE=1 turns it off): every start after the first is shorter. Older
// lines lack the function and start as before.
// (node:module is required only there: on Node 20 it loads the ES-module loader the warm path avoids.)
// Older lines get the same for the bundles of the light commands from src/code-cache (V8's cache
// through node:vm, in the user's cache folder), installed after a warm miss: the warm path's
// bundle has import() calls, which a cached script cannot make on Node 20, so it would gain nothing.
const [major, minor] = process.versions.node.split('.').map(Number);
const nodeCompileCache = major > 22 || (major === 22 && minor >= 1);
if (nodeCompileCache) require('node:module').enableCompileCache?.();
// Plugins run as built (dist/): oclif must never try to transpile a linked plugin's TypeScript (it
// warns on every command that it cannot for ESM plugins, e.g. each `plugins new` scaffold).
globalThis.oclif = { ...globalThis.oclif, enableAutoTranspile: false };

const raw = process.argv.slice(2);
// 2.x spells it `-v 3` (argv.ts turns levels 3–5 into --verbose for the commands).
const verbose =
  raw.includes('--verbose') || raw.some((word, i) => /^(-v|--verbosity)=[3-5]$/.test(word) || ((word === '-v' || word === '--verbosity') && /^[3-5]$/.test(raw[i + 1] ?? '')));
// `report`: the reportFailure of the bundle that threw (lib/light/ is CommonJS, bundled apart from the
// rest of lib/, and each knows only its own error classes); the warm path and oclif throw lib/'s.
const fail = async (error, report) => {
  const reportFailure = report ?? (await import('../lib/report-failure.js')).reportFailure;
  process.exitCode = reportFailure(error, verbose);
};

async function main() {
  if (raw.length === 1 && (raw[0] === '--version' || raw[0] === '-V')) {
    const { version } = JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8'));
    process.stdout.write(`anysnake2 ${version}\n`);
  } else {
    // The child of a version switch (src/self-version) never switches again; nothing it starts inherits the guard.
    const switchedFrom = process.env.ANYSNAKE2_VERSION_SWITCHED;
    delete process.env.ANYSNAKE2_VERSION_SWITCHED;
    let warm;
    // A run given an image file (a batch job, src/pipeline/run-image.ts) never replays a warm entry: those start the rootfs.
    if (!process.env.ANYSNAKE2_NO_WARM_PATH && !process.env.ANYSNAKE2_IMAGE) {
      const { findWarmRun } = require('../lib/warm/warm-run.cjs');
      warm = await findWarmRun(raw).catch((error) => ({ miss: `lookup failed: ${error.message}` }));
      if (process.env.ANYSNAKE2_DEBUG_WARM_PATH) process.stderr.write(`debug: warm path ${warm.run ? 'hit' : `missed: ${warm.miss}`}\n`);
    }
    if (warm?.run) {
      await warm.run().then((status) => (process.exitCode = status), fail);
    } else {
      let report;
      try {
        if (!nodeCompileCache && process.env.NODE_DISABLE_COMPILE_CACHE !== '1') require('../lib/code-cache.cjs').installCodeCache(module.constructor);
        // The version switch, argv, the light dispatcher and their reportFailure: one CommonJS bundle (src/light/start.ts).
        const start = require('../lib/light/start.cjs');
        report = start.reportFailure;
        const status = await start.versionSwitch(raw, { switchedFrom });
        if (status !== undefined) process.exitCode = status;
        else {
          const argv = start.normalizeArgv(raw);
          // check, build flake, run -- words and config start without oclif when their words are plain (src/light).
          const light = start.lightCommand(argv);
          if (light) {
            const lightStatus = await light();
            if (lightStatus !== undefined) process.exitCode = lightStatus;
          } else {
            report = undefined;
            const { run, flush } = await import('@oclif/core');
            // The core's folder (not this file's: oclif would take bin/package.json for the CLI's own).
            await run(argv, join(__dirname, '..'));
            await flush();
          }
        }
      } catch (error) {
        await fail(error, report);
      }
    }
  }
}
main();
