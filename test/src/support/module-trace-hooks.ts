/** Loader hooks of module-trace.ts: record each module URL as it is loaded. */
import { appendFileSync } from 'node:fs';

let out = '';

export function initialize(data: { out: string }): void {
  out = data.out;
}

export async function load(url: string, context: object, nextLoad: (url: string, context: object) => Promise<unknown>): Promise<unknown> {
  if (out && !url.startsWith('node:')) appendFileSync(out, `${url}\n`);
  return nextLoad(url, context);
}
