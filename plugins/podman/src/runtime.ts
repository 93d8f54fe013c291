/**
 * Runs a RunPlan with `podman run --rootfs`: the built rootfs (a folder of the Nix store) under an
 * overlay (`:O`), so podman may add /etc/hosts and mount points without touching the store, with
 * /nix/store bound read-only so its links resolve. Same semantics as bwrap: binds, home, working
 * directory, only the plan's environment, the host user (rootless: `--userns keep-id`), the
 * container's exit status.
 *
 * The environment goes through an owner-only `--env-file`, never the command line (`ps` shows
 * that to every user). Signals: podman passes TERM/HUP/INT to the container's PID 1, which ignores
 * them unless it handles them, so PID 1 is a small bash that passes them on to the command and
 * exits with its status; when PID 1 exits, the kernel ends every process of the container.
 *
 * Host-specific flags are config (`[podman]`): some hosts need `oci_runtime = "runc"` and lower
 * `ulimits` than the host's own (runc refuses limits the user namespace cannot set).
 *
 * `[podman] image = "oci"` runs the OCI image of `build oci` instead (oci-image.ts): the rootfs
 * and its closure loaded into podman's storage, without the host's /nix/store. A run given an OCI
 * archive (RunPlan.image, a batch job on a node without Nix) runs `oci-archive:FILE` itself.
 */
import { join } from 'node:path';
import type { LaunchSpec, PluginApi, RunPlan, Static } from '@anysnake2/core/plugin-api';

export const RUNTIME = 'podman';
/** In the command's scripts folder; written before each start, removed after it. */
export const ENV_FILE = 'podman.env';
/** podman's transport for an OCI archive file, as `build oci` writes it. */
export const OCI_ARCHIVE = 'oci-archive:';
const NIX_STORE = '/nix/store';

export function podmanSchema(api: PluginApi) {
  const T = api.schema;
  return T.Object(
    {
      oci_runtime: T.Optional(T.String({ minLength: 1, pattern: '^[A-Za-z0-9_./-]+$', description: 'podman --runtime: the OCI runtime (name or path), e.g. "runc"' })),
      ulimits: T.Optional(
        T.Record(T.String({ pattern: '^[a-z]+$' }), T.String({ pattern: '^(-1|[0-9]+)(:(-1|[0-9]+))?$' }), {
          description: 'podman --ulimit NAME=SOFT[:HARD], e.g. { nofile = "1024:1024", nproc = "1024:1024" }',
        }),
      ),
      extra_args: T.Optional(T.Array(T.String({ pattern: '^--' }), { description: 'more `podman run` options, each starting with --' })),
      image: T.Optional(
        T.Union([T.Literal('rootfs'), T.Literal('oci')], {
          description:
            'What podman runs: "rootfs" (the default: the built folder, with the host\'s /nix/store bound read-only) or "oci" (the OCI image of `build oci`, loaded into podman\'s storage once per build; self-contained, no host /nix/store)',
          errorMessage: 'must be "rootfs" or "oci"',
        }),
      ),
    },
    { additionalProperties: false, description: 'How the podman runtime calls podman on this host' },
  );
}

export type PodmanConfig = Static<ReturnType<typeof podmanSchema>>;

// `ctx.config.section('podman')` is typed for every plugin compiled with this one.
declare module '@anysnake2/core/plugin-api' {
  interface ConfigSections {
    podman: PodmanConfig;
  }
}

/**
 * PID 1 in the container: passes TERM/HUP/INT on to the command (PID 1 has no default signal
 * actions), keeps its stdin (bash would give a background job /dev/null), returns its status.
 */
export const INIT = [
  'trap \'kill -s TERM "$child" 2>/dev/null\' TERM HUP INT',
  'exec 3<&0',
  '"$@" <&3 3<&- &',
  'child=$!',
  'while :; do wait "$child"; status=$?; kill -0 "$child" 2>/dev/null || exit "$status"; done',
].join('\n');

