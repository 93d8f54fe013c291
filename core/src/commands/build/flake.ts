import { Flags } from '@oclif/core';
import { AnysnakeCommand } from '../../base-command.js';
import { buildFlakeBody } from '../../light/command-bodies.js';

export default class BuildFlake extends AnysnakeCommand {
  static override summary = 'Write .anysnake2_flake/flake.nix (and its helpers) without building';
  static override flags = { json: Flags.boolean({ description: 'print the result as JSON on stdout' }) };

  override async run(): Promise<void> {
    const { flags } = await this.parse(BuildFlake);
    await buildFlakeBody(this.config, flags);
  }
}
