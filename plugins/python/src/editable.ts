/**
 * Editable packages (`editable = true | "folder"`, behaviour reference §14.5, done without pip):
 * the checkout lives on the host in `<folder>/<name>`; the locked Nix venv provides the package's
 * dependencies and entry points; at run time the checkout is bound read-only at
 * `/anysnake2_editable/<name>` and put first on PYTHONPATH, so edits are live at once. Nothing is
 * installed outside Nix, so a rebuilt interpreter needs no reinstall or shebang rewrite, and
 * `develop` exports the same checkouts by their host paths (the original fails there, defect 11).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { EmitContext, PluginApi } from '@anysnake2/core/plugin-api';
import { httpGet } from './http.js';
import { parsePackage, type PackageEntry, type PythonPackage } from './requirement.js';
import { lockedSdist } from './uv-lock-file.js';

export interface EditableCheckout {
  readonly name: string;
  /** Absolute host path of the checkout. */
  readonly checkout: string;
  /** Sub-directory that goes on PYTHONPATH: `src` for src layouts, else empty. */
  readonly importDir: string;
}

/** Not under /anysnake2: that is a read-only bind, and runtimes cannot make mount points inside it. */
export const EDITABLE_MOUNT = '/anysnake2_editable';

/** Make sure every editable package has its checkout; returns where they are. */
export async function ensureEditableCheckouts(api: PluginApi, ctx: EmitContext, packages: readonly PythonPackage[], lock: string): Promise<EditableCheckout[]> {
  for (const pkg of packages) {
    if (pkg.editableFolder === undefined) continue;
    const checkout = resolve(ctx.project.projectDir, pkg.editableFolder, pkg.name);
    if (!existsSync(checkout) || readdirSync(checkout).length === 0) {
      if (pkg.source.kind === 'vcs') await api.ensureCheckouts(ctx, pkg.editableFolder, { [pkg.name]: pkg.source.url });
      else {
        const sdist = pkg.source.kind === 'url' ? { url: pkg.source.url } : lockedSdist(lock, pkg.normalized);
        if (!sdist)
          throw new api.errors.ConfigError([
            {
              path: `python.packages.${pkg.name}.editable`,
              message: `the locked release of ${pkg.name} has no sdist to check out`,
              hint: 'give the package a url (github:…, git+https://…) to check out instead',
              location: ctx.config.locate(['python', 'packages', pkg.name]),
            },
          ]);
        ctx.log.info(`unpacking ${sdist.url} into ${pkg.editableFolder}/${pkg.name}`);
        await unpackSdist(api, sdist, checkout);
      }
    }
  }
  return editableCheckouts(ctx.project.projectDir, packages);
}

/** Where the editable checkouts are (after ensureEditableCheckouts made them). */
export function editableCheckouts(projectDir: string, packages: readonly PythonPackage[]): EditableCheckout[] {
  return packages.flatMap((pkg) => {
    if (pkg.editableFolder === undefined) return [];
    const checkout = resolve(projectDir, pkg.editableFolder, pkg.name);
    return [{ name: pkg.name, checkout, importDir: importDirOf(checkout, pkg.normalized) }];
  });
}

async function unpackSdist(api: PluginApi, sdist: { url: string; sha256?: string }, target: string): Promise<void> {
  const data = await httpGet(api, sdist.url, 'download the sdist for an editable checkout', 'check the network and proxy settings, then run again');
  // node:crypto on first use: loading it costs ~8 ms on every start of anysnake2.
  const actual = process.getBuiltinModule('node:crypto').createHash('sha256').update(data).digest('hex');
  if (sdist.sha256 && actual !== sdist.sha256)
    throw new api.errors.ToolFailedError(`${sdist.url} has sha256 ${actual}, but the lock says ${sdist.sha256}`, {
      hint: 'the index served a different file than it did when locking; relock or check the index',
    });
  const work = await mkdtemp(join(tmpdir(), 'anysnake2-sdist-'));
  try {
    const archive = join(work, 'sdist.tar.gz');
    await writeFile(archive, data);
    const unpacked = join(work, 'tree');
    await mkdir(unpacked);
    await api.exec.run('tar', ['-xzf', archive, '--strip-components=1', '-C', unpacked], { installHint: 'install tar' });
    await mkdir(resolve(target, '..'), { recursive: true });
    await rm(target, { recursive: true, force: true });
    await api.exec.run('cp', ['-a', `${unpacked}/.`, target]);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** src layout (`src/<module>`) or flat layout. */
function importDirOf(checkout: string, normalized: string): string {
  const src = join(checkout, 'src');
  if (!existsSync(src) || !statSync(src).isDirectory()) return '';
  const module = normalized.replace(/-/g, '_');
  return existsSync(join(src, module)) || existsSync(join(src, `${module}.py`)) || !existsSync(join(checkout, module)) ? 'src' : '';
}

/** PYTHONPATH entries inside the container, in config order. */
export function containerPythonPath(checkouts: readonly EditableCheckout[]): string[] {
  return checkouts.map((c) => [`${EDITABLE_MOUNT}/${c.name}`, c.importDir].filter(Boolean).join('/'));
}

export function hostPythonPath(checkouts: readonly EditableCheckout[]): string[] {
  return checkouts.map((c) => (c.importDir ? join(c.checkout, c.importDir) : c.checkout));
}

/** Editable checkouts: bound read-only and first on PYTHONPATH, so the container imports the live code. */
export function registerEditableRun(api: PluginApi): void {
  api.hooks.enrichRun.tap('python', (plan, ctx) => {
    const python = ctx.config.section<{ packages: Record<string, PackageEntry> }>('python');
    if (!python) return undefined;
    const packages = Object.entries(python.packages).map(([name, entry]) => parsePackage(name, entry));
    const checkouts = editableCheckouts(ctx.project.projectDir, packages);
    if (checkouts.length === 0) return undefined;
    return {
      binds: checkouts.map((c) => ({ source: c.checkout, target: `${EDITABLE_MOUNT}/${c.name}`, mode: 'ro' as const })),
      env: { PYTHONPATH: [...containerPythonPath(checkouts), plan.env.PYTHONPATH].filter(Boolean).join(':') },
    };
  });
}
