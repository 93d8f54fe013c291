/**
 * The project's [cmd.*] names for shell completion (completion-scripts.ts reads them without
 * starting node): refreshed whenever the CLI reads the default config of a project that has a
 * .anysnake2_flake, written only when the names changed.
 */
import { readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';

export const CMD_NAMES_CACHE = 'cmd_names';

export function refreshCmdNamesCache(flakeDir: string, config: unknown): void {
  const cmd = (config as { cmd?: unknown } | undefined)?.cmd;
  const names =
    cmd && typeof cmd === 'object'
      ? Object.keys(cmd)
          .filter((name) => /^[A-Za-z0-9_-]+$/.test(name))
          .sort()
      : [];
  const text = names.map((name) => `${name}\n`).join('');
  const file = join(flakeDir, CMD_NAMES_CACHE);
  try {
    if (readFileSync(file, 'utf8') === text) return;
  } catch {}
  try {
    writeFileSync(`${file}.${process.pid}.tmp`, text);
    renameSync(`${file}.${process.pid}.tmp`, file);
  } catch {
    // No .anysnake2_flake yet (the scripts read anysnake2.toml then), or not ours to write: completion is a convenience.
  }
}
