import { AnysnakeCommand } from '../../base-command.js';

export default class BuildRootfs extends AnysnakeCommand {
  static override summary = 'Build the container root filesystem (.anysnake2_flake/result/rootfs), even if nothing changed';

  override async run(): Promise<void> {
    const { flags } = await this.parse(BuildRootfs);
    const project = await this.project(flags);
    const { ensureBuilt } = await import('../../pipeline/build.js');
    const result = await ensureBuilt(project, { force: true });
    this.logToStderr(`built ${result.rootfs}`);
  }
}
