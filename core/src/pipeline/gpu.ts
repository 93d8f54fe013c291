/**
 * `[container] gpu = true`: what the host has of an NVIDIA GPU — its device nodes and the user-space
 * driver libraries that must match the kernel module — so each runtime can pass it through (with
 * a GPU switch of its own, or by binding the devices and the libraries). The driver libraries are
 * found the way NVIDIA's container tooling finds them: by name, in the dynamic linker's cache
 * (`ldconfig -p`). Untested on a real GPU (docs/hpc.md).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { GpuView } from '../plugin-api.js';

/**
 * Where the driver libraries appear inside containers that bind them: NixOS's driver directory,
 * which nixpkgs' CUDA packages have in their RUNPATH (addDriverRunpath); LD_LIBRARY_PATH names it
 * too, for wheels that dlopen libcuda.so.1. Nix's loader never reads the host's ld.so.cache, so
 * the libraries must be where it looks.
 */
export const GPU_LIB_DIR = '/run/opengl-driver/lib';

/**
 * The driver's user-space libraries (as NVIDIA's container tooling lists them): CUDA, NVML,
 * the compilers the driver ships (ptxjit, nvvm), video and OpenGL/Vulkan parts. Not CUDA's
 * toolkit (libcudart, libcublas …): that belongs to the environment, pinned like everything else.
 */
const DRIVER_LIBRARY = /^lib(cuda|cudadebugger|nvidia-[A-Za-z0-9_.-]+|nvcuvid|nvoptix|vdpau_nvidia|GLX_nvidia|EGL_nvidia|GLESv2_nvidia|GLESv1_CM_nvidia)\.so(\.\d+)*$/;

/** How `ldconfig -p` tags libraries of this process's architecture (32-bit ones on the same host differ). */
const ARCH_TAG: Record<string, RegExp> = {
  x64: /x86-64/,
  arm64: /AArch64/,
  ppc64: /64bit/,
};

/** The driver libraries in `ldconfig -p` output: one host path per name, the first listed (the linker's choice). */
export function driverLibraries(ldconfigOutput: string, arch: string = process.arch): { name: string; path: string }[] {
  const tag = ARCH_TAG[arch];
  const seen = new Map<string, string>();
  for (const line of ldconfigOutput.split('\n')) {
    // "\tlibcuda.so.1 (libc6,x86-64) => /usr/lib/x86_64-linux-gnu/libcuda.so.1"
    const m = /^\s*(\S+)\s+\(([^)]*)\)(?:\s+OS ABI:[^=]*)?\s+=>\s+(\/\S.*)$/.exec(line);
    if (!m) continue;
    const [, name, flags, path] = m;
    if (!DRIVER_LIBRARY.test(name!) || (tag && !tag.test(flags!)) || seen.has(name!)) continue;
    seen.set(name!, path!.trim());
  }
  return [...seen].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([name, path]) => ({ name, path }));
}

/** `/dev/nvidia0`, `/dev/nvidiactl`, `/dev/nvidia-uvm`, … and `/dev/nvidia-caps/*`, sorted. */
export function nvidiaDevices(devDir: string): string[] {
  const list = (dir: string) => {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  };
  const out: string[] = [];
  for (const name of list(devDir)
    .filter((n) => n.startsWith('nvidia'))
    .sort()) {
    if (name === 'nvidia-caps')
      out.push(
        ...list(join(devDir, name))
          .sort()
          .map((n) => join(devDir, name, n)),
      );
    else out.push(join(devDir, name));
  }
  return out;
}

export interface HostGpuSources {
  devDir?: string;
  /** `ldconfig -p` (only asked for when there is a device). */
  ldconfig: () => Promise<string>;
}

export async function gpuView(sources: HostGpuSources): Promise<GpuView> {
  const devices = nvidiaDevices(sources.devDir ?? '/dev');
  const libraries = devices.length ? driverLibraries(await sources.ldconfig()) : [];
  return { devices, libraries, libDir: GPU_LIB_DIR };
}

/** The host's `ldconfig -p` (ldconfig is in /sbin, often not on a user's PATH). */
export async function hostLdconfig(): Promise<string> {
  const { exec } = await import('../exec.js');
  for (const binary of ['/sbin/ldconfig', '/usr/sbin/ldconfig', 'ldconfig']) {
    if (binary.startsWith('/') && !existsSync(binary)) continue;
    const result = await exec.try(binary, ['-p'], { timeoutMs: 10_000 }).catch(() => undefined);
    if (result?.exitCode === 0) return result.stdout;
  }
  return '';
}
