/** `tofu --json` and `update --json`: what was (or would be) pinned, as data for scripts. */
import type { Project } from '../pipeline/project.js';
import { displayed, newValues, type TofuOutcome } from './engine.js';
import { lineDiff } from './diff.js';

export function tofuJson(project: Project, outcome: TofuOutcome, dryRun: boolean) {
  return {
    configFile: project.paths.configFile,
    changed: outcome.changed,
    written: outcome.changed && !dryRun,
    // Only values that are new: a list merely put in order is formatting.
    pins: newValues(outcome.updates, project.doc.value).map((u) => ({ path: u.path.join('.'), value: displayed(u.value), source: u.source })),
    diff: outcome.changed ? lineDiff(project.doc.text, outcome.text) : '',
  };
}
