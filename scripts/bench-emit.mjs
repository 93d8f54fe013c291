// Rendering flake.nix for a large project in-process (issue 15: < 50 ms for 1,000 nixpkgs
// packages and 500 Python packages): the project is opened as `build flake` opens it, then only
// the emitFlake hooks and the printer are timed (no Nix, no git, nothing written), after one
// untimed round. The Python case locks once, untimed, with a stand-in `nix` on PATH that writes a
// generated uv.lock of 500 packages (uv is never run); the timed rounds find that lock up to date,
// as `build flake` does on an unchanged project.
// Usage: node scripts/bench-emit.mjs [runs]. Uses tsc's modules in core/dist (same code as lib/).
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const dist = (path) => new URL(`../core/dist/${path}`, import.meta.url).href;
const runs = Number(process.argv[2] ?? 10);
const nixpkgsCount = 1000;
const pythonCount = 500;
const rev = '0123456789abcdef0123456789abcdef01234567';
const nixpkgsToml = `[nixpkgs]\nurl = "github:NixOS/nixpkgs/master/${rev}"\npackages = [${Array.from({ length: nixpkgsCount }, (_, i) => `"pkg${i}"`).join(', ')}]\n`;

const { lightConfig } = await import(dist('light/light-config.js'));
const { openProject } = await import(dist('pipeline/project.js'));
const { renderFlakeFiles } = await import(dist('pipeline/emit.js'));
const { createLogger } = await import(dist('log.js'));
const oclif = lightConfig('anysnake2:plugin');
if (!oclif) throw new Error('user-installed plugins: run this without them');

/** A uv.lock as uv writes it: the project, then one `[[package]]` per dependency with its files. */
function generatedUvLock(names) {
  const hash = (i) => `sha256:${i.toString(16).padStart(64, '0')}`;
  const lines = ['version = 1', 'requires-python = "==3.12.*"', '', '[[package]]', 'name = "anysnake2-project"', 'version = "0.0.0"', 'source = { virtual = "." }', ''];
  for (const [i, name] of names.entries()) {
    const file = `https://files.example/${name}-1.${i}.0`;
    lines.push('[[package]]', `name = "${name}"`, `version = "1.${i}.0"`, 'source = { registry = "https://pypi.org/simple" }');
    lines.push(
      `sdist = { url = "${file}.tar.gz", hash = "${hash(2 * i)}", size = 1234 }`,
      `wheels = [\n    { url = "${file}-py3-none-any.whl", hash = "${hash(2 * i + 1)}", size = 1000 },\n]`,
      '',
    );
  }
  return lines.join('\n');
}

async function bench(label, toml, expect, prepare) {
  const dir = mkdtempSync(join(tmpdir(), 'as2-bench-emit-'));
  const path = process.env.PATH;
  try {
    writeFileSync(join(dir, 'anysnake2.toml'), toml);
    prepare?.(dir);
    const project = await openProject(oclif, { cwd: dir, log: createLogger({ verbose: false, quiet: true }) });
    const times = [];
    for (let i = 0; i <= runs; i++) {
      const start = performance.now();
      const { files } = await renderFlakeFiles(project);
      if (i > 0) times.push(performance.now() - start);
      for (const [file, text] of expect) if (!files.get(file)?.includes(text)) throw new Error(`${text} is missing from ${file}`);
    }
    times.sort((a, b) => a - b);
    console.log(`flake for ${label}: median ${times[times.length >> 1].toFixed(1)} ms, min ${times[0].toFixed(1)} ms (${runs} runs; target < 50 ms)`);
  } finally {
    process.env.PATH = path;
    rmSync(dir, { recursive: true, force: true });
  }
}

await bench(`${nixpkgsCount} nixpkgs packages`, nixpkgsToml, [['flake.nix', `pkg${nixpkgsCount - 1}`]]);

const names = Array.from({ length: pythonCount }, (_, i) => `py${i}`);
const pythonToml =
  nixpkgsToml +
  ['uv2nix', 'uv2nix_override_collection', 'pyproject_build_systems'].map((s) => `[${s}]\nurl = "github:example/${s}/${rev}"\n`).join('') +
  `[python]\nversion = "3.12"\necosystem_date = "2024-05-01"\n[python.packages]\n${names.map((n) => `${n} = ""`).join('\n')}\n`;
await bench(
  `${nixpkgsCount} nixpkgs and ${pythonCount} Python packages`,
  pythonToml,
  [
    ['flake.nix', `pkg${nixpkgsCount - 1}`],
    ['uv/uv.lock', `name = "py${pythonCount - 1}"`],
  ],
  (dir) => {
    writeFileSync(join(dir, 'uv.lock.generated'), generatedUvLock(names));
    mkdirSync(join(dir, 'bin'));
    // Stands in for `nix shell <uv2nix>#uv-bin -c uv lock` (and answers `nix show-config` with nothing).
    writeFileSync(join(dir, 'bin', 'nix'), `#!/bin/sh\ncase "$*" in *" uv lock") cp '${dir}/uv.lock.generated' uv.lock ;; *) echo '{}' ;; esac\n`);
    chmodSync(join(dir, 'bin', 'nix'), 0o755);
    process.env.PATH = `${join(dir, 'bin')}:${process.env.PATH}`;
  },
);
