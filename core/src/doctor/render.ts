/** The doctor's report for people: one line per finding, details and fixes indented under it. */
import type { Finding } from './finding.js';

const MARK = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' } as const;

const indent = (text: string, prefix: string) =>
  text
    .split('\n')
    .map((line) => `${prefix}${line}`)
    .join('\n');

export function renderFindings(findings: readonly Finding[], elapsedMs: number, verbose: boolean): string {
  const lines: string[] = [];
  for (const f of findings) {
    lines.push(`${MARK[f.status]}  ${f.summary}`);
    // Details of healthy findings are noise unless asked for.
    if (f.detail && (f.status !== 'ok' || verbose)) lines.push(indent(f.detail, '        '));
    if (f.fix) lines.push(`        fix: ${f.fix}`);
  }
  const count = (s: Finding['status']) => findings.filter((f) => f.status === s).length;
  lines.push(
    '',
    `${findings.length} checks: ${count('ok')} ok, ${count('warn')} warning${count('warn') === 1 ? '' : 's'}, ${count('fail')} failed (${(elapsedMs / 1000).toFixed(2)} s)`,
  );
  return `${lines.join('\n')}\n`;
}
