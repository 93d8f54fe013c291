import { Flags } from '@oclif/core';
import { AnysnakeCommand } from '../base-command.js';
import { ConfigError, type ConfigIssue } from '../errors.js';

export default class Check extends AnysnakeCommand {
  static override summary = 'Validate anysnake2.toml without pinning, building or touching the network';
  static override flags = {
    json: Flags.boolean({ description: 'print { ok, configFile, sections, warnings, problems: [{ path, message, hint, file, line, column }] } on stdout' }),
  };

  override async run(): Promise<void> {
    const { flags } = await this.parse(Check);
    let project: Awaited<ReturnType<AnysnakeCommand['projectAsWritten']>> | undefined;
    try {
      project = await this.projectAsWritten(flags);
      // What `run` would refuse on this host is refused here too (the same functions decide).
      await (await import('../pipeline/host-checks.js')).assertRunnableOnHost(project);
    } catch (error) {
      // Scripts get the problems as data; the message still goes to stderr with its exit code (65).
      if (flags.json && error instanceof ConfigError)
        process.stdout.write(`${JSON.stringify({ ok: false, configFile: project?.paths.configFile ?? error.issues.find((i) => i.location)?.location?.file, sections: project?.config.sectionNames ?? [], warnings: project?.log.warnings ?? [], problems: error.issues.map(asJson) }, null, 2)}\n`);
      throw error;
    }
    if (flags.json)
      return void process.stdout.write(`${JSON.stringify({ ok: true, configFile: project.paths.configFile, sections: project.config.sectionNames, warnings: project.log.warnings, problems: [] }, null, 2)}\n`);
    this.logToStderr(`${project.paths.configFile} is valid (sections: ${project.config.sectionNames.join(', ') || 'none'})`);
  }
}

function asJson(issue: ConfigIssue) {
  return { path: issue.path, message: issue.message, hint: issue.hint, file: issue.location?.file, line: issue.location?.line, column: issue.location?.column };
}
