/**
 * `[slurm]` (the project's defaults) and `[cmd.<name>.slurm]` (one command's resources): what
 * becomes `#SBATCH` lines. Every value is checked at load, so nothing reaches the job script
 * that could end its line or name another file.
 */
import type { IssueReporter, PluginApi, Static } from '@anysnake2/core/plugin-api';

export const JOBS_DIR = 'anysnake2_jobs';

/** Options anysnake2 sets itself: `jobs logs` and the recorded exit status depend on them. */
const OWN_OPTIONS = ['--output', '--error', '--chdir', '--parsable', '--wrap', '--array', '--job-name', '-o', '-e', '-D', '-a', '-J'];

const NAME = /^[A-Za-z0-9_.-]+$/;
const PARTITIONS = /^[A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+)*$/;
/** sbatch --time: minutes, m:s, h:m:s, d-h, d-h:m, d-h:m:s, or UNLIMITED. */
const TIME = /^(\d+(:\d{1,2}){0,2}|\d+-\d{1,2}(:\d{1,2}){0,2}|UNLIMITED|INFINITE)$/i;
const MEM = /^\d+[KMGT]?$/i;
const GPUS = /^([A-Za-z0-9_.-]+:)?\d+$/;

export function resourcesSchema(api: PluginApi, description: string) {
  const T = api.schema;
  return T.Object(
    {
      partition: T.Optional(T.String({ description: 'sbatch --partition (one, or several separated by commas)' })),
      time: T.Optional(T.String({ description: 'sbatch --time, e.g. "30" (minutes), "4:00:00", "2-00:00:00"' })),
      cpus: T.Optional(T.Integer({ description: 'sbatch --cpus-per-task', minimum: 1 })),
      mem: T.Optional(T.String({ description: 'sbatch --mem, e.g. "8G"' })),
      gpus: T.Optional(T.Union([T.Integer({ minimum: 0 }), T.String()], { description: 'sbatch --gpus: a count, or "type:count"' })),
      account: T.Optional(T.String({ description: 'sbatch --account' })),
      qos: T.Optional(T.String({ description: 'sbatch --qos' })),
      extra: T.Optional(T.Array(T.String(), { description: 'further sbatch options, one per #SBATCH line, e.g. "--mail-type=END"' })),
      image: T.Optional(
        T.Union([T.Literal('store'), T.Literal('sif'), T.Literal('oci')], {
          description:
            'What the job starts: "store" (the default: the rootfs from a /nix/store the nodes share or fetch), or the image `build sif`/`build oci` writes, for nodes without Nix (its sha256 is checked before the job starts)',
          errorMessage: 'must be "store", "sif" or "oci"',
        }),
      ),
    },
    { description },
  );
}

export type Resources = Static<ReturnType<typeof resourcesSchema>>;

/** The checks the schema cannot say: Slurm's formats, and one line per value. */
export function checkResources(value: Resources, report: IssueReporter): void {
  const format = (key: keyof Resources, pattern: RegExp, hint: string) => {
    const v = value[key];
    if (typeof v === 'string' && !pattern.test(v)) report.error([key], `is not a valid Slurm ${key}: ${JSON.stringify(v)}`, hint);
  };
  format('partition', PARTITIONS, 'a partition name as `sinfo` lists it, e.g. partition = "short"');
  format('time', TIME, 'minutes or [days-]hours:minutes:seconds, e.g. time = "4:00:00"');
  format('mem', MEM, 'a size with unit K, M, G or T, e.g. mem = "8G"');
  format('gpus', GPUS, 'a count or "type:count", e.g. gpus = 1 or gpus = "a100:2"');
  format('account', NAME, 'an account name as `sacctmgr show assoc` lists it, e.g. account = "mylab"');
  format('qos', NAME, 'a QOS name, e.g. qos = "normal"');
  (value.extra ?? []).forEach((option, i) => {
    if (/[\x00-\x1f\x7f]/.test(option))
      report.error(
        ['extra', i],
        'contains a control character (a line break would end the #SBATCH line)',
        'one option per entry, e.g. extra = ["--mail-type=END", "--mail-user=me@example.org"]',
      );
    else if (!option.startsWith('-')) report.error(['extra', i], `is not an sbatch option: ${JSON.stringify(option)}`, 'write it as sbatch takes it, e.g. "--mail-type=END"');
    else {
      const name = option.split(/[=\s]/, 1)[0]!;
      if (OWN_OPTIONS.includes(name))
        report.error(
          ['extra', i],
          `sets ${name}, which anysnake2 sets itself`,
          name === '--array' || name === '-a' ? 'use `anysnake2 submit --array 1-N`' : `remove it: logs go to ${JOBS_DIR}/logs/, the job starts in the project directory`,
        );
    }
  });
}

type RuntimeList = PluginApi['runtimes']['list'];

/** `image = "sif"|"oci"` needs a runtime that can start that kind: the configured one, or for "auto" any. */
export function checkImageRuntime(value: Resources, report: IssueReporter, section: (name: string) => unknown, runtimes: RuntimeList): void {
  const kind = value.image;
  if (kind === undefined || kind === 'store') return;
  const able = runtimes()
    .filter((r) => r.imageKinds.includes(kind))
    .map((r) => r.name)
    .sort();
  const wanted = (section('container') as { runtime?: unknown } | undefined)?.runtime ?? 'auto';
  const fix = able.length ? `set [container] runtime = ${JSON.stringify(able[0])} (${able.join(' or ')} can), or image = "store"` : 'use image = "store"';
  if (wanted === 'auto') {
    if (!able.length) report.error(['image'], `no installed container runtime can start a ${kind} image`, fix);
    return;
  }
  const runtime = runtimes().find((r) => r.name === wanted);
  // An unknown runtime is reported at [container] runtime itself.
  if (runtime && !runtime.imageKinds.includes(kind))
    report.error(['image'], `[container] runtime = ${JSON.stringify(wanted)} cannot start a ${kind} image (it runs the rootfs from /nix/store)`, fix);
}

export function registerSections(api: PluginApi): void {
  const defaults = resourcesSchema(api, 'Slurm defaults for `anysnake2 submit`; [cmd.<name>.slurm] overrides them per command');
  const check = (value: Resources, report: IssueReporter, section: (name: string) => unknown) => {
    checkResources(value, report);
    checkImageRuntime(value, report, section, api.runtimes.list);
  };
  api.sections.register({ name: 'slurm', schema: defaults, description: defaults.description!, check });
  api.sections.extendEntries({
    section: 'cmd',
    key: 'slurm',
    schema: resourcesSchema(api, 'Slurm resources of this command for `anysnake2 submit` (over [slurm])'),
    check,
  });
}

/** [slurm] under [cmd.<name>.slurm]: keys of the command win; extra options add up. */
export function mergeResources(defaults: Resources | undefined, own: Resources | undefined): Resources {
  const merged: Resources = { ...(defaults ?? {}), ...(own ?? {}) };
  const extra = [...(defaults?.extra ?? []), ...(own?.extra ?? [])];
  if (extra.length) merged.extra = extra;
  else delete merged.extra;
  return merged;
}
