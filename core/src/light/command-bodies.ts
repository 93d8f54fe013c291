/**
 * What `check`, `build flake` and `run` do once their words are parsed (`config`: config-body.ts). The oclif
 * command classes and the light dispatcher (light-dispatch.ts) both call these, so the two ways
 * in cannot drift apart. Nothing here imports @oclif/core.
 */
import { relative } from 'node:path';
import { createLogger } from '../log.js';
import type { Project } from '../pipeline/project.js';
import type { LightConfig } from './light-config.js';

export interface GlobalFlags {
  config?: string;
  verbose: boolean;
  /** 2.x `-v 0`/`-v 1`: only errors and warnings. */
  quiet?: boolean;
  offline?: boolean;
}

const stderrLine = (text: string, flags: GlobalFlags) => void (flags.quiet || process.stderr.write(`${text}\n`));

/**
 * The project with everything pinned (anysnake2.toml rewritten when something floated), or as written.
 * `forRun`: what `check` would refuse on this host fails before anything is pinned or formatted.
 */
export async function projectFor(oclif: LightConfig, flags: GlobalFlags, pinned: boolean, options: { forRun?: boolean } = {}): Promise<Project> {
  if (flags.offline) (await import('../nix-cli/nix.js')).nixOffline();
  const { openProject, preparedProject } = await import('../pipeline/project.js');
  const log = createLogger({ verbose: flags.verbose, quiet: flags.quiet });
  const common = { cwd: process.cwd(), configPath: flags.config, log, offline: flags.offline };
  if (!pinned) return openProject(oclif, common);
  const beforePinning = options.forRun ? async (p: Project) => (await import('../pipeline/host-checks.js')).assertRunnableOnHost(p) : undefined;
  return preparedProject(oclif, { ...common, beforePinning });
}

export async function checkBody(oclif: LightConfig, flags: GlobalFlags & { json?: boolean }): Promise<void> {
  const { ConfigError } = await import('../errors.js');
  let project: Project | undefined;
  try {
    project = await projectFor(oclif, flags, false);
    // What `run` would refuse on this host is refused here too (the same functions decide).
    await (await import('../pipeline/host-checks.js')).assertRunnableOnHost(project);
  } catch (error) {
    // Scripts get the problems as data; the message still goes to stderr with its exit code (65).
    if (flags.json && error instanceof ConfigError) {
      const file = project?.paths.configFile ?? error.issues.find((i) => i.location)?.location?.file;
      const problems = error.issues.map((i) => ({ path: i.path, message: i.message, hint: i.hint, file: i.location?.file, line: i.location?.line, column: i.location?.column }));
      process.stdout.write(
        `${JSON.stringify({ ok: false, configFile: file, sections: project?.config.sectionNames ?? [], warnings: project?.log.warnings ?? [], problems }, null, 2)}\n`,
      );
    }
    throw error;
  }
  if (flags.json)
    return void process.stdout.write(
      `${JSON.stringify({ ok: true, configFile: project.paths.configFile, sections: project.config.sectionNames, warnings: project.log.warnings, problems: [] }, null, 2)}\n`,
    );
  stderrLine(`${project.paths.configFile} is valid (sections: ${project.config.sectionNames.join(', ') || 'none'})`, flags);
}

export async function buildFlakeBody(oclif: LightConfig, flags: GlobalFlags & { json?: boolean }): Promise<void> {
  const project = await projectFor(oclif, flags, true);
  const { writeFlake } = await import('../pipeline/emit.js');
  const result = await writeFlake(project);
  if (flags.json) return void process.stdout.write(`${JSON.stringify({ flakeDir: result.flakeDir, files: result.files, changed: result.changed })}\n`);
  const where = relative(process.cwd(), result.flakeDir) || '.';
  if (result.changed.length === 0) stderrLine(`${where}/flake.nix is up to date`, flags);
  else stderrLine(`wrote ${result.changed.map((f) => `${where}/${f}`).join(', ')}`, flags);
}

/** `run -- words`: the exit status of the command in the container. */
export async function runBody(oclif: LightConfig, flags: GlobalFlags, words: string[]): Promise<number> {
  const project = await projectFor(oclif, flags, true, { forRun: true });
  const { runCommand } = await import('../pipeline/run-command.js');
  return runCommand(project, { name: 'run', container: {}, words });
}
