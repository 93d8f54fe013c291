/**
 * The generated flake.nix must parse before it is written: `nix-instantiate --parse` reads the new
 * text (only when it changed, ~0.1 s). Raw Nix from the config is already checked by our own
 * parser at load time (`nix/syntax-check.ts`), but names are resolved only by Nix — an overlay that
 * uses an undefined variable passes that check and fails here. When the failure lies inside a raw
 * fragment the user gets a config error (65) naming its key; anything else is a bug (70).
 */
import type { NixExpr, NixRaw } from '../nix/ast.js';
import { printRaw } from '../nix/print.js';
import { exec } from '../exec.js';
import { AnysnakeError, ConfigError, ToolMissingError, type SourceLocation } from '../errors.js';

export class GeneratedFlakeError extends AnysnakeError {}

export async function verifyFlakeParses(
  text: string,
  expr: NixExpr,
  options: { cwd: string; locate: (path: readonly (string | number)[]) => SourceLocation | undefined },
): Promise<void> {
  let result;
  try {
    // A dummy store: parsing needs none, and a user without a writable Nix profile (a fresh account,
    // `runuser`) would otherwise fail on the store's set-up, not on the text.
    result = await exec.try('nix-instantiate', ['--store', 'dummy://', '--parse', '-'], { cwd: options.cwd, input: text, timeoutMs: 60_000 });
  } catch (error) {
    // `build flake` itself needs no Nix; building will say that Nix is missing.
    if (error instanceof ToolMissingError) return;
    throw error;
  }
  if (result.exitCode === 0) return;
  const stderr = result.stderr
    .split('\n')
    .filter((line) => !line.startsWith('warning:'))
    .join('\n');
  const message = /^error: (.*)$/m.exec(stderr)?.[1] ?? stderr.trim().split('\n')[0] ?? 'unknown error';
  const at = /at «stdin»:(\d+):(\d+)/.exec(stderr);
  // No position means Nix failed before it parsed anything (its own set-up): building reports that.
  if (!at) return;
  const offset = at ? offsetOf(text, Number(at[1]), Number(at[2])) : undefined;
  const culprit = offset === undefined ? undefined : rawFragments(expr).find((raw) => covers(text, printRaw(raw.code), offset));
  if (culprit) {
    const path = originPath(culprit.origin);
    throw new ConfigError([
      {
        path: culprit.origin,
        message: `is Nix code that does not fit in the generated flake: ${message}`,
        hint: 'this key is Nix code evaluated inside the flake: use only names in scope there (pkgs attributes, final/prev in an overlay) and check it with nix-instantiate --parse',
        location: options.locate(path),
      },
    ]);
  }
  throw new GeneratedFlakeError(`the generated flake.nix does not parse (a bug in anysnake2 or one of its plugins): ${message}`, {
    hint: 'please report it with your anysnake2.toml; nothing was written',
  });
}

/** Every raw fragment in the tree (raw nodes are plain objects; walk all own values). */
function rawFragments(expr: unknown, out: NixRaw[] = []): NixRaw[] {
  if (Array.isArray(expr)) for (const item of expr) rawFragments(item, out);
  else if (expr instanceof Map) for (const value of expr.values()) rawFragments(value, out);
  else if (typeof expr === 'object' && expr !== null) {
    if ((expr as { kind?: unknown }).kind === 'raw') out.push(expr as NixRaw);
    else for (const value of Object.values(expr)) rawFragments(value, out);
  }
  return out;
}

function covers(text: string, needle: string, offset: number): boolean {
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) if (at <= offset && offset < at + needle.length) return true;
  return false;
}

/** Nix counts columns in bytes; turn its 1-based line:column into an offset into `text`. */
function offsetOf(text: string, line: number, column: number): number | undefined {
  const lines = text.split('\n');
  if (line < 1 || line > lines.length) return undefined;
  const before = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
  const within = Buffer.from(lines[line - 1]!, 'utf8')
    .subarray(0, Math.max(0, column - 1))
    .toString('utf8').length;
  return before + within;
}

/** `nixpkgs.packages[0]` → ['nixpkgs', 'packages', 0]; names with dots locate their nearest table. */
function originPath(origin: string): (string | number)[] {
  return origin
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}
