/** The sections the core itself owns (behaviour reference §2.2–2.4, §2.11–2.14). */
import { Type } from '../vendor/typebox.js';
import type { SectionDefinition, SectionRegistry } from '../plugin-api.js';
import { checkNixCode, checkVcsUrl, StringMap, toolPinSchema } from './common.js';
import { isAttrPath } from '../nix/escape.js';
import { isCommandWord } from '../argv.js';
import { rewriteCloneUrl } from '../vcs/clone-url.js';
import { cloneDirProblem, cloneNameProblem, commandNameProblem } from '../config/safe-names.js';
import { parseVersionPin, PinError } from '../self-version/pin.js';

export const DEFAULT_NIXPKGS_URL = 'github:NixOS/nixpkgs';
export const DEFAULT_FLAKE_UTILS_URL = 'github:numtide/flake-utils';

export const anysnake2Schema = Type.Object(
  {
    url2: Type.Optional(Type.String({ description: 'Where the anysnake2 version this project uses comes from; "dev" never switches' })),
    use_binary: Type.Optional(Type.Boolean({ description: 'Default url2: prebuilt release flakes (true) or a source build' })),
    url: Type.Optional(Type.String({ description: 'Pre-2.0 spelling of the version pin (accepted, not used)' })),
    rev: Type.Optional(Type.String({ description: 'Pre-2.0 revision of the version pin (accepted, not used)' })),
    do_not_modify_flake: Type.Optional(Type.Boolean({ description: 'Escape hatch: never overwrite .anysnake2_flake/flake.nix' })),
    dtach: Type.Boolean({ description: 'Run containers inside dtach so they survive a dropped SSH session', default: true }),
  },
  { description: 'Which anysnake2 runs this project' },
);

export const nixpkgsSchema = Type.Object(
  {
    url: Type.String({ description: 'The nixpkgs used inside the container', default: DEFAULT_NIXPKGS_URL }),
    packages: Type.Array(Type.String(), {
      description: 'nixpkgs attribute names or parenthesised Nix expressions, evaluated inside `with pkgs;`',
      default: [],
    }),
    allow_unfree: Type.Boolean({ description: 'nixpkgs config.allowUnfree', default: false }),
    permitted_insecure_packages: Type.Array(Type.String(), {
      description: 'nixpkgs config.permittedInsecurePackages, e.g. "openssl-1.1.1w"',
      default: [],
    }),
    overlay: Type.Optional(Type.String({ description: 'A nixpkgs overlay, as Nix code: final: prev: { … }' })),
  },
  { description: 'The nixpkgs used inside the container' },
);

export const outsideNixpkgsSchema = toolPinSchema('The nixpkgs used for host-side tools (dtach, git, a runtime not on PATH)', DEFAULT_NIXPKGS_URL);
export const flakeUtilSchema = toolPinSchema('numtide/flake-utils, used by the generated flake', DEFAULT_FLAKE_UTILS_URL);

export const containerSchema = Type.Object(
  {
    home: Type.Optional(Type.String({ description: 'Host directory used as $HOME in the container; $VAR expands (default $HOME)' })),
    volumes_ro: Type.Optional(StringMap('Read-only binds: host path = container path')),
    volumes_rw: Type.Optional(StringMap('Read-write binds: host path = container path')),
    env: Type.Optional(StringMap('Environment variables inside the container; $VAR expands from the host')),
    gpu: Type.Optional(Type.Boolean({ description: "Pass the host's NVIDIA GPUs and driver libraries into the container (each runtime in its own way; see docs/hpc.md)" })),
    runtime: Type.String({
      description: 'Container runtime: "auto" (the installed runtime of the highest priority; anysnake2 doctor lists them) or a runtime name',
      default: 'auto',
    }),
  },
  { description: 'How the container runs' },
);

export const nixSchema = Type.Object(
  {
    cache: Type.Optional(
      Type.String({ description: 'Binary cache `anysnake2 build rootfs --push` copies the closure to: file:///shared/cache, ssh://host, s3://bucket, https://…' }),
    ),
    signing_key: Type.Optional(Type.String({ description: 'Secret key file (`nix key generate-secret`) that signs what --push copies; relative to the project directory' })),
  },
  { description: 'Shipping the environment to other machines through a Nix binary cache' },
);

