/**
 * `anysnake2 submit` on the warm path: the core found a record of an identical submit (same
 * config, command line, environment still built, tool unchanged) and hands its plan here. This
 * module loads no oclif, no plugin host and no config schema: write the job script, call sbatch,
 * record the job — as submit-send.ts does on the full path, with the same plan.
 *
 * The plan is read back from the project (.anysnake2_flake), so it is checked as input: names,
 * words and resources must be what the full path could have written; anything else is refused.
 */
import { DamagedStateError, type WarmCommandContext } from '@anysnake2/core/plugin-warm.js';
import type { IssueReporter } from '@anysnake2/core/plugin-api';
import { checkResources, type Resources } from './sections.js';
import { checkSubmitFlags, describeJob, sendSubmit, type SubmitPlan } from './submit-send.js';

/** What the submit command records (commands/submit.ts). */
export interface WarmSubmit {
  plan: SubmitPlan;
  json: boolean;
}

const NAME = /^[\p{L}\p{N}_-][\p{L}\p{N}._-]{0,99}$/u;
const isString = (v: unknown): v is string => typeof v === 'string';
const optionalString = (v: unknown) => v === undefined || isString(v);

function resourcesProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'resources are not a table';
  const r = value as Record<string, unknown>;
  for (const key of Object.keys(r)) if (!['partition', 'time', 'cpus', 'mem', 'gpus', 'account', 'qos', 'extra', 'image'].includes(key)) return `unknown resource ${key}`;
  // Jobs that start an image are never recorded (each submit builds and hashes it anew).
  if (r.image !== undefined && r.image !== 'store') return 'an image job is never replayed';
  if (!['partition', 'time', 'mem', 'account', 'qos'].every((key) => optionalString(r[key]))) return 'a resource is not a string';
  if (r.cpus !== undefined && !(Number.isInteger(r.cpus) && (r.cpus as number) >= 1)) return 'cpus is not a whole number';
  if (r.gpus !== undefined && !isString(r.gpus) && !(Number.isInteger(r.gpus) && (r.gpus as number) >= 0)) return 'gpus is neither a count nor a string';
  if (r.extra !== undefined && !(Array.isArray(r.extra) && r.extra.every(isString))) return 'extra is not a list of strings';
  const problems: string[] = [];
  const report: IssueReporter = { error: (path, message) => void problems.push(`${path.join('.')} ${message}`), warn: () => undefined };
  checkResources(r as Resources, report);
  return problems[0];
}

/** Why `data` is not a plan the full path could have recorded, or undefined when it is. */
function planProblem(data: unknown): string | undefined {
  const d = data as Partial<WarmSubmit> | null;
  const plan = d?.plan as Partial<SubmitPlan> | undefined;
  if (typeof d !== 'object' || d === null || typeof d.json !== 'boolean' || typeof plan !== 'object' || plan === null) return 'not a submit record';
  if (!isString(plan.commandName) || !NAME.test(plan.commandName)) return 'not a command name';
  if (!Array.isArray(plan.words) || !plan.words.every(isString)) return 'words are not strings';
  if (![plan.version, plan.rootfs, plan.runtime].every(isString) || typeof plan.dryRun !== 'boolean') return 'not a submit record';
  if (!optionalString(plan.array) || !optionalString(plan.dependency)) return 'not a submit record';
  if (plan.image !== undefined) return 'an image job is never replayed';
  return resourcesProblem(plan.resources);
}

export async function replayWarmCommand(data: unknown, context: WarmCommandContext): Promise<number> {
  const problem = planProblem(data);
  if (problem)
    throw new DamagedStateError(`the warm entry of this submit is damaged: ${problem}`, {
      hint: `remove ${context.flakeDir}/run_scripts/.warm_commands/submit.json (the next submit writes it again)`,
    });
  const { plan, json } = data as WarmSubmit;
  checkSubmitFlags(plan);
  const job = await sendSubmit(plan, { projectDir: context.projectDir, configFile: context.configFile, log: context.log });
  context.stdout(describeJob(job, { json, dryRun: plan.dryRun }));
  return 0;
}
