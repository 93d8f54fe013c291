/** Every check, imported only when the doctor runs, all at once; a check that throws is itself a finding. */
import type { Check, DoctorContext, Finding } from './finding.js';

const CHECKS: readonly { name: string; load: () => Promise<Check> }[] = [
  { name: 'node', load: async () => (await import('./node-line.js')).checkNodeLine },
  { name: 'config', load: async () => (await import('./config.js')).checkConfig },
  { name: 'nix', load: async () => (await import('./nix.js')).checkNix },
  { name: 'runtime', load: async () => (await import('./runtimes.js')).checkRuntimes },
  { name: 'gpu', load: async () => (await import('./gpu.js')).checkGpu },
  { name: 'userns', load: async () => (await import('./userns.js')).checkUserNamespaces },
  { name: 'plugins', load: async () => (await import('./plugin-checks.js')).checkPlugins },
  { name: 'tools', load: async () => (await import('./host-tools.js')).checkHostTools },
  { name: 'proxy', load: async () => (await import('./proxy.js')).checkProxy },
  { name: 'sources', load: async () => (await import('./sources.js')).checkSources },
  { name: 'plugins', load: async () => (await import('./plugin-checks.js')).checkPlugins },
];

export async function runChecks(ctx: DoctorContext): Promise<{ findings: Finding[]; elapsedMs: number }> {
  const started = performance.now();
  const results = await Promise.all(
    CHECKS.map(async ({ name, load }): Promise<Finding[]> => {
      try {
        return await (await load())(ctx);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        return [
          { id: name, status: 'fail', summary: `the ${name} check could not run: ${message}`, fix: 'run with --verbose and report it if the message does not say what to do' },
        ];
      }
    }),
  );
  return { findings: results.flat(), elapsedMs: performance.now() - started };
}
