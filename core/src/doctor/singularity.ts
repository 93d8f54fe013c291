/**
 * Rootless apptainer/singularity mounts the container under <LOCALSTATEDIR>/<name>/mnt/…; these
 * directories come with the packaged install but not with every build (behaviour reference §19,
 * the original's FAQ: `sudo mkdir -p /var/singularity/mnt/{container,final,overlay,session}`).
 */
import { stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { exec } from '../exec.js';
import { which } from '../which.js';
import type { DoctorContext, Finding } from './finding.js';

const MOUNT_DIRS = ['container', 'final', 'overlay', 'session'];

async function isDir(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

export async function checkSingularityDirs(ctx: DoctorContext): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const name of ['apptainer', 'singularity']) {
    const binary = await which(name, ctx.env.PATH);
    if (!binary) continue;
    // `buildcfg` prints the build configuration as KEY=value lines (SESSIONDIR is <base>/session).
    const config = await exec.try(binary, ['buildcfg'], { env: ctx.env, timeoutMs: 20_000 });
    const setting = (key: string) => config.stdout.match(new RegExp(`^${key}=(.+)$`, 'm'))?.[1]?.trim();
    const sessionDir = setting('SESSIONDIR');
    const localstatedir = setting('LOCALSTATEDIR') || '/var';
    const base = sessionDir ? dirname(sessionDir) : join(localstatedir, name, 'mnt');
    const dirs = MOUNT_DIRS.map((d) => join(base, d));
    const missing = [];
    for (const dir of dirs) if (!(await isDir(dir))) missing.push(dir);
    findings.push(
      missing.length === 0
        ? { id: `runtime.${name}-dirs`, status: 'ok', summary: `${name}: ${base}/{${MOUNT_DIRS.join(',')}} exist` }
        : {
            id: `runtime.${name}-dirs`,
            status: 'fail',
            summary: `${name} is installed, but its mount directories are missing: ${missing.join(', ')}`,
            detail: `${binary} buildcfg: ${sessionDir ? `SESSIONDIR ${sessionDir}` : `LOCALSTATEDIR ${localstatedir}`}`,
            fix: `sudo mkdir -p ${base}/{${MOUNT_DIRS.join(',')}}`,
          },
    );
  }
  return findings;
}
