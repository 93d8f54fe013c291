/**
 * Finding and reading anysnake2.toml: only the working directory (or the file -c names), like the
 * original; every file is read as TOML, keeping source positions. No search library: the file is
 * read once (config-file-access.ts), and a config loader's ~10 CommonJS modules cost more than this.
 */
import { resolve } from 'node:path';
import { ConfigMissingError } from '../errors.js';
import { parseTomlDocument, type TomlDocument } from './toml-document.js';
import { readConfigBytes } from './config-file-access.js';
import { decodeConfigText } from './decode-config-text.js';

import { DEFAULT_CONFIG_NAME } from './default-name.js';

export { DEFAULT_CONFIG_NAME };

export async function loadConfigDocument(cwd: string, explicitPath?: string): Promise<TomlDocument> {
  const file = resolve(cwd, explicitPath ?? DEFAULT_CONFIG_NAME);
  // A directory, FIFO, symlink loop or unreadable file gets its own clear error here (never a hang).
  const bytes = await readConfigBytes(file);
  if (!bytes) {
    throw new ConfigMissingError(`config file not found: ${file}`, {
      hint: explicitPath
        ? 'check the path given to -c/--config'
        : `to start with an empty config, run 'touch ${DEFAULT_CONFIG_NAME}' (or 'anysnake2 config basic > ${DEFAULT_CONFIG_NAME}') and try again`,
    });
  }
  // A strict UTF-8 decode (bad bytes are an error naming line and column); an empty file is a valid config.
  return parseTomlDocument(decodeConfigText(bytes, file), file);
}
