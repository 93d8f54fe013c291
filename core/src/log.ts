/** The logger: messages go to stderr without timestamps; notices are shown once per text. */
import type { Logger } from './plugin-api.js';
import { formatLocation, type SourceLocation } from './errors.js';

export function createLogger(options: { verbose: boolean; quiet?: boolean; stream?: NodeJS.WritableStream }): Logger {
  const out = options.stream ?? process.stderr;
  const seen = new Set<string>();
  const write = (text: string) => void out.write(`${text}\n`);
  return {
    info: (message) => void (options.quiet || write(message)),
    warn: (message, location?: SourceLocation) => write(`${formatLocation(location)}warning: ${message}`),
    notice: (message, location?: SourceLocation) => {
      const line = `${formatLocation(location)}deprecated: ${message}`;
      if (!seen.has(line)) (seen.add(line), write(line));
    },
    debug: (message) => void (options.verbose && write(`debug: ${message}`)),
  };
}
