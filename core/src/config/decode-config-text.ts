/**
 * The bytes of anysnake2.toml → its text. TOML is UTF-8 (toml.io 1.0: "A TOML file must be a valid
 * UTF-8 encoded Unicode document"); a lenient decode would turn a stray byte into U+FFFD, and the
 * next canonical rewrite would then write that replacement back: the file's content changed
 * without anyone asking. So the decode is fatal and the error names where the bad byte is.
 * A leading byte-order mark is kept in the text (the TOML reader skips it, the formatter keeps it).
 */
import { ConfigError } from '../errors.js';

export function decodeConfigText(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const offset = firstInvalidByte(bytes);
    // The characters before the bad sequence: what an editor counts lines and columns in.
    const before = new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes.subarray(0, offset));
    const lineStart = before.lastIndexOf('\n') + 1;
    const line = before.split('\n').length;
    // Columns count UTF-16 units, as the TOML parser's do, so every error of a file agrees.
    const column = before.length - lineStart + 1;
    // The bad sequence: its first byte and the continuation bytes that follow it.
    let end = offset + 1;
    while (end < bytes.length && end < offset + 4 && (bytes[end]! & 0xc0) === 0x80) end++;
    const shown = Array.from(bytes.subarray(offset, end), (b) => `0x${b.toString(16).padStart(2, '0')}`).join(' ');
    throw new ConfigError([
      {
        path: '',
        message: `not valid UTF-8: ${end - offset === 1 ? 'the byte' : 'the bytes'} ${shown} (offset ${offset}) ${end - offset === 1 ? 'is' : 'are'} not a UTF-8 character`,
        hint: 'TOML files are UTF-8: re-save the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`) or remove the character',
        location: { file, line, column },
      },
    ]);
  }
}

/**
 * Where the first invalid UTF-8 sequence starts. The platform decoder stays the one judge of what
 * is valid: in streaming mode it throws only for a prefix that contains a definite error, so the
 * shortest such prefix ends at the byte that made it invalid (found by bisection); a sequence
 * broken off by that byte starts at its lead byte, which the streaming decode leaves pending.
 */
function firstInvalidByte(bytes: Uint8Array): number {
  const fails = (length: number): boolean => {
    try {
      new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(0, length), { stream: true });
      return false;
    } catch {
      return true;
    }
  };
  // Invariant: the prefix of length `low` decodes, the one of length `high` does not. When the whole
  // text decodes in streaming mode, only the final flush failed: a sequence cut off at the end.
  let low = fails(bytes.length) ? 0 : bytes.length;
  let high = bytes.length;
  while (high - low > 1) {
    const middle = (low + high) >>> 1;
    if (fails(middle)) high = middle;
    else low = middle;
  }
  // The decodable prefix may end inside a sequence (lead byte and continuation bytes pending).
  let start = low;
  for (let back = 1; back <= 3 && low - back >= 0; back++) {
    const byte = bytes[low - back]!;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte
    const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    if (length > back) start = low - back;
    break;
  }
  return start;
}
