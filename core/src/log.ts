/** The logger: messages go to stderr without timestamps; warnings and notices are shown once per text. */
import type { Logger } from './plugin-api.js';
import { formatLocation, type SourceLocation } from './errors.js';
import { colourLabels } from './colour.js';

/** A logger that also remembers the warnings it printed (the warm path shows them again). */
export type RecordingLogger = Logger & { readonly warnings: readonly string[] };

export function createLogger(options: { verbose: boolean; quiet?: boolean; stream?: NodeJS.WritableStream }): RecordingLogger {
  const out = options.stream ?? process.stderr;
  const seen = new Set<string>();
  const warnings: string[] = [];
  const write = (text: string) => void out.write(`${colourLabels(text, out)}\n`);
  return {
    warnings,
    info: (message) => void (options.quiet || write(message)),
    // Each warning once per process: a config re-read after pinning must not repeat them.
    warn: (message, location?: SourceLocation) => {
      const line = `${formatLocation(location)}warning: ${message}`;
      // Keyed without the position: reformatting the file moves it.
      if (!seen.has(`warning: ${message}`)) seen.add(`warning: ${message}`), warnings.push(line), write(line);
    },
    notice: (message, location?: SourceLocation) => {
      const line = `${formatLocation(location)}deprecated: ${message}`;
      if (!seen.has(line)) seen.add(line), warnings.push(line), write(line);
    },
    debug: (message) => void (options.verbose && write(`debug: ${message}`)),
  };
}
