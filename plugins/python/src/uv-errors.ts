/**
 * The failures of `uv lock` that users hit daily, turned into a short message with the fix
 * (issue: "errors users hit daily are explained"); anything else shows the command and uv's output.
 */
import type { ExecResult, PluginApi, SourceLocation } from '@anysnake2/core/plugin-api';

const NO_SOLUTION = /No solution found when resolving dependencies/;
/** How uv says the index was unreachable. */
const UV_NETWORK = /Failed to fetch|error sending request|dns error/i;

export function explainUvFailure(api: PluginApi, argv: readonly string[], result: ExecResult, location?: SourceLocation): Error {
  const output = result.stderr.trimEnd();
  const command = api.shellQuote(argv);
  const start = output.search(NO_SOLUTION);
  if (start >= 0) {
    const explanation = output
      .slice(start)
      .split('\n')
      .slice(1)
      .map((l) => l.replace(/^\s*(╰─▶|\|)?\s*/, '').trim())
      .filter(Boolean);
    return new api.errors.ConfigError([
      {
        path: 'python.packages',
        message: `uv found no versions that satisfy these packages as of the ecosystem date:\n      ${explanation.join('\n      ')}`,
        hint: 'relax the constraint named above, move [python] ecosystem_date, or pin a newer release with "pypi:X" (exempt from the date)',
        location,
      },
    ]);
  }
  const tail = output
    .split('\n')
    .slice(-15)
    .map((l) => `  ${l}`)
    .join('\n');
  if (/exclude-newer-package/.test(output))
    return new api.errors.ToolFailedError(`the uv of the pinned [uv2nix] does not understand per-package exemptions: ${command}\n${tail}`, {
      hint: 'pypi:X pins need uv >= 0.9.25: move [uv2nix] url to a newer commit (delete its revision and run `anysnake2 tofu`)',
    });
  // uv's own words for an unreachable index come first: the generic network check below matches them too.
  if (UV_NETWORK.test(output))
    return new api.errors.TemporaryError(`uv could not reach the package index: ${command}\n${tail}`, {
      hint: 'check the network and proxy settings (https_proxy, no_proxy, UV_INDEX_URL), then run again',
    });
  // Nix itself could not download the flake uv comes from (uv never started).
  if (api.isNetworkFailure(output) && !/Resolved \d+ packages|Using CPython/.test(output))
    return new api.errors.TemporaryError(`could not fetch uv (${argv[2]}): ${command}\n${tail}`, {
      hint: 'uv comes from the pinned [uv2nix] flake: check the network and proxy settings, then run again; anysnake2.toml keeps its pins',
    });
  return new api.errors.ToolFailedError(`uv lock failed (exit code ${result.exitCode}): ${command}\n${tail}`, {
    hint: 'if a package needs extra settings to be locked, set them in [python] uv_lock_env',
  });
}