/** The stores `nix copy --to` takes that make sense for a shared cache. */
const CACHE_URL = /^(file:\/\/\/|ssh:\/\/|ssh-ng:\/\/|s3:\/\/|https?:\/\/)[^\s]+$/;

const script = (description: string) => Type.Optional(Type.String({ description }));
export const cmdSchema = Type.Record(
  Type.String(),
  Type.Object(
    {
      run: Type.String({ description: 'bash script run inside the container' }),
      pre_run_outside: script('bash on the host before the container starts; failure aborts'),
      while_run_outside: script('bash on the host while the container runs; stopped afterwards'),
      post_run_inside: script('bash inside the container after run, whatever its status ($ANYSNAKE_RUN_STATUS)'),
      post_run_outside: script('bash on the host after the container exits'),
    },
    { description: 'A command: `anysnake2 <name>` runs it' },
  ),
  { description: 'Named commands; [cmd.default] is what a bare `anysnake2` runs' },
);

export const devShellSchema = Type.Object(
  {
    inputs: Type.Array(Type.String(), { description: 'nixpkgs attributes available in `anysnake2 develop`', default: [] }),
    shell: Type.String({ description: 'The shell `anysnake2 develop` starts', default: 'bash' }),
  },
  { description: 'The `anysnake2 develop` shell' },
);

export const clonesSchema = Type.Record(Type.String(), StringMap('name = VCS URL, checked out once into <dir>/<name>'), {
  description: 'Repositories cloned into target directories once',
});

export const cloneOptionsSchema = Type.Object(
  {
    jujutsu: Type.Boolean({ description: 'Clone with jj (colocated git + jj)', default: false }),
    clone_regexps: Type.Optional(StringMap('regex = replacement, applied to [clones] URLs')),
  },
  { description: 'How [clones] are checked out' },
);

const checkUrlKey = (value: { url?: unknown }, report: Parameters<NonNullable<SectionDefinition['check']>>[1]) => checkVcsUrl(report, ['url'], value.url);

/** Warn about a 1.x key that 2.x ignores, and drop it. */
function dropLegacyKey(key: string, reason: string): NonNullable<SectionDefinition['normalize']> {
  return (value, report) => {
    if (typeof value !== 'object' || value === null || !(key in value)) return value;
    report.warn([key], `has no effect and is ignored: ${reason}`);
    const { [key]: _dropped, ...rest } = value as Record<string, unknown>;
    return rest;
  };
}

