/**
 * The batch script `anysnake2 submit` writes into the project (anysnake2_jobs/<cmd>.sbatch) and
 * hands to sbatch. It is the record of what ran: the resources, the anysnake2 that submitted it
 * and the rootfs it was built for. On the node it runs exactly `anysnake2 <cmd> [words…]` from the
 * project directory — pre_run_outside, run, post_run_inside, post_run_outside and the runtime all
 * happen in the job — and records the command's exit status next to the log.
 */
import type { Resources } from './sections.js';
import type { JobImage } from './job-image.js';
import { imageCheck, imageHeader } from './image-check.js';

export interface JobScriptInput {
  /** `[cmd.<name>]`, or `run` for `submit -- <command>`. */
  commandName: string;
  /** Words after the command (`$@` of [cmd.X]; the command itself for `run`). */
  words: readonly string[];
  resources: Resources;
  jobName: string;
  projectDir: string;
  configFile: string;
  logDir: string;
  nodeBinary: string;
  cliEntry: string;
  version: string;
  rootfs: string;
  runtime: string;
  /** `[slurm] image = "sif"|"oci"`: the job starts this file instead of the rootfs (image-check.ts). */
  image?: JobImage;
  quote: (word: string) => string;
}

/** One `#SBATCH` line per resource, in a fixed order. Values were checked at load (sections.ts). */
export function sbatchOptions(resources: Resources): string[] {
  const lines: string[] = [];
  if (resources.partition) lines.push(`--partition=${resources.partition}`);
  if (resources.time) lines.push(`--time=${resources.time}`);
  if (resources.cpus !== undefined) lines.push(`--cpus-per-task=${resources.cpus}`);
  if (resources.mem) lines.push(`--mem=${resources.mem}`);
  if (resources.gpus !== undefined && resources.gpus !== 0) lines.push(`--gpus=${resources.gpus}`);
  if (resources.account) lines.push(`--account=${resources.account}`);
  if (resources.qos) lines.push(`--qos=${resources.qos}`);
  lines.push(...(resources.extra ?? []));
  return lines;
}

/** Text for a comment line: a path with a line break (or any control character) is shown as a JSON string. */
const plain = (text: string) => (/[\x00-\x1f\x7f]/.test(text) ? JSON.stringify(text) : text);

/** `<project directory>-<command>`, reduced to what every Slurm tool prints and parses alike. */
export function jobName(projectDir: string, commandName: string): string {
  const base = projectDir.split('/').filter(Boolean).pop() ?? 'project';
  return `${base}-${commandName}`.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 100);
}

export function jobScript(input: JobScriptInput): string {
  const q = input.quote;
  const invocation = [input.nodeBinary, input.cliEntry, '--no-version-switch', '-c', input.configFile, input.commandName];
  // `run` takes its command after `--`; [cmd.X] takes its words as "$@" (after `--` too, so none is read as an option).
  const argv = [...invocation, '--', ...input.words];
  return [
    '#!/bin/bash',
    `#SBATCH --job-name=${input.jobName}`, // [A-Za-z0-9_.-] only: see jobName()
    ...sbatchOptions(input.resources).map((line) => `#SBATCH ${line}`),
    `# Written by anysnake2 ${input.version} (anysnake2 submit ${input.commandName}); sbatch it again to rerun exactly this:`,
    `# the command, its words and the rootfs below are what ran. Logs and exit statuses: ${plain(input.logDir)}/<job id>.out, .status`,
    `# rootfs: ${plain(input.rootfs)}`,
    `# runtime: ${plain(input.runtime)}`,
    ...(input.image ? imageHeader(input.image, plain) : []),
    'set -u',
    // The job's own records beside its log, for `jobs` once Slurm has forgotten the job (no
    // accounting): `<id>.started` when it starts, `<id>.status` whenever the script exits —
    // the command's status, or this script's own (66: no project directory).
    'if [ -n "${SLURM_ARRAY_JOB_ID:-}" ]; then id="${SLURM_ARRAY_JOB_ID}_${SLURM_ARRAY_TASK_ID}"; else id="${SLURM_JOB_ID:-}"; fi',
    `logs=${q(input.logDir)}`,
    // Bash's own clock and host name: no date or hostname process before the command starts.
    'if [ -n "$id" ]; then',
    '  printf \'%(%s)T %s\\n\' -1 "$HOSTNAME" > "$logs/$id.started"',
    '  trap \'printf "%s\\n" "$?" > "$logs/$id.status"\' EXIT',
    'fi',
    ...(input.image
      ? imageCheck(input.image, q)
      : [
          `rootfs=${q(input.rootfs)}`,
          'if [ ! -e "$rootfs" ]; then',
          '  echo "anysnake2: $rootfs is not in the /nix/store of $HOSTNAME: building it there (share /nix/store, or use a binary cache or an image)" >&2',
          'fi',
        ]),
    `cd ${q(input.projectDir)} || exit 66`,
    // scancel and the time limit send TERM to every process of the job: anysnake2 passes it on to the
    // container and ends with 143; the trap keeps this script alive long enough to record that.
    'trap \'echo "anysnake2: job received SIGTERM (scancel or time limit)" >&2\' TERM',
    `${argv.map(q).join(' ')} </dev/null`,
    'exit "$?"',
    '',
  ].join('\n');
}
