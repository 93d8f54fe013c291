// `prepack` of every published package (npm pack / npm publish run it in the package folder):
// build the whole repository (tsc -b is incremental, about a second when nothing changed), the
// vendored bundles and the oclif manifest for core, and put the repository's LICENSE beside the package.json so the
// tarball carries it (the copies are gitignored).
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const repo = new URL('..', import.meta.url).pathname;
const pkgDir = process.cwd();
const tsc = createRequire(join(repo, 'package.json')).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-b', join(repo, 'tsconfig.json')], { stdio: 'inherit' });
// tsc's re-exports of core/src/vendor/ become single-file bundles (scripts/bundle.mjs).
execFileSync(process.execPath, [join(repo, 'scripts', 'bundle.mjs')], { stdio: 'inherit' });
// Each package's runtime becomes a few ESM files in lib/ (scripts/bundle-runtime.mjs).
execFileSync(process.execPath, [join(repo, 'scripts', 'bundle-runtime.mjs')], { stdio: 'inherit' });
// The core's native module, lib/native/process.node, for this platform (scripts/build-native.mjs; none without a C compiler).
execFileSync(process.execPath, [join(repo, 'scripts', 'build-native.mjs')], { stdio: 'inherit' });
// Packages with commands (core, plugins/slurm) ship their oclif manifest.
if (JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).oclif?.commands)
  execFileSync(process.execPath, [join(repo, 'scripts', 'manifest.mjs')], { cwd: pkgDir, stdio: 'inherit' });
copyFileSync(join(repo, 'LICENSE'), join(pkgDir, 'LICENSE'));
