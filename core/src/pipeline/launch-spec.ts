/**
 * The one runtime's plan() → LaunchSpec, checked before it runs and is recorded: the warm path
 * replays it later without the plugin that made it, so it must be plain data whose files stay
 * inside the command's scripts folder.
 */
import { isAbsolute, relative } from 'node:path';
import { AnysnakeError, PluginHookError } from '../errors.js';
import type { LaunchSpec, RunContext, RunPlan } from '../plugin-api.js';
import type { RegisteredRuntime } from './runtime-select.js';

/** The chosen runtime's LaunchSpec, checked: it is replayed later without the plugin that made it. */
export async function planLaunch(runtime: RegisteredRuntime, plan: RunPlan, context: RunContext): Promise<LaunchSpec> {
  let spec: LaunchSpec;
  try {
    spec = await runtime.plan(plan, context);
  } catch (error) {
    throw new PluginHookError(runtime.owner, `runtime ${runtime.name}: plan`, error);
  }
  const problem = launchSpecProblem(spec, context.scriptsDir);
  if (problem)
    throw new AnysnakeError(`[${runtime.owner}] runtime ${runtime.name}: plan() returned an unusable LaunchSpec: ${problem}`, {
      hint: 'see docs/plugins.md, "LaunchSpec"; report it to the plugin\'s authors',
    });
  // A plain-data copy: what is recorded is exactly what runs.
  return JSON.parse(JSON.stringify(spec)) as LaunchSpec;
}

const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((v) => typeof v === 'string');
const isStringRecord = (value: unknown): value is Record<string, string> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');

export function launchSpecProblem(spec: unknown, scriptsDir: string): string | undefined {
  if (typeof spec !== 'object' || spec === null) return 'not an object';
  const { argv, env, files, inputs, cleanup } = spec as Record<string, unknown>;
  if (!isStringArray(argv) || argv.length === 0 || argv[0] === '') return 'argv must be a non-empty list of strings';
  if (env !== undefined && !isStringRecord(env)) return 'env must map names to strings';
  const inside = (path: unknown) => typeof path === 'string' && isAbsolute(path) && !relative(scriptsDir, path).startsWith('..') && relative(scriptsDir, path) !== '';
  if (files !== undefined) {
    if (!Array.isArray(files)) return 'files must be a list';
    for (const file of files as Record<string, unknown>[]) {
      if (!inside(file?.path)) return `file ${JSON.stringify(file?.path)} is not inside ${scriptsDir}`;
      if (typeof file.content !== 'string') return `file ${file.path as string} has no string content`;
      if (file.mode !== undefined && (!Number.isInteger(file.mode) || (file.mode as number) < 0 || (file.mode as number) > 0o777))
        return `file ${file.path as string} has a bad mode`;
    }
  }
  if (inputs !== undefined) {
    if (!Array.isArray(inputs)) return 'inputs must be a list';
    const seen = new Set<unknown>();
    for (const input of inputs as Record<string, unknown>[]) {
      if (!Number.isInteger(input?.fd) || (input.fd as number) < 3 || (input.fd as number) > 9 || seen.has(input.fd))
        return `input fd ${JSON.stringify(input?.fd)} must be a whole number from 3 to 9, each once`;
      seen.add(input.fd);
      if (typeof input.content !== 'string') return `input fd ${input.fd as number} has no string content`;
    }
  }
  if (cleanup !== undefined && (!isStringArray(cleanup) || !cleanup.every(inside))) return `cleanup paths must be inside ${scriptsDir}`;
  return undefined;
}
