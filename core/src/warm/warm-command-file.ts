/**
 * Where a plugin command's warm records live (warm-command.ts): in run_scripts/ (owner only,
 * ignored by the flake's git); the dot keeps them apart from [cmd] names. A file of its own so the
 * run warm path can look for one without loading the rest of warm-command.ts.
 */
import { join } from 'node:path';

export const warmCommandFile = (flakeDir: string, word: string) => join(flakeDir, 'run_scripts', '.warm_commands', `${word}.json`);
