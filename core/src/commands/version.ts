import { Command, Flags } from '@oclif/core';
import { GLOBAL_FLAGS } from '../global-flags.js';

export default class Version extends Command {
  static override summary = 'Print the anysnake2 version';
  // Accepted (and without effect here), so `anysnake2 --verbose version` works like every command.
  static override baseFlags = GLOBAL_FLAGS;
  static override flags = { json: Flags.boolean({ description: 'print { name, version, node, platform } as JSON' }) };

  override async run(): Promise<void> {
    const { flags } = await this.parse(Version);
    if (flags.json)
      return void process.stdout.write(
        `${JSON.stringify({ name: this.config.name, version: this.config.version, node: process.version, platform: `${process.platform}-${process.arch}` })}\n`,
      );
    this.log(`anysnake2 ${this.config.version}`);
  }
}
