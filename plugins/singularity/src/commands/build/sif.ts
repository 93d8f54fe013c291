import { resolve } from 'node:path';
import { Flags } from '@oclif/core';
import { AnysnakeCommand, assertWritable, buildOciArchive } from '@anysnake2/core/plugin-command.js';

export default class BuildSif extends AnysnakeCommand {
  static override summary = 'Write the environment as a SIF image for apptainer/singularity clusters';
  static override description =
    'Builds the OCI archive (build oci), then `apptainer build` turns it into a SIF that runs without /nix/store. Default output: anysnake2_container.sif';
  static override flags = {
    output: Flags.string({ char: 'o', description: 'where to write the SIF' }),
  };

  override async run(): Promise<void> {
    const { flags } = await this.parse(BuildSif);
    const project = await this.project(flags);
    const { buildSif, defaultSifPath, sifBuilder } = await import('../../sif.js');
    // Before the (long) image build: without apptainer there is no point.
    const builder = await sifBuilder(project);
    const output = flags.output ? resolve(flags.output) : defaultSifPath(project);
    await assertWritable(output);
    const archive = await buildOciArchive(project);
    project.log.info(`building the SIF with ${builder.at(-1)}…`);
    await buildSif(builder, output, archive.path);
    this.log(output);
  }
}
