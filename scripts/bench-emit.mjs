// Rendering flake.nix for a large project in-process (issue 15: < 50 ms for 1,000 nixpkgs
// packages): the project is opened as `build flake` opens it, then only the emitFlake hook and the
// printer are timed (no Nix, no git, nothing written), after one untimed round.
// Usage: node scripts/bench-emit.mjs [runs]. Uses tsc's modules in core/dist (same code as lib/).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const dist = (path) => new URL(`../core/dist/${path}`, import.meta.url).href;
const runs = Number(process.argv[2] ?? 10);
const count = 1000;
const dir = mkdtempSync(join(tmpdir(), 'as2-bench-emit-'));
try {
  const packages = Array.from({ length: count }, (_, i) => `"pkg${i}"`).join(', ');
  writeFileSync(join(dir, 'anysnake2.toml'), `[nixpkgs]\nurl = "github:NixOS/nixpkgs/master/0123456789abcdef0123456789abcdef01234567"\npackages = [${packages}]\n`);
  const { lightConfig } = await import(dist('light/light-config.js'));
  const { openProject } = await import(dist('pipeline/project.js'));
  const { renderFlakeFiles } = await import(dist('pipeline/emit.js'));
  const { createLogger } = await import(dist('log.js'));
  const oclif = lightConfig('anysnake2:plugin');
  if (!oclif) throw new Error('user-installed plugins: run this without them');
  const project = await openProject(oclif, { cwd: dir, log: createLogger({ verbose: false, quiet: true }) });
  const times = [];
  for (let i = 0; i <= runs; i++) {
    const start = performance.now();
    const { files } = await renderFlakeFiles(project);
    if (i > 0) times.push(performance.now() - start);
    const flake = files.get('flake.nix');
    if (!flake.includes(`pkg${count - 1}`)) throw new Error('a package is missing from flake.nix');
  }
  times.sort((a, b) => a - b);
  console.log(`flake.nix for ${count} nixpkgs packages: median ${times[times.length >> 1].toFixed(1)} ms, min ${times[0].toFixed(1)} ms (${runs} runs; target < 50 ms)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
