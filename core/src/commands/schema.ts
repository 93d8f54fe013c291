import { Command } from '@oclif/core';
import { createLogger } from '../log.js';

export default class Schema extends Command {
  static override summary = 'Print the JSON Schema of anysnake2.toml (for editors: taplo, Even Better TOML)';
  static override description =
    'Covers the sections of every installed plugin. Save it (anysnake2 schema > anysnake2.schema.json) and put `#:schema ./anysnake2.schema.json` as the first line of anysnake2.toml.';

  override async run(): Promise<void> {
    const [{ applyPlugins, discoverPlugins }, { configJsonSchema }] = await Promise.all([import('../plugin-host.js'), import('../config/json-schema.js')]);
    const host = await applyPlugins(await discoverPlugins(this.config), { log: createLogger({ verbose: false }), version: this.config.version, dataDir: this.config.dataDir });
    process.stdout.write(`${JSON.stringify(configJsonSchema(host.sections, this.config.version), null, 2)}\n`);
  }
}
