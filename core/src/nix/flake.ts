/**
 * FlakeBuilder: what plugins describe during `emitFlake`, and how the core turns it into flake.nix.
 * Plugins add inputs, let-bindings, rootfs packages, overlays, devShell inputs and extra files;
 * they never concatenate Nix text. Every collection is sorted or explicitly ordered, so the same
 * config gives byte-identical output.
 */
import type { NixBinding, NixExpr } from './ast.js';
import { byteOrder, nix } from './construct.js';
import { isIdentifier } from './escape.js';
import { printNix } from './print.js';
import { isNixPlainPath } from '../nix-cli/nix-readable-path.js';
import type { FactsOf, FlakeBuilder as PublicFlakeBuilder, RootfsLink } from '../plugin-api.js';

export interface FlakeInput {
  /** Flake reference in Nix form, e.g. `github:NixOS/nixpkgs/<rev>`. */
  url: string;
  /** Our input names this input's inputs should follow: `{ nixpkgs: 'nixpkgs' }`. */
  follows?: Readonly<Record<string, string>>;
  /** `false` for non-flake sources (plain source trees). */
  flake?: boolean;
}

/** An environment a language plugin put into the rootfs, for others (a notebook plugin) to find. */
export interface FlakeEnvironment<K extends string = string> {
  /** What it is, e.g. `node`; its facts' type is `EnvironmentKinds[kind]` when a plugin declared it. */
  kind: K;
  /** The let-bound name of the derivation, e.g. `python_package`. */
  binding: string;
  /** Facts other plugins may read (e.g. `{ version: '3.12' }`, `{ packages: [...] }`). */
  facts: FactsOf<K>;
}

export interface OverlayEntry {
  expr: NixExpr;
  /** Lower runs first; ties break by `owner`, then insertion. */
  order: number;
  owner: string;
}

/**
 * A top-level attribute of the configured nixpkgs that a config key names (`nixpkgs.packages`
 * entries, a plugin's language version → its interpreter's attribute). When Nix cannot evaluate the flake, the core checks
 * these against the names the pinned nixpkgs has and blames the key, not the generated flake.
 */
export interface NixpkgsAttribute {
  /** The attribute of `pkgs`, e.g. `hello`. */
  readonly name: string;
  /** Where the config names it, e.g. `['nixpkgs', 'packages', 1]`. */
  readonly tomlPath: readonly (string | number)[];
  /** Looked up inside `with pkgs;`, where let-bound names and Nix's own globals win. */
  readonly withPkgs?: boolean;
  /** The message when nixpkgs lacks it; by default `no package "x" in nixpkgs <release>; did you mean y?`. */
  readonly missing?: (nixpkgs: { readonly names: readonly string[]; readonly release: string }) => { message: string; hint?: string };
}

export class FlakeBuilderError extends Error {}

export class FlakeBuilder implements PublicFlakeBuilder {
  readonly #inputs = new Map<string, FlakeInput>();
  readonly #lets = new Map<string, NixExpr>();
  readonly #packages = new Map<string, NixExpr>();
  /** In registration order (plugins apply in a fixed order); de-duplicated. */
  readonly #rootfsLinks = new Map<string, RootfsLink>();
  readonly #overlays: OverlayEntry[] = [];
  readonly #devShellInputs = new Map<string, NixExpr>();
  readonly #devShellEnv = new Map<string, string | NixExpr>();
  readonly #outputs = new Map<string, NixExpr>();
  readonly #files = new Map<string, string>();
  readonly #trees = new Set<string>();
  readonly #environments: FlakeEnvironment[] = [];
  readonly #nixpkgsAttributes: NixpkgsAttribute[] = [];
  /** Config for `import nixpkgs { config = …; }`: allowUnfree, permittedInsecurePackages, … */
  readonly nixpkgsConfig = new Map<string, NixExpr>();

  constructor(readonly description = 'anysnake2 environment') {}

  addInput(name: string, input: FlakeInput): void {
    if (!isIdentifier(name)) throw new FlakeBuilderError(`flake input name ${JSON.stringify(name)} is not a valid Nix identifier`);
    const existing = this.#inputs.get(name);
    if (existing && JSON.stringify(existing) !== JSON.stringify(input)) throw new FlakeBuilderError(`flake input '${name}' is added twice with different settings`);
    this.#inputs.set(name, input);
  }

  hasInput(name: string): boolean {
    return this.#inputs.has(name);
  }

