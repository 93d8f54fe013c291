/** Container runtimes: which the installed plugins provide, which are usable here, and which `auto` picks. */
import { formatLocation } from '../errors.js';
import type { DoctorContext, Finding } from './finding.js';

export async function checkRuntimes(ctx: DoctorContext): Promise<Finding[]> {
  const host = await ctx.plugins();
  const runtimes = [...host.runtimes.values()].sort((a, b) => b.priority - a.priority || (a.name < b.name ? -1 : 1));
  const available = new Set<string>();
  await Promise.all(runtimes.map(async (r) => (await r.available()) && available.add(r.name)));
  const missing = runtimes.filter((r) => !available.has(r.name));
  const detail = missing.length ? `not installed: ${missing.map((r) => `${r.name} (${r.installHint})`).join('; ')}` : undefined;
  const findings: Finding[] = [];
  if (runtimes.length === 0)
    findings.push({
      id: 'runtime.available',
      status: 'fail',
      summary: 'no installed plugin provides a container runtime',
      fix: 'install a runtime plugin: anysnake2 plugins install <package> (docs/plugins.md lists the bundled ones)',
    });
  else if (available.size === 0)
    findings.push({
      id: 'runtime.available',
      status: 'fail',
      summary: `no container runtime is installed (known: ${runtimes.map((r) => r.name).join(', ')})`,
      fix: runtimes.map((r) => `${r.name}: ${r.installHint}`).join('; '),
    });
  else {
    const chosen = runtimes.find((r) => available.has(r.name))!;
    findings.push({ id: 'runtime.available', status: 'ok', summary: `available: ${[...available].sort().join(', ')}; runtime = "auto" uses ${chosen.name}`, detail });
  }

  const state = await ctx.project();
  const wanted = state.kind === 'open' ? state.project.config.section<{ runtime?: string }>('container')?.runtime : undefined;
  if (state.kind === 'open' && wanted && wanted !== 'auto' && !host.runtimes.has(wanted)) {
    const where = state.project.config.locate(['container', 'runtime']);
    findings.push({
      id: 'runtime.configured',
      status: 'fail',
      summary: `[container] runtime = "${wanted}", but no installed plugin provides it`,
      detail: where ? formatLocation(where).replace(/: $/, '') : undefined,
      fix: `use "auto" or one of: ${runtimes.map((r) => r.name).join(', ')}`,
    });
  }
  return findings;
}
