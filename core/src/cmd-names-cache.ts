/**
 * The project's [cmd.*] names for shell completion (completion-scripts.ts reads them without
 * starting node): refreshed whenever the CLI reads the default config of a project that has a
 * .anysnake2_flake, written only when the names changed.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { dirname, join } from 'node:path';

// In run_scripts/ (ignored by the flake's git, so Nix never sees it); the dot keeps it apart from
// the per-command folders, whose names never start with one.
export const CMD_NAMES_CACHE = 'run_scripts/.cmd_names';

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
    if (!existsSync(flakeDir)) return;
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 }); // run_scripts/ is owner-only (run-command.ts)
    writeFileSync(`${file}.${process.pid}.tmp`, text);
    renameSync(`${file}.${process.pid}.tmp`, file);
  } catch {
    // Nothing run yet (the scripts read anysnake2.toml then), or not ours to write: completion is a convenience.
  }
}
