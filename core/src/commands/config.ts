import { Args, Command } from '@oclif/core';
import { configBody, EXAMPLE_CONFIGS } from '../light/config-body.js';

export { EXAMPLE_CONFIGS, exampleConfigPath } from '../light/config-body.js';

export default class ConfigExample extends Command {
  static override summary = 'Print an example anysnake2.toml';
  static override description = 'Start a project with: anysnake2 config basic > anysnake2.toml';
  static override args = {
    name: Args.string({ description: 'which example', options: Object.keys(EXAMPLE_CONFIGS) }),
  };

  override async run(): Promise<void> {
    const { args } = await this.parse(ConfigExample);
    await configBody(args.name);
  }
}
