/** Quoting for bash: the one place words become shell text (scripts we write, commands we print). */

const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

export function shellQuoteWord(word: string): string {
  if (word === '') return "''";
  return SAFE.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export function shellQuote(words: readonly string[]): string {
  return words.map(shellQuoteWord).join(' ');
}
