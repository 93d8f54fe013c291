/**
 * `anysnake2 doctor` for apptainer/singularity. Rootless apptainer mounts the container under
 * <LOCALSTATEDIR>/<name>/mnt/…; these directories come with the packaged install but not with
 * every build (behaviour reference §19, the original's FAQ:
 * `sudo mkdir -p /var/singularity/mnt/{container,final,overlay,session}`).
 */
import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { DoctorCheckContext, DoctorFinding, PluginApi } from '@anysnake2/core/plugin-api';

const MOUNT_DIRS = ['container', 'final', 'overlay', 'session'];

async function isDir(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

export async function singularityDoctor(api: PluginApi, name: string, ctx: DoctorCheckContext): Promise<DoctorFinding[]> {
  const binary = await api.which(name, ctx.env.PATH);
  if (!binary)
    return ctx.runtime === name
      ? [
          {
            id: `runtime.${name}`,
            status: 'warn',
            summary: `[container] runtime = "${name}" is not on PATH: each run takes it from outside_nixpkgs (nix shell)`,
            fix: `install ${name} for faster starts`,
          },
        ]
      : [];
  // `buildcfg` prints the build configuration as KEY=value lines (SESSIONDIR is <base>/session).
  const config = await api.exec.try(binary, ['buildcfg'], { env: ctx.env, timeoutMs: 20_000 });
  const setting = (key: string) => config.stdout.match(new RegExp(`^${key}=(.+)$`, 'm'))?.[1]?.trim();
  const sessionDir = setting('SESSIONDIR');
  const localstatedir = setting('LOCALSTATEDIR') || '/var';
  const base = sessionDir ? dirname(sessionDir) : join(localstatedir, name, 'mnt');
  const missing = [];
  for (const dir of MOUNT_DIRS.map((d) => join(base, d))) if (!(await isDir(dir))) missing.push(dir);
  return [
    missing.length === 0
      ? { id: `runtime.${name}-dirs`, status: 'ok', summary: `${name}: ${base}/{${MOUNT_DIRS.join(',')}} exist` }
      : {
          id: `runtime.${name}-dirs`,
          status: 'fail',
          summary: `${name} is installed, but its mount directories are missing: ${missing.join(', ')}`,
          detail: `${binary} buildcfg: ${sessionDir ? `SESSIONDIR ${sessionDir}` : `LOCALSTATEDIR ${localstatedir}`}`,
          fix: `sudo mkdir -p ${base}/{${MOUNT_DIRS.join(',')}}`,
        },
  ];
}
