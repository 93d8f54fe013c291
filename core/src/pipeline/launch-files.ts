/**
 * A LaunchSpec names its files by fixed paths (recorded once, replayed by the warm path), but two
 * runs of the same command may start at once — the tasks of a batch array job, two terminals. A file the
 * spec also lists in `cleanup` lives only for its launch, so each launch gets its own copy: a
 * per-launch name, with every mention of the recorded path in argv, env and cleanup rewritten to it.
 * Runs never read or remove each other's such files (which may hold different environment values).
 * Files not in `cleanup` are meant to stay (a script the user reruns by hand) and keep their path.
 */
import { crypto } from '../lazy-builtins.js';
import type { LaunchSpec } from '../plugin-api.js';

export function privateLaunchSpec(spec: LaunchSpec, fixedToken?: string): LaunchSpec {
  const files = spec.files ?? [];
  if (files.length === 0) return spec;
  const token = fixedToken ?? `${process.pid}-${crypto().randomBytes(4).toString('hex')}`;
  const ephemeral = new Set(spec.cleanup ?? []);
  const renamed = new Map(files.filter((file) => ephemeral.has(file.path)).map((file) => [file.path, `${file.path}.${token}`]));
  if (renamed.size === 0) return spec;
  // Longest first, so a path that is a prefix of another is not rewritten inside it.
  const order = [...renamed.keys()].sort((a, b) => b.length - a.length);
  const rewrite = (text: string) => order.reduce((out, path) => out.split(path).join(renamed.get(path)!), text);
  return {
    ...spec,
    argv: spec.argv.map(rewrite),
    ...(spec.env ? { env: Object.fromEntries(Object.entries(spec.env).map(([name, value]) => [name, rewrite(value)])) } : {}),
    files: files.map((file) => ({ ...file, path: renamed.get(file.path) ?? file.path })),
    cleanup: (spec.cleanup ?? []).map((path) => renamed.get(path) ?? path),
  };
}
