/** The project's config: none here, valid (with its warnings), or what is wrong with it. */
import { AnysnakeError, ConfigError, formatIssue } from '../errors.js';
import type { DoctorContext, Finding } from './finding.js';

export async function checkConfig(ctx: DoctorContext): Promise<Finding[]> {
  const state = await ctx.project();
  if (state.kind === 'none')
    return [
      {
        id: 'config',
        status: 'ok',
        summary: `no anysnake2.toml in ${process.cwd()}: project checks skipped`,
        detail: 'run the doctor in a project directory, or name the file with -c FILE',
      },
    ];
  if (state.kind === 'broken') {
    const { error } = state;
    if (error instanceof ConfigError)
      return [
        {
          id: 'config',
          status: 'fail',
          summary: `the config has ${error.issues.length} problem${error.issues.length === 1 ? '' : 's'}`,
          detail: error.issues.map(formatIssue).join('\n'),
          fix: 'anysnake2 check shows the same list; fix each entry at its file:line:column',
        },
      ];
    const message = error instanceof Error ? error.message : String(error);
    return [{ id: 'config', status: 'fail', summary: message, fix: error instanceof AnysnakeError ? error.hint : undefined }];
  }
  const file = state.project.paths.configFile;
  const warnings = ctx.configWarnings();
  if (warnings.length)
    return [
      {
        id: 'config',
        status: 'warn',
        summary: `${file} is valid, with ${warnings.length} warning${warnings.length === 1 ? '' : 's'}`,
        detail: warnings.join('\n'),
        fix: 'each warning names the key to change',
      },
    ];
  return [{ id: 'config', status: 'ok', summary: `${file} is valid` }];
}
