import { Command } from '@oclif/core';

export default class Version extends Command {
  static override summary = 'Print the anysnake2 version';

  override async run(): Promise<void> {
    this.log(`anysnake2 ${this.config.version}`);
  }
}
