/**
 * The Node.js anysnake2 runs on: past the end of its release line's life it gets no security
 * fixes, so the doctor warns with the date. Dates from the Node.js release schedule
 * (https://github.com/nodejs/release#release-schedule); odd lines are short-lived.
 */
import type { DoctorContext, Finding } from './finding.js';

/** Release line → last day it is supported (UTC). */
export const NODE_END_OF_LIFE: Readonly<Record<number, string>> = {
  18: '2025-04-30',
  19: '2023-06-01',
  20: '2026-04-30',
  21: '2024-06-01',
  22: '2027-04-30',
  23: '2025-06-01',
  24: '2028-04-30',
  25: '2026-06-01',
  26: '2029-04-30',
};

const ADVICE = 'install a supported LTS line of Node.js (24 or 22) and run anysnake2 with it';

/** The finding for Node.js `version` (as in process.version) on `today`. */
export function nodeLineFinding(version: string, today: Date): Finding {
  const line = Number(/^v?(\d+)\./.exec(version)?.[1]);
  const eol = NODE_END_OF_LIFE[line];
  if (eol === undefined)
    return line > Math.max(...Object.keys(NODE_END_OF_LIFE).map(Number))
      ? { id: 'node.line', status: 'ok', summary: `Node.js ${version} (line ${line}, newer than this anysnake2 knows)` }
      : { id: 'node.line', status: 'warn', summary: `Node.js ${version} is older than any supported line`, fix: ADVICE };
  // The line is supported through the whole EOL day.
  if (today.toISOString().slice(0, 10) > eol)
    return {
      id: 'node.line',
      status: 'warn',
      summary: `Node.js ${version}: line ${line} reached its end of life on ${eol} and gets no security fixes`,
      fix: ADVICE,
    };
  return { id: 'node.line', status: 'ok', summary: `Node.js ${version} (line ${line}, supported until ${eol})` };
}

export async function checkNodeLine(_ctx: DoctorContext): Promise<Finding[]> {
  return [nodeLineFinding(process.version, new Date())];
}
