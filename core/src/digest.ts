/**
 * SHA-256 as hex, for the warm path's keys and the build state (warm/warm-entry.ts): through the
 * native module when it is there (Node's own OpenSSL, called directly), else node:crypto, loaded only
 * then — it costs ~9 ms to load, more than everything else the warm path does. Same digest either way.
 */
import { crypto } from './lazy-builtins.js';
import { nativeModule } from './native.js';

export function sha256Hex(data: Uint8Array): string {
  return nativeModule()?.sha256(data) ?? crypto().createHash('sha256').update(data).digest('hex');
}
