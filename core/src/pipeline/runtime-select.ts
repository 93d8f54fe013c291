/** Which registered runtime runs this project: `[container] runtime`, or the best available for "auto". */
import { ConfigError, ToolMissingError, type ConfigIssue } from '../errors.js';
import type { RuntimeDefinition } from '../plugin-api.js';
import type { Project } from './project.js';

type RuntimeProject = Pick<Project, 'config' | 'host'>;

const byPreference = (project: RuntimeProject) => [...project.host.runtimes.values()].sort((a, b) => b.priority - a.priority || (a.name < b.name ? -1 : 1));

/** A `[container] runtime` no installed plugin provides (`run` refuses it; `check` reports it too). */
export function unknownRuntimeIssues(project: RuntimeProject): ConfigIssue[] {
  const wanted = project.config.section<{ runtime: string }>('container')?.runtime ?? 'auto';
  if (wanted === 'auto' || project.host.runtimes.has(wanted)) return [];
  return [
    {
      path: 'container.runtime',
      message: `no installed plugin provides the runtime ${JSON.stringify(wanted)}`,
      hint: `use "auto" or one of: ${byPreference(project)
        .map((r) => r.name)
        .join(', ')}`,
      location: project.config.locate(['container', 'runtime']),
    },
  ];
}

export type RegisteredRuntime = RuntimeDefinition & { owner: string };

/** The one runtime that plans this run: the configured one, or for "auto" the best available. */
export async function selectRuntime(project: RuntimeProject): Promise<RegisteredRuntime> {
  const wanted = project.config.section<{ runtime: string }>('container')?.runtime ?? 'auto';
  const runtimes = byPreference(project);
  if (wanted !== 'auto') {
    const issues = unknownRuntimeIssues(project);
    if (issues.length) throw new ConfigError(issues);
    return project.host.runtimes.get(wanted)!;
  }
  for (const runtime of runtimes) if (await runtime.available()) return runtime;
  throw new ToolMissingError('no container runtime is installed', {
    hint: runtimes.map((r) => `${r.name}: ${r.installHint}`).join('; ') || 'install a runtime plugin',
  });
}
