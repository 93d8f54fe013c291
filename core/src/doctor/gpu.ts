/** `[container] gpu = true`: does this host have an NVIDIA GPU to pass in (/dev/nvidia0)? */
import { existsSync } from 'node:fs';
import type { DoctorContext, Finding } from './finding.js';

export async function checkGpu(ctx: DoctorContext): Promise<Finding[]> {
  const state = await ctx.project();
  if (state.kind !== 'open' || !state.project.config.section<{ gpu?: boolean }>('container')?.gpu) return [];
  if (!existsSync('/dev/nvidia0'))
    return [
      {
        id: 'container.gpu',
        status: 'warn',
        summary: '[container] gpu = true, but this host has no /dev/nvidia0: commands run here have no GPU',
        detail: "on a login node that submits to GPU nodes this is expected; the job passes the node's GPU in",
        fix: 'run on a host with an NVIDIA GPU and its driver loaded (nvidia-smi lists it), or set gpu = false',
      },
    ];
  const { gpuView, hostLdconfig } = await import('../pipeline/gpu.js');
  const view = await gpuView({ ldconfig: hostLdconfig });
  if (view.libraries.length === 0)
    return [
      {
        id: 'container.gpu',
        status: 'fail',
        summary: `${view.devices.length} NVIDIA device(s), but no driver library (libcuda.so.1) in \`ldconfig -p\``,
        fix: "install the NVIDIA driver's user-space libraries (libcuda1 / nvidia-utils) and run ldconfig",
      },
    ];
  return [
    {
      id: 'container.gpu',
      status: 'ok',
      summary: `${view.devices.length} NVIDIA device(s) and ${view.libraries.length} driver libraries to pass in`,
      detail: view.libraries.map((l) => l.path).join('\n'),
    },
  ];
}
