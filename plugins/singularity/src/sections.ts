/**
 * The apptainer and singularity runtimes (behaviour reference §7.1): from PATH, or
 * `nix shell <outside_nixpkgs>#apptainer|#singularity` when asked for explicitly. The exact
 * command is saved as run_scripts/<cmd>/singularity.bash, quoted and runnable.
 */
import { join } from 'node:path';
import type { LaunchFile, LaunchSpec, PluginApi, RunPlan } from '@anysnake2/core/plugin-api';

/** What apptainer and singularity pass from their own environment under --cleanenv (env/clean.go). */
const RUNTIME_KEEPS = new Set(['TERM', ...['http', 'https', 'ftp', 'all', 'no'].flatMap((p) => [`${p}_proxy`, `${p.toUpperCase()}_PROXY`])]);

/** The environment the command line has to carry: the plan's, plus the passed host variables apptainer does not keep (the locale). */
function carriedEnv(plan: Readonly<RunPlan>): Record<string, string> {
  const passed = Object.entries(plan.passEnv ?? {}).filter(([name]) => !RUNTIME_KEEPS.has(name));
  return { ...Object.fromEntries(passed), ...plan.env };
}

/**
 * `--pid`: the container is its own PID namespace, so when apptainer ends (anysnake2 passes TERM,
 * HUP and INT on to it, and apptainer to the container) no process of the run is left behind.
 * No value of the environment is on the command line (where `ps` shows it to every user): all of
 * it goes through `envFile` (envFileText).
 */
export function singularityArgs(plan: Readonly<RunPlan>, envFile?: string): string[] {
  const args = ['exec', '--userns', '--pid', '--cleanenv', '--home', plan.home, '--pwd', plan.workdir];
  // [container] gpu: apptainer finds the devices and driver libraries itself (nvliblist.conf).
  if (plan.gpu) args.push('--nv');
  for (const bind of plan.binds) args.push('--bind', `${bind.source}:${bind.target}:${bind.mode}`);
  if (envFile && Object.keys(carriedEnv(plan)).length) args.push('--env-file', envFile);
  // A SIF file (RunPlan.image, a job on a node without Nix) goes where the rootfs folder goes.
  args.push(plan.image?.path ?? plan.rootfs, ...plan.argv);
  return args;
}

/**
 * The env file: one `NAME=value` line per variable, sorted, the value shell-quoted. apptainer
 * evaluates the file with its built-in shell interpreter, so the quoting keeps every value
 * literal: commas (which `--env` would split on), quotes, `$`, backslashes and newlines alike.
 */
export function envFileText(plan: Readonly<RunPlan>, quote: (words: readonly string[]) => string): string {
  const env = carriedEnv(plan);
  return Object.keys(env)
    .sort()
    .map((name) => `${name}=${quote([env[name]!])}\n`)
    .join('');
}

/**
 * Variables passed in at each start (a Slurm job's SLURM_*): under --cleanenv apptainer passes
 * `APPTAINERENV_X` (singularity `SINGULARITYENV_X`) in as X, below --env and --env-file. A bash in
 * front sets those from its own environment, then becomes the runtime.
 */
export function atStart(plan: Readonly<RunPlan>): string[] {
  const prefixes = plan.envAtStart ?? [];
  if (prefixes.length === 0) return [];
  const names = prefixes.map((p) => `\${!${p}@}`).join(' ');
  return ['bash', '-c', `for n in ${names}; do export "APPTAINERENV_$n=\${!n}" "SINGULARITYENV_$n=\${!n}"; done; exec "$@"`, 'anysnake2-env'];
}

/** One argument per line, each quoted: a script that runs exactly what anysnake2 ran. */
export function commandScript(argv: readonly string[], quote: (words: readonly string[]) => string, commandName: string): string {
  const lines = argv.map((a) => quote([a]));
  return `#!/usr/bin/env bash\n# The container command anysnake2 ran for ${commandName}; run it from the project directory.\nexec ${lines.join(' \\\n  ')}\n`;
}

export function register(api: PluginApi): void {
  for (const [name, priority] of [
    ['apptainer', 100],
    ['singularity', 90],
  ] as const) {
    api.runtimes.register({
      name,
      priority,
      installHint: `install ${name} (HPC clusters usually have it as a module), or set [container] runtime = "${name}" to use it from outside_nixpkgs`,
      imageKinds: ['sif'],
      available: async () => (await api.which(name)) !== undefined,
      doctor: async (ctx) => (await import('./doctor.js')).singularityDoctor(api, name, ctx),
      async plan(plan, ctx): Promise<LaunchSpec> {
        const local = await api.which(name);
        // A run from a SIF runs no Nix (the node may have none): the tool must be there.
        if (!local && plan.image)
          throw new api.errors.ToolMissingError(`${name} is not installed on this host, and a run from an image does not take it from Nix`, {
            hint: `install ${name} on the nodes (or module load ${name} before anysnake2)`,
          });
        const binary = local ? [local] : ['nix', '--extra-experimental-features', 'nix-command flakes', 'shell', `${ctx.outsideNixpkgs}#${name}`, '-c', name];
        const envFile = join(ctx.scriptsDir, 'singularity.env');
        const text = envFileText(plan, api.shellQuote);
        const argv = [...atStart(plan), ...binary, ...singularityArgs(plan, text ? envFile : undefined)];
        // Both files carry [container.env] values expanded from the host (secrets, too): owner only.
        // The core writes them before every start, also on the warm path.
        const files: LaunchFile[] = [{ path: join(ctx.scriptsDir, 'singularity.bash'), content: commandScript(argv, api.shellQuote, ctx.commandName), mode: 0o700 }];
        if (text) files.push({ path: envFile, content: text, mode: 0o600 });
        ctx.log.info(`running: ${api.shellQuote(argv)}`);
        return { argv, files };
      },
    });
  }
}