export function registerCoreSections(sections: SectionRegistry): void {
  sections.register({
    name: 'anysnake2',
    order: 1000,
    schema: anysnake2Schema,
    description: anysnake2Schema.description!,
    // Read-only commands do not switch versions, so `check` reports a url2 that cannot pin here.
    check(value, report) {
      if (value.url2 === undefined) return;
      try {
        parseVersionPin(value.url2);
      } catch (error) {
        if (!(error instanceof PinError)) throw error;
        report.error(['url2'], error.message, error.hint);
      }
    },
  });
  sections.register({
    name: 'nixpkgs',
    order: 3000,
    schema: nixpkgsSchema,
    description: nixpkgsSchema.description!,
    normalize: dropLegacyKey('rev', 'since 2.0 the revision is part of url, e.g. github:NixOS/nixpkgs/master/24.05'),
    check(value, report) {
      checkUrlKey(value, report);
      value.packages.forEach((entry, i) => {
        if (!isAttrPath(entry)) checkNixCode(report, ['packages', i], entry);
      });
      if (value.overlay !== undefined) checkNixCode(report, ['overlay'], value.overlay);
    },
  });
  sections.register({
    name: 'outside_nixpkgs',
    order: 96000,
    schema: outsideNixpkgsSchema,
    description: outsideNixpkgsSchema.description!,
    normalize: dropLegacyKey('rev', 'since 2.0 the revision is part of url, e.g. github:NixOS/nixpkgs/master/24.05'),
    check: checkUrlKey,
  });
  sections.register({ name: 'flake-util', order: 99000, schema: flakeUtilSchema, description: flakeUtilSchema.description!, check: checkUrlKey });
  sections.register({
    name: 'nix',
    schema: nixSchema,
    description: nixSchema.description!,
    check(value, report) {
      if (value.cache !== undefined && !CACHE_URL.test(value.cache))
        report.error(
          ['cache'],
          `is not a binary cache url: ${JSON.stringify(value.cache)}`,
          'e.g. cache = "file:///shared/nix-cache", "ssh://login-node" or "s3://bucket?region=eu-west-1"',
        );
      if (value.signing_key !== undefined && (value.signing_key === '' || /[\x00-\x1f]/.test(value.signing_key)))
        report.error(
          ['signing_key'],
          'is not a file name',
          'the secret key file, e.g. signing_key = "keys/cache.secret" (make it with: nix key generate-secret --key-name mycache-1)',
        );
    },
  });
  sections.register({
    name: 'container',
    order: 21000,
    schema: containerSchema,
    description: containerSchema.description!,
    check(value, report) {
      for (const name of Object.keys(value.env ?? {})) {
        if (name === '') report.error(['env', name], 'is an empty environment variable name', 'give the variable a name, e.g. MY_VAR = "…"');
        else if (name.includes('=')) report.error(['env', name], 'is not a valid environment variable name: it contains "="', 'the name ends before the "="; write NAME = "value"');
      }
    },
  });
  sections.register({
    name: 'cmd',
    order: 23000,
    schema: cmdSchema,
    description: cmdSchema.description!,
    check(value, report) {
      for (const name of Object.keys(value)) {
        const problem = commandNameProblem(name);
        if (problem) report.error([name], `is not a valid command name: it ${problem}`, 'rename the [cmd.<name>] table, e.g. [cmd.my-command]');
      }
      for (const name of Object.keys(value)) if (isCommandWord(name)) report.warn([name], `can never run: \`anysnake2 ${name}\` is a built-in command; rename it`);
    },
  });
  sections.register({
    name: 'dev_shell',
    order: 25000,
    schema: devShellSchema,
    description: devShellSchema.description!,
    check(value, report) {
      value.inputs.forEach((entry, i) => {
        if (!isAttrPath(entry)) checkNixCode(report, ['inputs', i], entry);
      });
    },
  });
  sections.register({
    name: 'clones',
    order: 4000,
    updateEachEntry: true,
    schema: clonesSchema,
    description: clonesSchema.description!,
    check(value, report, section) {
      const regexps = (section('clone_options') as { clone_regexps?: Record<string, string> } | undefined)?.clone_regexps ?? {};
      for (const [dir, entries] of Object.entries(value)) {
        const dirProblem = cloneDirProblem(dir);
        if (dirProblem) report.error([dir], `is not a valid clone directory: it ${dirProblem}`, 'name a directory inside the project, e.g. [clones.code]');
        for (const name of Object.keys(entries)) {
          const problem = cloneNameProblem(dir, name);
          if (problem) report.error([dir, name], `is not a valid clone name: it ${problem}`, 'name the checkout directory, e.g. dppd = "github:TyberiusPrime/dppd"');
        }
      }
      for (const [dir, entries] of Object.entries(value))
        for (const [name, url] of Object.entries(entries)) {
          let rewritten = url;
          try {
            rewritten = rewriteCloneUrl(url, regexps);
          } catch {
            // an invalid pattern is reported by [clone_options]
          }
          checkVcsUrl(report, [dir, name], rewritten);
        }
    },
  });
  sections.register({
    name: 'clone_options',
    schema: cloneOptionsSchema,
    description: cloneOptionsSchema.description!,
    normalize: dropLegacyKey('regex', 'anysnake2 2.x never read it; the working key is clone_options.clone_regexps'),
    check(value, report) {
      for (const pattern of Object.keys(value.clone_regexps ?? {})) {
        try {
          new RegExp(pattern);
        } catch (error) {
          report.error(['clone_regexps', pattern], `is not a valid regular expression: ${(error as Error).message}`);
        }
      }
    },
  });
  sections.rename({ from: 'devshell', to: 'dev_shell' });
  sections.rename({ from: 'container.dtach', to: 'anysnake2.dtach' });
  sections.retire({ name: 'env', order: 22000, reason: 'container environment variables belong in [container.env]' });
  sections.retire({ name: 'clone_regexps', order: 5000, reason: 'anysnake2 2.x never read it; the working key is clone_options.clone_regexps' });
}
