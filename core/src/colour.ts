/**
 * Colour for the labels of messages (`error:`, `warning:`, `hint:`, `deprecated:`) on a terminal.
 * FORCE_COLOR (any value but 0/false) turns it on even without one, NO_COLOR (non-empty) turns it
 * off, as https://no-color.org and Node's own streams agree; TERM=dumb means no colour.
 */
const CODES: Record<string, string> = { 'error:': '1;31', 'warning:': '1;33', 'deprecated:': '33', 'hint:': '36' };

/** What colour needs of a stream: whether it is a terminal (a Node stream, or `{ isTTY: isatty(fd) }`). */
export type ColourTarget = { readonly isTTY?: boolean } | NodeJS.WritableStream;

export function colourWanted(stream: ColourTarget, env: NodeJS.ProcessEnv = process.env): boolean {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  if (env.NO_COLOR) return false;
  return Boolean((stream as { isTTY?: boolean }).isTTY) && env.TERM !== 'dumb';
}

/** The message with its labels coloured: each at a line's start (after indentation or a `file:line:col: ` prefix). */
export function colourLabels(text: string, stream: ColourTarget): string {
  if (!colourWanted(stream)) return text;
  return text.replace(/^(\s*(?:\S+:\d+:\d+: )?)(error:|warning:|deprecated:|hint:)/gm, (_, lead: string, label: string) => `${lead}\x1b[${CODES[label]}m${label}\x1b[0m`);
}
