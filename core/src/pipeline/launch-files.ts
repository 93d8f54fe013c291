/**
 * A LaunchSpec names its files by fixed paths (recorded once, replayed by the warm path), but two
 * runs of the same command may start at once — the tasks of a Slurm array, two terminals. Each
 * launch therefore gets its own copies: every file gets a per-launch name, and every mention of
 * the recorded path in argv, env and cleanup is rewritten to it. Runs never read or remove each
 * other's files (which may hold different environment values).
 */
import { randomBytes } from 'node:crypto';
import type { LaunchSpec } from '../plugin-api.js';

export function privateLaunchSpec(spec: LaunchSpec, token = `${process.pid}-${randomBytes(4).toString('hex')}`): LaunchSpec {
  const files = spec.files ?? [];
  if (files.length === 0) return spec;
  const renamed = new Map(files.map((file) => [file.path, `${file.path}.${token}`]));
  // Longest first, so a path that is a prefix of another is not rewritten inside it.
  const order = [...renamed.keys()].sort((a, b) => b.length - a.length);
  const rewrite = (text: string) => order.reduce((out, path) => out.split(path).join(renamed.get(path)!), text);
  return {
    ...spec,
    argv: spec.argv.map(rewrite),
    ...(spec.env ? { env: Object.fromEntries(Object.entries(spec.env).map(([name, value]) => [name, rewrite(value)])) } : {}),
    files: files.map((file) => ({ ...file, path: renamed.get(file.path)! })),
    // The private copies always go; other cleanup paths stay as the runtime named them.
    cleanup: [...new Set([...(spec.cleanup ?? []).map((path) => renamed.get(path) ?? path), ...renamed.values()])],
  };
}
