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

/**
 * The one runtime that plans this run: the configured one, or for "auto" the best available.
 * `imageKind`: the run starts an image of that kind (RunPlan.image), so only a runtime that can start it will do.
 */
export async function selectRuntime(project: RuntimeProject, imageKind?: string): Promise<RegisteredRuntime> {
  const wanted = project.config.section<{ runtime: string }>('container')?.runtime ?? 'auto';
  const canStart = (r: RuntimeDefinition) => imageKind === undefined || (r.imageKinds ?? []).includes(imageKind);
  const runtimes = byPreference(project).filter(canStart);
  const able = () => runtimes.map((r) => r.name).join(', ') || 'none of the installed runtime plugins';
  if (wanted !== 'auto') {
    const issues = unknownRuntimeIssues(project);
    if (issues.length) throw new ConfigError(issues);
    const runtime = project.host.runtimes.get(wanted)!;
    if (!canStart(runtime))
      throw new ConfigError([
        {
          path: 'container.runtime',
          message: `the runtime ${JSON.stringify(wanted)} cannot start a ${imageKind} image (it runs the rootfs folder from /nix/store)`,
          hint: `set [container] runtime to one that can: ${able()}`,
          location: project.config.locate(['container', 'runtime']),
        },
      ]);
    return runtime;
  }
  for (const runtime of runtimes) if (await runtime.available()) return runtime;
  if (imageKind !== undefined)
    throw new ToolMissingError(`no installed container runtime can start a ${imageKind} image`, {
      hint: runtimes.map((r) => `${r.name}: ${r.installHint}`).join('; ') || `no runtime plugin starts ${imageKind} images`,
    });
  throw new ToolMissingError('no container runtime is installed', {
    hint: runtimes.map((r) => `${r.name}: ${r.installHint}`).join('; ') || 'install a runtime plugin',
  });
}
