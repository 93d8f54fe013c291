/** Which registered runtime runs this project: `[container] runtime`, or the best available for "auto". */
import { ConfigError, ToolMissingError } from '../errors.js';
import type { Project } from './project.js';

export async function selectRuntime(project: Project): Promise<string> {
  const wanted = project.config.section<{ runtime: string }>('container')?.runtime ?? 'auto';
  const runtimes = [...project.host.runtimes.values()].sort((a, b) => b.priority - a.priority || (a.name < b.name ? -1 : 1));
  if (wanted !== 'auto') {
    if (project.host.runtimes.has(wanted)) return wanted;
    throw new ConfigError([
      {
        path: 'container.runtime',
        message: `no installed plugin provides the runtime ${JSON.stringify(wanted)}`,
        hint: `use "auto" or one of: ${runtimes.map((r) => r.name).join(', ')}`,
        location: project.config.locate(['container', 'runtime']),
      },
    ]);
  }
  for (const runtime of runtimes) if (await runtime.available()) return runtime.name;
  throw new ToolMissingError('no container runtime is installed', {
    hint: runtimes.map((r) => `${r.name}: ${r.installHint}`).join('; ') || 'install a runtime plugin',
  });
}
