/**
 * The local package index of the fixture universe (test/fixtures/pypi): small real wheels and one
 * sdist with upload times, served on 127.0.0.1 with PyPI's simple (PEP 503/691/700) and JSON APIs.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { FIXTURES, containerProject, fixtureUniverse } from './cli.js';

export interface PackageIndex {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** Environment that points uv and anysnake2's PyPI lookups at this index. */
  readonly env: NodeJS.ProcessEnv;
  close(): void;
}

/** A container project whose Python tool pins are the fixture flakes; `python` is appended TOML. */
export function pythonProject(python: string): string {
  const u = fixtureUniverse();
  const pins = ['[uv2nix]', `url = "${u}/uv2nix"`, '[pyproject_build_systems]', `url = "${u}/build-system-pkgs"`, '[uv2nix_override_collection]', `url = "${u}/hammer-overrides"`];
  return containerProject(`${pins.join('\n')}\n${python}`, ['hello']);
}

let generated: string | undefined;

function indexDir(): string {
  if (!generated) {
    generated = mkdtempSync(join(tmpdir(), 'as2-pypi-'));
    execFileSync('python3', [join(FIXTURES, 'pypi', 'make-index.py'), generated], { stdio: 'inherit' });
  }
  return generated;
}

export async function startPackageIndex(): Promise<PackageIndex> {
  const child: ChildProcess = spawn('python3', [join(FIXTURES, 'pypi', 'serve.py'), indexDir(), '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => {
      const match = /^listening (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
      if (match) resolve(match[1]!);
      else reject(new Error(`unexpected first line from serve.py: ${line}`));
    });
    child.once('exit', (code) => reject(new Error(`serve.py exited with ${code}`)));
  });
  return {
    url,
    env: { UV_DEFAULT_INDEX: `${url}/simple`, ANYSNAKE2_PYPI_URL: url },
    close: () => void child.kill(),
  };
}
