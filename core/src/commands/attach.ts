import { existsSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { AnysnakeCommand } from '../base-command.js';
import { UsageError } from '../errors.js';
import { parseVcsUrl, toNixForm } from '../vcs/url.js';

/** A socket nobody listens on any more (its session ended or crashed). */
function isLive(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

export default class Attach extends AnysnakeCommand {
  static override summary = 'Reattach to a command running in dtach (after a dropped connection or Ctrl-\\)';

  override async run(): Promise<void> {
    const { flags } = await this.parse(Attach);
    const project = await this.project(flags);
    const dir = join(project.paths.flakeDir, 'dtach');
    const names = existsSync(dir) ? (await readdir(dir)).filter((n) => !n.endsWith('.status')).sort() : [];
    const live: string[] = [];
    for (const name of names) {
      if (await isLive(join(dir, name))) live.push(name);
      else await rm(join(dir, name), { force: true }); // stale: its session is gone
    }
    if (live.length === 0) throw new UsageError('no session to attach to', { hint: 'sessions start with commands run while [anysnake2] dtach = true' });
    let chosen = live[0]!;
    if (live.length > 1) {
      if (!process.stdin.isTTY) throw new UsageError(`several sessions are running: ${live.join(', ')}`, { hint: 'attach from a terminal to choose one' });
      // Lines are read as a stream, so answers typed ahead are not lost.
      const prompt = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
      live.forEach((name, i) => this.logToStderr(`  ${i + 1}) ${name}`));
      let picked: string | undefined;
      process.stderr.write('attach to which session (number, Ctrl-C to abort)? ');
      for await (const line of prompt) {
        const answer = Number(line.trim());
        if (Number.isInteger(answer) && answer >= 1 && answer <= live.length) {
          picked = live[answer - 1]!;
          break;
        }
        process.stderr.write('please answer with one of the numbers above\nattach to which session? ');
      }
      prompt.close();
      if (!picked) throw new UsageError('no session chosen');
      chosen = picked;
    }
    const [{ dtachCommand }, { launchAttach }] = await Promise.all([import('../pipeline/dtach-command.js'), import('../pipeline/launch.js')]);
    const socket = relative(project.paths.projectDir, join(dir, chosen));
    const outside = project.config.section<{ url: string }>('outside_nixpkgs')?.url ?? 'github:NixOS/nixpkgs';
    const dtach = await dtachCommand(toNixForm(parseVcsUrl(outside)));
    this.logToStderr(`reattaching to ${chosen}`);
    process.exitCode = await launchAttach(dtach, socket, project.paths.projectDir);
  }
}
