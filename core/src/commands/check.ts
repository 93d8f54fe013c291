import { Flags } from '@oclif/core';
import { AnysnakeCommand } from '../base-command.js';
import { checkBody } from '../light/command-bodies.js';

export default class Check extends AnysnakeCommand {
  static override summary = 'Validate anysnake2.toml without pinning, building or touching the network';
  static override flags = {
    json: Flags.boolean({ description: 'print { ok, configFile, sections, warnings, problems: [{ path, message, hint, file, line, column }] } on stdout' }),
  };

  override async run(): Promise<void> {
    const { flags } = await this.parse(Check);
    await checkBody(this.config, flags);
  }
}
