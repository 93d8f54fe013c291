import { spawn } from 'node:child_process';
import { AnysnakeCommand } from '../base-command.js';

export default class Develop extends AnysnakeCommand {
  static override summary = 'Open [dev_shell] shell on the host: nix develop with the rootfs binaries and dev_shell.inputs on PATH';

  override async run(): Promise<void> {
    const { flags } = await this.parse(Develop);
    const project = await this.project(flags);
    const [{ ensureBuilt }, { NIX_FLAGS, flakeRef }] = await Promise.all([import('../pipeline/build.js'), import('../nix-cli/nix.js')]);
    await ensureBuilt(project, { devShell: true });
    const shell = project.config.section<{ shell: string }>('dev_shell')?.shell ?? 'bash';
    // In the project directory, as the original's run_scripts/develop did with `cd ..`.
    const child = spawn('nix', [...NIX_FLAGS, 'develop', flakeRef(project.paths.flakeDir), '-c', shell], {
      cwd: project.paths.projectDir,
      stdio: 'inherit',
    });
    const ignore = () => {};
    process.on('SIGINT', ignore);
    process.exitCode = await new Promise<number>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve(code ?? 1));
    });
    process.off('SIGINT', ignore);
  }
}
