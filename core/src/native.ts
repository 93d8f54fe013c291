/**
 * The core's native module (native/process.c, built by scripts/build-native.mjs into lib/native/process.node):
 * `exec` replaces this process with another program (pipeline/exec-launch.ts), `isatty` answers
 * as libc does (terminal.ts) and `sha256` hashes with Node's own OpenSSL (digest.ts), without Node's
 * tty and crypto modules, which cost the warm path ~6 and ~9 ms to load.
 * Absent (no C compiler at install) or unloadable (another platform), everything works without it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { coreRoot } from './core-root.js';

export interface NativeModule {
  /** Returns an errno when it could not replace this process; fds[i] >= 0 becomes descriptor 3 + i. */
  exec(file: string, argv: readonly string[], env: readonly string[], fds: readonly number[]): number;
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
        const { exec, isatty, sha256 } = module.exports;
        if (typeof exec === 'function' && typeof isatty === 'function' && typeof sha256 === 'function') loaded = { exec, isatty, sha256 };
      } catch {
        // built for another platform or libc: go without
      }
  }
  return loaded ?? undefined;
}
