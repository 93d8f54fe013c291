/**
 * The dates nixR offers, from its generated/readme.md: a markdown table whose rows start with
 * `YYYY-MM-DD | R version | Bioconductor release | …` (rows may repeat; the leading `|` is optional).
 * Pure, so the tofu lookup and the emit-time check read the table the same way.
 */
export interface NixrDate {
  readonly date: string;
  readonly r: string;
  readonly bioconductor: string;
}

const ROW = /^\s*\|?\s*(\d{4}-\d{2}-\d{2})\s*\|\s*([^|]*?)\s*\|\s*([^|]*?)\s*\|/;

/** Every date of the table once, newest first. */
export function parseNixrReadme(text: string): NixrDate[] {
  const byDate = new Map<string, NixrDate>();
  for (const line of text.split('\n')) {
    const row = ROW.exec(line);
    if (row && !byDate.has(row[1]!)) byDate.set(row[1]!, { date: row[1]!, r: row[2]!, bioconductor: row[3]! });
  }
  return [...byDate.values()].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : 0));
}

const day = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

/** The `count` offered dates closest to `wanted` (ties: the earlier one first), newest first. */
export function nearestDates(dates: readonly NixrDate[], wanted: string, count = 3): NixrDate[] {
  const target = day(wanted);
  return [...dates]
    .sort((a, b) => Math.abs(day(a.date) - target) - Math.abs(day(b.date) - target) || (a.date < b.date ? -1 : 1))
    .slice(0, count)
    .sort((a, b) => (a.date < b.date ? 1 : -1));
}

export function describeDate(d: NixrDate): string {
  return `${d.date} (R ${d.r}, Bioconductor ${d.bioconductor})`;
}