  /** A binding in the per-system `let` block (in scope for packages, overlays and outputs). */
  let(name: string, value: NixExpr): void {
    if (!isIdentifier(name)) throw new FlakeBuilderError(`let binding name ${JSON.stringify(name)} is not a valid Nix identifier`);
    if (RESERVED_LETS.has(name)) throw new FlakeBuilderError(`let binding '${name}' is reserved by the core`);
    if (this.#lets.has(name)) throw new FlakeBuilderError(`let binding '${name}' is defined twice`);
    this.#lets.set(name, value);
  }

  /** A package linked into the rootfs. Evaluated inside `with pkgs;`; de-duplicated by its printed text. */
  addPackage(expr: NixExpr): void {
    this.#packages.set(printNix(expr), expr);
  }

  linkIntoRootfs(link: RootfsLink): void {
    for (const path of [link.from, link.to, link.when ?? link.from])
      if (!/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/.test(path) || path.split('/').some((part) => part === '..' || part === '.'))
        throw new FlakeBuilderError(`rootfs link path ${JSON.stringify(path)} must be a plain relative path (letters, digits, ._-/ and no ..)`);
    this.#rootfsLinks.set(JSON.stringify([link.from, link.to, link.when ?? link.from, Boolean(link.always)]), link);
  }

  addOverlay(expr: NixExpr, opts: { order?: number; owner: string }): void {
    this.#overlays.push({ expr, order: opts.order ?? 0, owner: opts.owner });
  }

  /** A devShell `nativeBuildInputs` entry (evaluated inside `with pkgs;`). */
  addDevShellInput(expr: NixExpr): void {
    this.#devShellInputs.set(printNix(expr), expr);
  }

  /** An environment variable exported in `anysnake2 develop` (host paths, e.g. editable checkouts; or a Nix string such as a store path). */
  setDevShellEnv(name: string, value: string | NixExpr): void {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new FlakeBuilderError(`devShell variable name ${JSON.stringify(name)} is not a shell variable name`);
    this.#devShellEnv.set(name, value);
  }

  /** An extra per-system output, e.g. `packages.oci_image`; path relative to the per-system set. */
  addOutput(path: string, expr: NixExpr): void {
    if (this.#outputs.has(path)) throw new FlakeBuilderError(`output '${path}' is defined twice`);
    this.#outputs.set(path, expr);
  }

  /** An extra file written (and git-tracked) next to flake.nix, e.g. a lock file the flake reads. */
  addFile(relativePath: string, content: string): void {
    if (relativePath.startsWith('/') || relativePath.split('/').includes('..') || relativePath === 'flake.nix')
      throw new FlakeBuilderError(`extra file path '${relativePath}' must stay inside the flake directory`);
    this.#files.set(relativePath, content);
  }

  /**
   * A directory the plugin prepared inside the flake directory that the flake reads (e.g. a source
   * checkout a lock file points to): tracked as it is, so Nix sees it (the flake is `git+file:`).
   */
  addTree(relativePath: string): void {
    const path = relativePath.replace(/\/+$/, '');
    if (!path || path.startsWith('/') || path.split('/').some((part) => part === '..' || part === '.' || part === '.git'))
      throw new FlakeBuilderError(`tree path '${relativePath}' must name a directory inside the flake directory`);
    this.#trees.add(path);
  }

  /** The directories added with addTree, sorted. */
  get trees(): readonly string[] {
    return [...this.#trees].sort(byteOrder);
  }

  /** Record that a config key names this attribute of the configured nixpkgs (checked when Nix fails). */
  expectNixpkgsAttribute(attribute: NixpkgsAttribute): void {
    this.#nixpkgsAttributes.push(attribute);
  }

  get nixpkgsAttributes(): readonly NixpkgsAttribute[] {
    return this.#nixpkgsAttributes;
  }

  /** Names that `with pkgs;` cannot reach in the generated flake: the let block, the inputs, `system`. */
  get boundNames(): ReadonlySet<string> {
    return new Set([...RESERVED_LETS, ...this.#lets.keys(), ...this.#inputs.keys()]);
  }

  /** What decides the attribute names of `pkgs` besides nixpkgs itself: the overlays and config, as printed. */
  pkgsDefinition(): string {
    const overlays = [...this.#overlays]
      .map((o, index) => ({ ...o, index }))
      .sort((a, b) => a.order - b.order || byteOrder(a.owner, b.owner) || a.index - b.index)
      .map((o) => o.expr);
    return printNix(nix.list([nix.list(overlays), nix.attrs(Object.fromEntries(this.nixpkgsConfig))]));
  }

  registerEnvironment<K extends string>(env: FlakeEnvironment<K>): void {
    this.#environments.push(env as FlakeEnvironment);
  }

  /** The registered environments of one kind, their facts typed by `EnvironmentKinds`. */
  environmentsOf<K extends string>(kind: K): readonly FlakeEnvironment<K>[] {
    return this.#environments.filter((e) => e.kind === kind) as unknown as FlakeEnvironment<K>[];
  }

  get environments(): readonly FlakeEnvironment[] {
    return this.#environments;
  }

  get inputNames(): string[] {
    return [...this.#inputs.keys()].sort(byteOrder);
  }

  get files(): ReadonlyMap<string, string> {
    return this.#files;
  }

  /** The generated flake.nix text. */
  render(): string {
    return `${HEADER}${printNix(this.expression())}\n`;
  }

  /** The flake as a Nix expression (what `render()` prints). */
  expression(): NixExpr {
    const inputNames = this.inputNames;
    for (const required of ['nixpkgs', 'flake-utils']) if (!this.#inputs.has(required)) throw new FlakeBuilderError(`the flake needs an input named '${required}'`);

    const inputs = nix.attrs(Object.fromEntries(inputNames.map((name) => [name, renderInput(this.#inputs.get(name)!)])));

    const overlays = [...this.#overlays]
      .map((o, index) => ({ ...o, index }))
      .sort((a, b) => a.order - b.order || byteOrder(a.owner, b.owner) || a.index - b.index)
      .map((o) => o.expr);

    const sortedValues = (m: Map<string, NixExpr>) => [...m.keys()].sort(byteOrder).map((k) => m.get(k)!);
    const pkgs = nix.id('pkgs');

    const lets: NixBinding[] = [
      nix.bind('overlays', nix.list(overlays)),
      nix.bind(
        'pkgs',
        nix.apply(nix.id('import'), nix.id('nixpkgs'), nix.attrsOf([nix.inherit(['system', 'overlays']), nix.bind('config', nix.attrs(Object.fromEntries(this.nixpkgsConfig)))])),
      ),
      nix.bind('helpers', nix.apply(nix.id('import'), nix.path('./functions.nix'), nix.attrsOf([nix.inherit(['pkgs'])]))),
      ...[...this.#lets.keys()].sort(byteOrder).map((k) => nix.bind(k, this.#lets.get(k)!)),
      nix.bind('rootfsPackages', nix.with(pkgs, nix.list(sortedValues(this.#packages)))),
      nix.bind(
        'rootfs',
        nix.apply(
          nix.select(nix.id('helpers'), ['rootfs']),
          nix.attrs({
            name: nix.str('anysnake2_container'),
            packages: nix.id('rootfsPackages'),
            // Only when a plugin asked, so a flake without them reads as before.
            ...(this.#rootfsLinks.size
              ? {
                  links: nix.list(
                    [...this.#rootfsLinks.values()].map((l) =>
                      nix.attrs({ from: nix.str(l.from), to: nix.str(l.to), when: nix.str(l.when ?? l.from), always: nix.bool(Boolean(l.always)) }),
                    ),
                  ),
                }
              : {}),
          }),
        ),
      ),
    ];

    const outputs = new Map<string, NixExpr>([
      ['packages.default', nix.id('rootfs')],
      // The configured nixpkgs (overlays, config) for `nix shell .#legacyPackages.<system>.x`.
      ['legacyPackages', pkgs],
      [
        'packages.flake_inputs_for_gc_root',
        nix.apply(nix.select(nix.id('helpers'), ['flakeInputsGcRoot']), nix.attrs(Object.fromEntries(inputNames.map((n) => [n, nix.select(nix.id('inputs'), [n])])))),
      ],
      [
        'devShells.default',
        nix.apply(
          nix.select(nix.id('helpers'), ['devShell']),
          nix.attrsOf([
            nix.inherit(['rootfs']),
            nix.bind('inputs', nix.with(pkgs, nix.list(sortedValues(this.#devShellInputs)))),
            nix.bind('env', nix.attrs(Object.fromEntries([...this.#devShellEnv].map(([k, v]) => [k, typeof v === 'string' ? nix.str(v) : v])))),
          ]),
        ),
      ],
    ]);
    for (const [path, expr] of this.#outputs) {
      if (outputs.has(path)) throw new FlakeBuilderError(`output '${path}' is reserved by the core`);
      outputs.set(path, expr);
    }

    const perSystem = nix.let(lets, nix.attrsOf([...outputs.keys()].sort(byteOrder).map((path) => nix.bind(path.split('.'), outputs.get(path)!))));

    const flake = nix.attrsOf([
      nix.bind('description', nix.str(this.description)),
      nix.bind('inputs', inputs),
      nix.bind(
        'outputs',
        nix.lambda(
          nix.formals(['self', ...inputNames], { ellipsis: true, bind: 'inputs' }),
          nix.apply(nix.select(nix.id('flake-utils'), ['lib', 'eachDefaultSystem']), nix.lambda('system', perSystem)),
        ),
      ),
    ]);
    return flake;
  }
}

const HEADER = '# Generated by anysnake2 from anysnake2.toml. Do not edit: changes are overwritten.\n';

/** Names the core itself binds in the per-system let block. */
const RESERVED_LETS = new Set(['overlays', 'pkgs', 'helpers', 'rootfsPackages', 'rootfs', 'system', 'self', 'inputs']);

function renderInput(input: FlakeInput): NixExpr {
  // A local path Nix cannot read from a `path:` URL (a space is no valid URL, a `%` is not decoded)
  // goes in as attributes, which take the path as it is.
  const localPath = /^path:(\/[^?#]*)$/.exec(input.url)?.[1];
  const bindings: NixBinding[] =
    localPath !== undefined && !isNixPlainPath(localPath) ? [nix.bind('type', nix.str('path')), nix.bind('path', nix.str(localPath))] : [nix.bind('url', nix.str(input.url))];
  if (input.flake === false) bindings.push(nix.bind('flake', nix.bool(false)));
  for (const name of Object.keys(input.follows ?? {}).sort(byteOrder)) bindings.push(nix.bind(['inputs', name, 'follows'], nix.str(input.follows![name]!)));
  return nix.attrsOf(bindings);
}
