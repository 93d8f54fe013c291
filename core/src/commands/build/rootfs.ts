import { realpathSync } from 'node:fs';
import { Flags } from '@oclif/core';
import { AnysnakeCommand } from '../../base-command.js';

export default class BuildRootfs extends AnysnakeCommand {
  static override summary = 'Build the container root filesystem (.anysnake2_flake/result/rootfs), even if nothing changed';
  static override flags = { json: Flags.boolean({ description: 'print the result as JSON on stdout' }) };

  override async run(): Promise<void> {
    const { flags } = await this.parse(BuildRootfs);
    const project = await this.project(flags);
    const { ensureBuilt } = await import('../../pipeline/build.js');
    const result = await ensureBuilt(project, { force: true });
    if (flags.json)
      return void process.stdout.write(`${JSON.stringify({ rootfs: result.rootfs, storePath: realpathSync(result.resultLink), resultLink: result.resultLink })}\n`);
    this.logToStderr(`built ${result.rootfs}`);
  }
}
