import { realpathSync } from 'node:fs';
import { Flags } from '@oclif/core';
import { AnysnakeCommand } from '../../base-command.js';

export default class BuildRootfs extends AnysnakeCommand {
  static override summary = 'Build the container root filesystem (.anysnake2_flake/result/rootfs), even if nothing changed';
  static override flags = {
    json: Flags.boolean({ description: 'print the result as JSON on stdout' }),
    push: Flags.boolean({ description: 'then copy its closure to [nix] cache, signed with [nix] signing_key' }),
  };

  override async run(): Promise<void> {
    const { flags } = await this.parse(BuildRootfs);
    const project = await this.project(flags);
    const { ensureBuilt } = await import('../../pipeline/build.js');
    if (flags.push) (await import('../../pipeline/push.js')).assertPushTarget(project);
    const result = await ensureBuilt(project, { force: true });
    const storePath = realpathSync(result.resultLink);
    const pushed = flags.push ? await (await import('../../pipeline/push.js')).pushClosure(project, storePath) : undefined;
    if (flags.json)
      return void process.stdout.write(
        `${JSON.stringify({ rootfs: result.rootfs, storePath, resultLink: result.resultLink, ...(pushed ? { pushedTo: pushed.cache, signed: Boolean(pushed.signedWith) } : {}) })}\n`,
      );
    this.logToStderr(`built ${result.rootfs}`);
    if (pushed)
      this.logToStderr(`copied ${storePath} and its closure to ${pushed.cache}${pushed.signedWith ? `, signed with ${pushed.signedWith}` : ' (unsigned: set [nix] signing_key)'}`);
  }
}
