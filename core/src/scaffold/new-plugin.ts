/**
 * `anysnake2 plugins new`: a third-party plugin package from core/templates/plugin (common files plus
 * a section or a runtime), ready for `npm install`, `npm run build`, `npm test` and `plugins link`.
 * It builds against the installed core's types: `@anysnake2/core` is a `file:` devDependency on
 * this anysnake2's own package folder (npm links it; nothing from it is bundled or loaded at run
 * time), the one way that works before the core is on a registry.
 */
import { cp, mkdir, readdir, readFile, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CantCreateError, UsageError } from '../errors.js';
import { npmNameProblem, unscoped } from './npm-name.js';

export type PluginKind = 'section' | 'runtime';

export interface NewPluginOptions {
  name: string;
  kind: PluginKind;
  /** The directory to create (must not exist or be empty). */
  dir: string;
  /** The installed core's package folder (oclif's config.root). */
  coreRoot: string;
}

/** Versions the scaffold's own build and test use (TypeScript and TypeBox as the core's). */
const DEV_VERSIONS = { typescript: '~5.9.3', '@types/node': '^20.19.0', '@sinclair/typebox': '^0.34.52' };

/** `anysnake2-plugin-node` → `node`: the section or runtime name users write. */
export function shortName(name: string): string {
  return unscoped(name).replace(/^(anysnake2-)?plugin-/, '');
}

export async function newPlugin(options: NewPluginOptions): Promise<string[]> {
  const { name, kind, dir, coreRoot } = options;
  const problem = npmNameProblem(name);
  if (problem)
    throw new UsageError(`${JSON.stringify(name)} is not a valid npm package name: it ${problem}`, {
      hint: 'use lower case, e.g. anysnake2-plugin-mytool or @me/anysnake2-plugin-mytool',
    });
  const short = shortName(name);
  if (!/^[a-z][a-z0-9_-]*$/.test(short))
    throw new UsageError(`the ${kind} name taken from ${JSON.stringify(name)}, ${JSON.stringify(short)}, must start with a letter and hold only a-z, 0-9, _ and -`, {
      hint: 'name the package anysnake2-plugin-<word>',
    });
  const existing = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    if (error.code === 'ENOTDIR') throw new CantCreateError(`${dir} exists and is not a directory`, { hint: 'choose another name or remove it' });
    throw new CantCreateError(`cannot read ${dir}: ${error.message}`, { cause: error });
  });
  if (existing.length > 0) throw new CantCreateError(`${dir} exists and is not empty`, { hint: 'choose another name, or remove the directory' });

  const core = JSON.parse(await readFile(join(coreRoot, 'package.json'), 'utf8')) as { version: string; dependencies?: Record<string, string> };
  const templates = join(coreRoot, 'templates', 'plugin');
  // Written beside the target first and renamed into place: never a half-written plugin folder.
  const staging = `${dir}.new-${process.pid}`;
  try {
    await mkdir(staging, { recursive: true });
    await cp(join(templates, 'common'), staging, { recursive: true });
    await cp(join(templates, kind), staging, { recursive: true });
    await rename(join(staging, 'gitignore'), join(staging, '.gitignore')); // npm pack drops a .gitignore
    for (const file of ['src/index.ts', 'src/plugin.ts', 'test/plugin.test.ts']) {
      const path = join(staging, file);
      await writeFile(path, (await readFile(path, 'utf8')).replaceAll('__NAME__', name).replaceAll('__SHORT__', short));
    }
    await writeFile(join(staging, 'package.json'), `${JSON.stringify(packageJson(name, kind, short, coreRoot, core), null, 2)}\n`);
    await writeFile(join(staging, 'README.md'), readme(name, kind, short));
    await rmEmpty(dir);
    await rename(staging, dir);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    if (error instanceof UsageError || error instanceof CantCreateError) throw error;
    throw new CantCreateError(`cannot create ${dir}: ${(error as Error).message}`, { cause: error });
  }
  return ['package.json', 'tsconfig.json', '.gitignore', 'README.md', 'src/index.ts', 'src/plugin.ts', 'test/plugin.test.ts'];
}

/** An existing empty directory is replaced by the rename. */
async function rmEmpty(dir: string): Promise<void> {
  await rmdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code !== 'ENOENT') throw error;
  });
}

function packageJson(name: string, kind: PluginKind, short: string, coreRoot: string, core: { version: string; dependencies?: Record<string, string> }) {
  const dev: Record<string, string> = {
    // The core's types, from this installation; once @anysnake2/core is on your registry: "^<version>".
    '@anysnake2/core': `file:${coreRoot}`,
    '@types/node': DEV_VERSIONS['@types/node'],
    typescript: DEV_VERSIONS.typescript,
  };
  if (kind === 'section') dev['@sinclair/typebox'] = core.dependencies?.['@sinclair/typebox'] ?? DEV_VERSIONS['@sinclair/typebox'];
  return {
    name,
    version: '0.1.0',
    description: kind === 'section' ? `anysnake2 plugin: the [${short}] section` : `anysnake2 plugin: the ${short} container runtime`,
    type: 'module',
    license: 'MIT',
    main: './dist/src/index.js',
    // Only the plugin: its tests build to dist/test/.
    files: ['dist/src'],
    oclif: { hooks: { 'anysnake2:plugin': './dist/src/index.js' } },
    anysnake2: { apiVersion: '2' },
    scripts: { build: 'tsc -p .', test: 'node --test dist/test/plugin.test.js', prepack: 'npm run build' },
    // anysnake2 is the host that loads the plugin: `plugins install` must not fetch it.
    peerDependencies: { '@anysnake2/core': `>=${core.version}` },
    peerDependenciesMeta: { '@anysnake2/core': { optional: true } },
    devDependencies: Object.fromEntries(Object.entries(dev).sort(([a], [b]) => (a < b ? -1 : 1))),
    engines: { node: '>=20.19.0' },
  };
}

function readme(name: string, kind: PluginKind, short: string): string {
  const what =
    kind === 'section'
      ? `Owns the \`[${short}]\` section of anysnake2.toml: \`packages\` (nixpkgs attributes added to the container) and \`pinned_on\`, written on first use.\n\n\`\`\`toml\n[${short}]\npackages = ["hello"]\n\`\`\``
      : `The container runtime \`${short}\`: \`[container] runtime = "${short}"\` in anysnake2.toml. \`src/plugin.ts\` plans the command line (a LaunchSpec); replace the tool and its flags with your runtime's.`;
  return `# ${name}

An [anysnake2](https://github.com/anysnake2/anysnake2) plugin. ${what}

## Develop

\`\`\`sh
npm install        # TypeScript, and anysnake2's types from the installed anysnake2 (a file: link)
npm run build      # src/ → dist/
npm test           # node:test, against a stand-in for anysnake2's api
anysnake2 plugins link .      # anysnake2 now loads dist/src/index.js; rebuild after each change
\`\`\`

Only \`import type\` from \`@anysnake2/core/plugin-api\`: everything the plugin uses at run time arrives on the
\`api\` object. \`anysnake2.apiVersion\` in package.json names the plugin API versions it is written for.

## Publish

\`npm publish\` (or \`npm pack\`), then users run \`anysnake2 plugins install ${name}\`
(a tarball: \`anysnake2 plugins install file:/path/to/${unscoped(name)}-0.1.0.tgz\`). The \`file:\` devDependency on
\`@anysnake2/core\` is for building here; it is never installed with the plugin.
`;
}