/** `[container] gpu`: the driver directory joins LD_LIBRARY_PATH (after what the config sets). */
export function gpuEnv(plan: Readonly<RunPlan>): Record<string, string> {
  if (!plan.gpu?.libraries.length) return {};
  const current = plan.env.LD_LIBRARY_PATH;
  return { LD_LIBRARY_PATH: current ? `${current}:${plan.gpu.libDir}` : plan.gpu.libDir };
}

/** `NAME=VALUE` lines as podman's --env-file reads them (verbatim, one line each). */
export function envFileText(plan: Readonly<RunPlan>): string {
  const env: Record<string, string> = { ...plan.passEnv, ...plan.env, ...gpuEnv(plan), HOME: plan.home };
  return Object.keys(env)
    .sort()
    .map((name) => `${name}=${env[name]}\n`)
    .join('');
}

/** Names whose values podman's env file cannot carry (a line break ends the value). */
export function unportableValues(plan: Readonly<RunPlan>): string[] {
  const env: Record<string, string> = { ...plan.passEnv, ...plan.env };
  return Object.keys(env).filter((name) => /[\n\r]/.test(env[name]!));
}

/**
 * `--env SLURM_*` wins over `--env-file`, and `[container] env` must win over the job's variables:
 * a plan value with such a name goes into podman's own environment instead, where `NAME*` finds it.
 */
export function envAtStartOverrides(plan: Readonly<RunPlan>): Record<string, string> | undefined {
  const prefixes = plan.envAtStart ?? [];
  const own = Object.entries(plan.env).filter(([name]) => prefixes.some((p) => name.startsWith(p)));
  return own.length ? Object.fromEntries(own) : undefined;
}

/**
 * `image`: the podman image to run (`[podman] image = "oci"`) instead of the plan's rootfs folder;
 * it holds the closure itself, so the host's /nix/store is not bound.
 */
export function podmanArgs(
  plan: Readonly<RunPlan>,
  options: { scriptsDir: string; envFile: string; config: PodmanConfig; uid: number; gid: number; tty: boolean; image?: string },
): string[] {
  const args = ['run', '--rm', '--interactive', '--log-driver', 'none', '--network', 'host', '--unsetenv-all'];
  if (options.tty) args.push('--tty');
  if (options.config.oci_runtime) args.push('--runtime', options.config.oci_runtime);
  for (const [name, limit] of Object.entries(options.config.ulimits ?? {}).sort()) args.push('--ulimit', `${name}=${limit.includes(':') ? limit : `${limit}:${limit}`}`);
  args.push(...(options.config.extra_args ?? []));
  // The host user: mapped to itself when rootless; root stays root.
  if (options.uid !== 0) args.push('--userns', 'keep-id');
  args.push('--user', `${options.uid}:${options.gid}`);
  args.push('--volume', `${join(options.scriptsDir, 'passwd')}:/etc/passwd:ro`, '--volume', `${join(options.scriptsDir, 'group')}:/etc/group:ro`);
  args.push('--volume', `${plan.home}:${plan.home}:rw`);
  for (const bind of plan.binds) if (!(options.image && bind.target === NIX_STORE)) args.push('--volume', `${bind.source}:${bind.target}:${bind.mode}`);
  // [container] gpu: the device nodes (podman also allows them in the container's device cgroup)
  // and the driver's libraries where Nix's loader looks (not CDI: its specs mount the libraries at
  // the host's paths, which a Nix rootfs never searches).
  for (const device of plan.gpu?.devices ?? []) args.push('--device', device);
  for (const lib of plan.gpu?.libraries ?? []) args.push('--volume', `${lib.path}:${plan.gpu!.libDir}/${lib.name}:ro`);
  // Variables passed in at each start (a Slurm job's SLURM_*): podman's own prefix form, NAME*,
  // takes them from podman's environment when the container starts.
  for (const prefix of plan.envAtStart ?? []) args.push('--env', `${prefix}*`);
  args.push('--env-file', options.envFile, '--workdir', plan.workdir);
  // An archive is read (copied into podman's storage) by this run itself: --quiet keeps its progress out of the log.
  if (options.image?.startsWith(OCI_ARCHIVE)) args.push('--quiet');
  if (options.image) args.push('--pull', 'never', options.image);
  else args.push('--rootfs', `${plan.rootfs}:O`);
  args.push('/bin/bash', '-c', INIT, 'anysnake2-init', ...plan.argv);
  return args;
}

