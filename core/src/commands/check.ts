import { AnysnakeCommand } from '../base-command.js';
import { checkBody } from '../light/command-bodies.js';

export default class Check extends AnysnakeCommand {
  static override summary = 'Validate anysnake2.toml without pinning, building or touching the network';

  override async run(): Promise<void> {
    const { flags } = await this.parse(Check);
    await checkBody(this.config, flags);
  }
}
