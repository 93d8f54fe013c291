import { relative } from 'node:path';
import { Flags } from '@oclif/core';
import { AnysnakeCommand } from '../../base-command.js';

export default class BuildFlake extends AnysnakeCommand {
  static override summary = 'Write .anysnake2_flake/flake.nix (and its helpers) without building';
  static override flags = { json: Flags.boolean({ description: 'print the result as JSON on stdout' }) };

  override async run(): Promise<void> {
    const { flags } = await this.parse(BuildFlake);
    const project = await this.project(flags);
    const { writeFlake } = await import('../../pipeline/emit.js');
    const result = await writeFlake(project);
    if (flags.json) return void process.stdout.write(`${JSON.stringify({ flakeDir: result.flakeDir, files: result.files, changed: result.changed })}\n`);
    const where = relative(process.cwd(), result.flakeDir) || '.';
    if (result.changed.length === 0) this.logToStderr(`${where}/flake.nix is up to date`);
    else this.logToStderr(`wrote ${result.changed.map((f) => `${where}/${f}`).join(', ')}`);
  }
}
