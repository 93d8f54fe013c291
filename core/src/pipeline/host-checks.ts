/**
 * What `run` would refuse on this host, as config problems: a missing home or volume, a runtime no
 * plugin provides. `check` calls this after validation; `run` reaches the same functions
 * (containerOnHost, unknownRuntimeIssues) on its way, so the two can never disagree.
 */
import { ConfigError } from '../errors.js';
import type { Project } from './project.js';
import { containerOnHost } from './run-plan.js';
import { unknownRuntimeIssues } from './runtime-select.js';

export async function assertRunnableOnHost(project: Project, hostEnv: NodeJS.ProcessEnv = process.env): Promise<void> {
  const issues = [...unknownRuntimeIssues(project), ...(await containerOnHost(project, hostEnv)).issues];
  if (issues.length) throw new ConfigError(issues);
}
