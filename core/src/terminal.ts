/**
 * Whether a descriptor is a terminal, as libc's isatty (and so Node's tty.isatty) answers: through
 * the native module when it is there, else through node:tty, loaded only then (lazy-builtins.ts),
 * since loading it costs the warm path ~6 ms.
 */
import { isatty } from './lazy-builtins.js';
import { nativeModule } from './native.js';

export function isTerminal(fd: number): boolean {
  const native = nativeModule();
  if (native) return native.isatty(fd);
  return isatty(fd);
}
