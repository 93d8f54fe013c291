/**
 * `anysnake2 doctor`: are Slurm's client tools here (only a fault when the project asks for Slurm),
 * and does the cluster's controller answer (`sinfo`, bounded in time)?
 */
import type { ConfigView, DoctorFinding, PluginApi } from '@anysnake2/core/plugin-api';
import { existsSync } from 'node:fs';
import { INSTALL_HINT, isUnreachable, missingSlurmConf, NOT_CONFIGURED } from './slurm-messages.js';

const usesSlurm = (config: ConfigView | undefined) =>
  Boolean(config && (config.has('slurm') || Object.values(config.section<Record<string, { slurm?: unknown }>>('cmd') ?? {}).some((c) => c.slurm !== undefined)));

export function registerDoctor(api: PluginApi): void {
  api.doctor.register({
    name: 'cluster',
    async run({ config, env }) {
      const findings: DoctorFinding[] = [];
      const tools = await Promise.all(['sbatch', 'squeue', 'scancel', 'sinfo'].map(async (t) => [t, await api.which(t)] as const));
      const missing = tools.filter(([, path]) => !path).map(([t]) => t);
      const used = usesSlurm(config);
      if (missing.length) {
        findings.push({
          id: 'slurm.tools',
          status: used ? 'fail' : 'ok',
          summary: used
            ? `the project has Slurm settings, but ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not installed`
            : 'Slurm client tools are not installed (only `anysnake2 submit` and `jobs` need them)',
          fix: used ? INSTALL_HINT : undefined,
        });
        return findings;
      }
      findings.push({ id: 'slurm.tools', status: 'ok', summary: `sbatch and squeue: ${tools[0]![1]}, ${tools[1]![1]}` });
      const noConf = missingSlurmConf(env, existsSync);
      if (noConf) {
        findings.push({ id: 'slurm.cluster', status: used ? 'fail' : 'ok', summary: noConf, fix: used ? "point SLURM_CONF at the cluster's slurm.conf, or unset it" : undefined });
        return findings;
      }
      const result = await api.exec.try('sinfo', ['-h', '-o', '%P %a %D %T'], { timeoutMs: 15_000 });
      const output = `${result.stderr}\n${result.stdout}`.trim();
      const detail = output.split('\n').slice(-5).join('\n');
      const fix = 'run on a login node of the cluster; check SLURM_CONF (or /etc/slurm/slurm.conf) and that slurmctld and munge run';
      if (result.exitCode === 0) {
        const partitions = result.stdout
          .trim()
          .split('\n')
          .map((l) => l.split(' ')[0])
          .filter(Boolean);
        findings.push({
          id: 'slurm.cluster',
          status: 'ok',
          summary: `the cluster answers; partitions: ${[...new Set(partitions)].join(', ') || '(none)'}`,
          detail: result.stdout.trim(),
        });
      } else if (NOT_CONFIGURED.test(output))
        // Client tools without a cluster (a workstation): only a fault for a project that asks for Slurm.
        findings.push({
          id: 'slurm.cluster',
          status: used ? 'fail' : 'ok',
          summary: 'this host has no Slurm configuration (no slurm.conf, no configless controller)',
          detail,
          fix: used ? fix : undefined,
        });
      else
        findings.push({
          id: 'slurm.cluster',
          status: used ? 'fail' : 'warn',
          summary: isUnreachable(output) ? 'the Slurm controller does not answer' : `sinfo failed with exit code ${result.exitCode}`,
          detail,
          fix,
        });
      return findings;
    },
  });
}
