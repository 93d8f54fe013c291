import { resolve } from 'node:path';
import { Flags } from '@oclif/core';
import { AnysnakeCommand } from '../../base-command.js';

export default class BuildOci extends AnysnakeCommand {
  static override summary = 'Write the environment as an OCI image archive (docker, skopeo and other OCI tools)';
  static override description = 'The rootfs and its whole Nix closure in one layer; runs where there is no /nix/store. Default output: anysnake2_container.oci.tar';
  static override flags = {
    output: Flags.string({ char: 'o', description: 'where to write the archive' }),
    json: Flags.boolean({ description: 'print { path, digest, size, sha256 } as JSON on stdout (sha256: of the file)' }),
  };

  override async run(): Promise<void> {
    const { flags } = await this.parse(BuildOci);
    const project = await this.project(flags);
    const { buildOciArchive, defaultOciPath } = await import('../../image/build-oci.js');
    const output = flags.output ? resolve(flags.output) : defaultOciPath(project);
    const archive = await buildOciArchive(project, output);
    if (flags.json) return void process.stdout.write(`${JSON.stringify({ path: archive.path, digest: archive.digest, size: archive.size, sha256: archive.sha256 })}\n`);
    this.log(`${archive.path}\n${archive.digest}`);
  }
}
