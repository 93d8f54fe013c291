/**
 * Content key of the flake repository's committed state, so an unchanged flake spawns no git
 * (`build flake` and the full `run` path call commitFlakeFiles every time). The key covers the
 * tracked paths, their bytes, and the stamps (size, mtime, ctime, inode) of the git index, HEAD and the
 * branch HEAD names: whatever git or the user does in the repository changes one of them, and the
 * next run asks git again. Recorded after a commit, in `.flake_git_state.json` (run state, ignored).
 */
import { sha256Hex } from '../digest.js';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../fs-atomic.js';

const STATE_FILE = '.flake_git_state.json';

async function stamp(path: string): Promise<string> {
  try {
    const s = await stat(path);
    // ctime too: an mtime can be set back by hand (touch -d), a ctime cannot.
    return `${s.size}:${s.mtimeMs}:${s.ctimeMs}:${s.ino}`;
  } catch {
    return 'absent';
  }
}

/** undefined when the state cannot be keyed cheaply (a tracked path is a directory). */
export async function flakeGitKey(flakeDir: string, paths: readonly string[]): Promise<string | undefined> {
  // The same bytes as a streamed SHA-256 would see, hashed at once (digest.ts: without node:crypto when it can).
  const parts: Buffer[] = [];
  const git = join(flakeDir, '.git');
  const head = await readFile(join(git, 'HEAD'), 'utf8').catch(() => '');
  const ref = /^ref: (refs\/[^\s]+)\s*$/.exec(head)?.[1];
  for (const file of ['index', 'HEAD', 'packed-refs', ...(ref ? [ref] : [])]) parts.push(Buffer.from(`${file}\0${await stamp(join(git, file))}\0`));
  for (const path of [...paths].sort()) {
    const s = await stat(join(flakeDir, path));
    if (!s.isFile()) return undefined;
    parts.push(Buffer.from(`${path}\0`), await readFile(join(flakeDir, path)), Buffer.from('\0'));
  }
  return sha256Hex(Buffer.concat(parts));
}

export async function recordedFlakeGitKey(flakeDir: string): Promise<string | undefined> {
  try {
    return (JSON.parse(await readFile(join(flakeDir, STATE_FILE), 'utf8')) as { key?: string }).key;
  } catch {
    return undefined;
  }
}

export async function recordFlakeGitKey(flakeDir: string, key: string): Promise<void> {
  await writeFileAtomic(join(flakeDir, STATE_FILE), `${JSON.stringify({ key })}\n`);
}
