/**
 * Finding and reading anysnake2.toml: cosmiconfig (search strategy "none": only the working
 * directory, like the original) with a TOML loader that keeps source positions.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigMissingError } from '../errors.js';
import { parseTomlDocument, type TomlDocument } from './toml-document.js';
import { readConfigBytes } from './config-file-access.js';
import { decodeConfigText } from './decode-config-text.js';

import { DEFAULT_CONFIG_NAME } from './default-name.js';

export { DEFAULT_CONFIG_NAME };

export async function loadConfigDocument(cwd: string, explicitPath?: string): Promise<TomlDocument> {
  const { cosmiconfig } = await import('cosmiconfig');
  const file = resolve(cwd, explicitPath ?? DEFAULT_CONFIG_NAME);
  // A directory, FIFO, symlink loop or unreadable file gets its own clear error here (never a hang).
  const bytes = await readConfigBytes(file);
  // cosmiconfig's `content` is a lenient UTF-8 decode (bad bytes silently become U+FFFD): decode the bytes read above.
  const tomlLoader = (filepath: string) => parseTomlDocument(decodeConfigText(filepath === file && bytes ? bytes : readFileSync(filepath), filepath), filepath);
  const explorer = cosmiconfig('anysnake2', {
    searchPlaces: [DEFAULT_CONFIG_NAME],
    searchStrategy: 'none',
    ignoreEmptySearchPlaces: false,
    cache: false,
    loaders: { '.toml': tomlLoader, noExt: tomlLoader },
  });
  let result: Awaited<ReturnType<typeof explorer.load>>;
  try {
    result = explicitPath ? await explorer.load(file) : await explorer.search(cwd);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') result = null;
    else throw error;
  }
  if (!result) {
    throw new ConfigMissingError(`config file not found: ${file}`, {
      hint: explicitPath
        ? 'check the path given to -c/--config'
        : `to start with an empty config, run 'touch ${DEFAULT_CONFIG_NAME}' (or 'anysnake2 config basic > ${DEFAULT_CONFIG_NAME}') and try again`,
    });
  }
  // cosmiconfig skips the loader for empty files; an empty file is a valid config.
  return result.isEmpty || result.config === undefined ? parseTomlDocument('', result.filepath) : (result.config as TomlDocument);
}
