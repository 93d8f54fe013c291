/**
 * Where a command starts inside the container: the directory the user ran anysnake2 from, when
 * the container shows that directory (through home or a volume), as HPC container runtimes do by default
 * and 2.x projects rely on (`anysnake2 run -- bash script.sh`). Otherwise the container's home,
 * which is all those runtimes would offer either.
 */
import { realpathSync } from 'node:fs';
import { relative, isAbsolute, join } from 'node:path';
import type { Bind } from '../plugin-api.js';

const canonical = (path: string): string | undefined => {
  try {
    return realpathSync(path);
  } catch {
    return undefined;
  }
};

const inside = (path: string, dir: string): string | undefined => {
  const rest = relative(dir, path);
  return rest === '' || (!rest.startsWith('..') && !isAbsolute(rest)) ? rest : undefined;
};

/**
 * The container path that shows the host directory `cwd`, or undefined. `mounts` in mount order
 * (later ones cover earlier ones). Candidates are the same path (the shell's logical `$PWD`
 * first, then the physical one), then `cwd` translated through each mount; a candidate counts
 * only when the mount that covers it inside the container leads back to the same directory.
 */
export function containerPathOf(cwd: string, mounts: readonly Bind[], logicalPwd?: string): string | undefined {
  const real = canonical(cwd);
  if (!real) return undefined;
  const sources = mounts.map((m) => canonical(m.source));
  const showsCwd = (candidate: string): boolean => {
    for (let i = mounts.length - 1; i >= 0; i--) {
      const rest = inside(candidate, mounts[i]!.target);
      if (rest === undefined) continue;
      return sources[i] !== undefined && canonical(join(sources[i]!, rest)) === real;
    }
    return false;
  };
  const candidates: string[] = [];
  if (logicalPwd && isAbsolute(logicalPwd)) candidates.push(logicalPwd);
  candidates.push(real);
  mounts.forEach((m, i) => {
    const rest = sources[i] === undefined ? undefined : inside(real, sources[i]!);
    if (rest !== undefined) candidates.push(join(m.target, rest));
  });
  return candidates.find(showsCwd);
}
