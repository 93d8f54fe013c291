import { AnysnakeCommand } from '../base-command.js';

export default class Check extends AnysnakeCommand {
  static override summary = 'Validate anysnake2.toml without pinning, building or touching the network';

  override async run(): Promise<void> {
    const { flags } = await this.parse(Check);
    const project = await this.projectAsWritten(flags);
    // What `run` would refuse on this host is refused here too (the same functions decide).
    await (await import('../pipeline/host-checks.js')).assertRunnableOnHost(project);
    this.logToStderr(`${project.paths.configFile} is valid (sections: ${project.config.sectionNames.join(', ') || 'none'})`);
  }
}
