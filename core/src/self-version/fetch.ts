/**
 * Fetching the pinned anysnake2 before switching to it: npm (with the user's registry, cache and
 * npx directory) or Nix installs it and says where its entry point is. The switch then starts that
 * entry point itself, so no npm or nix process sits between us and the child: signals and the exit
 * status pass unchanged, and a failure here (exit 75) is never confused with the child's own.
 */
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { displayCommand, exec, relevantLines } from '../exec.js';
import { TemporaryError } from '../errors.js';
import { NIX_FLAGS } from '../nix-cli/nix.js';
import { credentialsOutOfArgv } from '../vcs/git-credentials.js';
import { parseVcsUrl, toNixForm } from '../vcs/url.js';

/** What to start: `command args… <original words>`. */
export interface Fetched {
  command: string;
  args: string[];
}

function fetchFailed(command: string, args: readonly string[], output: string, hint: string): TemporaryError {
  return new TemporaryError(`could not fetch the pinned anysnake2: ${displayCommand(command, args)} failed${output.trim() ? `\n${relevantLines(output)}` : ''}`, { hint });
}

/** `npm exec` installs `pkg@version` (or finds it in its cache) and names its `anysnake2` bin. */
export async function fetchFromNpm(pkg: string, version: string, cwd: string, offline: boolean): Promise<Fetched> {
  // --offline: only what npm's cache and npx directory hold.
  const args = ['exec', '--yes', ...(offline ? ['--offline'] : []), `--package=${pkg}@${version}`, '-c', 'command -v anysnake2'];
  const hint = 'check the npm registry (npm config get registry) and the version in [anysnake2] url2, or run with --no-version-switch';
  const result = await exec.try('npm', args, { cwd, installHint: 'install Node.js with npm (https://nodejs.org)' });
  const bin = result.stdout.trim().split('\n').pop() ?? '';
  if (result.exitCode !== 0 || !bin.startsWith('/')) throw fetchFailed('npm', args, `${result.stderr}\n${result.stdout}`, hint);
  // bin/run.js inside the package: its package.json must be the pinned one.
  const entry = realpathSync(bin);
  const manifest = JSON.parse(readFileSync(join(dirname(dirname(entry)), 'package.json'), 'utf8')) as { name?: string; version?: string };
  if (manifest.name !== pkg || manifest.version !== version) throw fetchFailed('npm', args, `${bin} belongs to ${manifest.name}@${manifest.version}, not ${pkg}@${version}`, hint);
  return { command: process.execPath, args: [entry] };
}

/**
 * `nix build` realises the flake's default package; its `bin/anysnake2` is the entry point.
 * `shown`: `nixForm` without credentials, for messages.
 */
export async function fetchWithNix(nixForm: string, shown: string, cwd: string, offline: boolean): Promise<Fetched> {
  // Credentials of a git+http(s) url go to Nix's git through the environment, not through argv.
  let flakeRef = nixForm;
  let env = process.env;
  if (nixForm.startsWith('git+')) {
    const source = parseVcsUrl(nixForm);
    if (source.kind === 'git') {
      const moved = credentialsOutOfArgv(source.url, process.env);
      flakeRef = toNixForm({ ...source, url: moved.url });
      env = moved.env;
    }
  }
  // Nix 2.8 has no --print-out-paths; --json names the outputs.
  const args = [...NIX_FLAGS, ...(offline ? ['--offline'] : []), 'build', '--no-link', '--json', flakeRef];
  const result = await exec.try('nix', args, { cwd, env, installHint: 'install Nix with flakes: https://nixos.org/download' });
  let out: string | undefined;
  try {
    out = (JSON.parse(result.stdout) as { outputs?: Record<string, string> }[])[0]?.outputs?.['out'];
  } catch {
    // not JSON: reported below with the output
  }
  if (result.exitCode !== 0 || !out)
    throw fetchFailed(
      'nix',
      args.map((a) => (a === nixForm ? shown : a)),
      `${result.stderr}\n${result.stdout}`.replaceAll(nixForm, shown),
      'check [anysnake2] url2 and the network, or run with --no-version-switch',
    );
  return { command: join(out, 'bin', 'anysnake2'), args: [] };
}
