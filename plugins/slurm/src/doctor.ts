/**
 * `anysnake2 doctor`: are Slurm's client tools here (only a fault when the project asks for Slurm),
 * and does the cluster's controller answer (`sinfo`, bounded in time)?
 */
import type { ConfigView, DoctorFinding, PluginApi } from '@anysnake2/core/plugin-api';
import { INSTALL_HINT, isUnreachable } from './slurm-messages.js';

const usesSlurm = (config: ConfigView | undefined) =>
  Boolean(config && (config.has('slurm') || Object.values(config.section<Record<string, { slurm?: unknown }>>('cmd') ?? {}).some((c) => c.slurm !== undefined)));

export function registerDoctor(api: PluginApi): void {
  api.doctor.register({
    name: 'cluster',
    async run({ config }) {
      const findings: DoctorFinding[] = [];
      const tools = await Promise.all(['sbatch', 'squeue', 'scancel', 'sinfo'].map(async (t) => [t, await api.which(t)] as const));
      const missing = tools.filter(([, path]) => !path).map(([t]) => t);
      if (missing.length) {
        const used = usesSlurm(config);
        findings.push({
          id: 'slurm.tools',
          status: used ? 'fail' : 'ok',
          summary: used ? `the project has Slurm settings, but ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not installed` : 'Slurm client tools are not installed (only `anysnake2 submit` and `jobs` need them)',
          fix: used ? INSTALL_HINT : undefined,
        });
        return findings;
      }
      findings.push({ id: 'slurm.tools', status: 'ok', summary: `sbatch and squeue: ${tools[0]![1]}, ${tools[1]![1]}` });
      const result = await api.exec.try('sinfo', ['-h', '-o', '%P %a %D %T'], { timeoutMs: 15_000 });
      const output = `${result.stderr}\n${result.stdout}`.trim();
      if (result.exitCode === 0) {
        const partitions = result.stdout.trim().split('\n').map((l) => l.split(' ')[0]).filter(Boolean);
        findings.push({ id: 'slurm.cluster', status: 'ok', summary: `the cluster answers; partitions: ${[...new Set(partitions)].join(', ') || '(none)'}`, detail: result.stdout.trim() });
      } else
        findings.push({
          id: 'slurm.cluster',
          status: 'fail',
          summary: isUnreachable(output) ? 'the Slurm controller does not answer' : `sinfo failed with exit code ${result.exitCode}`,
          detail: output.split('\n').slice(-5).join('\n'),
          fix: 'run on a login node of the cluster; check SLURM_CONF (or /etc/slurm/slurm.conf) and that slurmctld and munge run',
        });
      return findings;
    },
  });
}
