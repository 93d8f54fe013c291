/**
 * The core's native module (native/process.c, built by scripts/build-native.mjs into lib/native/process.node):
 * `foreground` starts the runtime and waits for it (pipeline/launch.ts), `isatty` answers as libc
 * does (terminal.ts) and `sha256` hashes with Node's own OpenSSL (digest.ts): without
 * node:child_process, node:tty and node:crypto, which cost the warm path ~7, ~6 and ~9 ms to load,
 * and without forking Node's whole memory (posix_spawn), which cost it ~10 ms more.
 * Absent (no C compiler at install) or unloadable (another platform), everything works without it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { coreRoot } from './core-root.js';

export interface NativeModule {
  /**
   * Starts `file` (found on the PATH in `env`) with argv and env (`NAME=value`), fds[i] >= 0 as its
   * descriptor 3 + i, and waits for it, passing TERM, HUP and INT on (INT and QUIT not with a
   * `terminal`: the keyboard sends them to the child itself), killing it graceSeconds after such a
   * signal. Its exit status (128 + signal after one; -errno when it could not be started) and the
   * number of the signal that stopped the run (0: none).
   */
  foreground(file: string, argv: readonly string[], env: readonly string[], fds: readonly number[], terminal: boolean, graceSeconds: number): { status: number; signal: number };
  isatty(fd: number): boolean;
  /** Hex SHA-256 by the OpenSSL inside Node.js; undefined when this Node.js does not export it. */
  sha256(data: Uint8Array): string | undefined;
}

export const nativeModulePath = () => join(coreRoot(), 'lib', 'native', 'process.node');

let loaded: NativeModule | null | undefined;

export function nativeModule(): NativeModule | undefined {
  if (loaded === undefined) {
    loaded = null;
    const path = nativeModulePath();
    if (existsSync(path))
      try {
        const module = { exports: {} as Partial<NativeModule> };
        process.dlopen(module, path);
        const { foreground, isatty, sha256 } = module.exports;
        if (typeof foreground === 'function' && typeof isatty === 'function' && typeof sha256 === 'function') loaded = { foreground, isatty, sha256 };
      } catch {
        // built for another platform or libc: go without
      }
  }
  return loaded ?? undefined;
}