export function register(api: PluginApi): void {
  api.sections.register({ name: 'podman', schema: podmanSchema(api), description: 'Host-specific flags for the podman runtime' });
  api.runtimes.register({
    name: RUNTIME,
    // Below bwrap: "auto" keeps what it picked before podman existed.
    priority: 5,
    installHint: 'apt-get install podman (rootless: also uidmap and a subuid range for your user)',
    imageKinds: ['oci'],
    available: async () => (await api.which('podman')) !== undefined,
    // A broken podman matters when the project uses it; otherwise it is worth a warning only.
    async doctor(ctx) {
      const podman = await api.which('podman', ctx.env.PATH);
      const used = ctx.runtime === RUNTIME;
      if (!podman)
        return used ? [{ id: 'runtime.podman', status: 'fail', summary: '[container] runtime = "podman", but podman is not installed', fix: 'apt-get install podman' }] : [];
      const info = await api.exec.try(podman, ['info', '--format', '{{.Host.Security.Rootless}} {{.Host.OCIRuntime.Name}}'], { env: ctx.env, timeoutMs: 20_000 });
      if (info.exitCode === 0) {
        const [rootless, oci] = info.stdout.trim().split(' ');
        return [{ id: 'runtime.podman', status: 'ok', summary: `podman works (${rootless === 'true' ? 'rootless' : 'as root'}, OCI runtime ${oci})` }];
      }
      return [
        {
          id: 'runtime.podman',
          status: used ? 'fail' : 'warn',
          summary: 'podman is installed but `podman info` fails',
          detail: info.stderr.trim().split('\n').slice(-3).join('\n'),
          fix: 'rootless podman needs uidmap and a subuid/subgid range for your user (usermod --add-subuids 100000-165535 --add-subgids 100000-165535 $USER); see [podman] in docs/configuration.md for host flags',
        },
      ];
    },
    async plan(plan, ctx): Promise<LaunchSpec> {
      const podman = await api.which('podman');
      if (!podman) throw new api.errors.ToolMissingError('podman is not installed', { hint: 'apt-get install podman' });
      const multiline = unportableValues(plan);
      if (multiline.length)
        throw new api.errors.UsageError(`podman cannot pass a value with a line break into the container (${multiline.join(', ')})`, {
          hint: 'use [container] runtime = "bwrap", or keep the value on one line',
        });
      const envFile = join(ctx.scriptsDir, ENV_FILE);
      const config: PodmanConfig = ctx.config.section('podman') ?? {};
      const image = plan.image
        ? `${OCI_ARCHIVE}${plan.image.path}`
        : config.image === 'oci'
          ? await (await import('./oci-image.js')).ensureImage(api, podman, plan, ctx)
          : undefined;
      const argv = [
        podman,
        ...podmanArgs(plan, {
          scriptsDir: ctx.scriptsDir,
          envFile,
          config,
          image,
          uid: process.getuid?.() ?? 0,
          gid: process.getgid?.() ?? 0,
          tty: Boolean(process.stdin.isTTY && process.stdout.isTTY),
        }),
      ];
      ctx.log.debug(`podman: ${api.shellQuote(argv)}`);
      return { argv, env: envAtStartOverrides(plan), files: [{ path: envFile, content: envFileText(plan), mode: 0o600 }], cleanup: [envFile] };
    },
  });
}
