/**
 * One `[python.packages]` entry turned into what uv needs (behaviour reference §2.6): a PEP 508
 * requirement, where it comes from (an index, a VCS repository, a plain URL), and whether it is
 * exempt from the ecosystem date. Pure: no I/O, so the grammar is unit-testable.
 */

export type PackageSource =
  | { kind: 'index' }
  /** `pypi` / `pypi:` before trust on first use has filled in the newest version. */
  | { kind: 'pypi-newest' }
  | { kind: 'vcs'; url: string }
  | { kind: 'url'; url: string };

export interface PythonPackage {
  /** The name as written in the TOML (the key). */
  readonly name: string;
  /** PEP 503-normalised name: what uv.lock and the Nix package set call it. */
  readonly normalized: string;
  readonly source: PackageSource;
  /** The version specifier for index packages (`>=2`, `==1.5.1`), empty for "any". */
  readonly specifier: string;
  /** `pypi:X`: exactly X, exempt from the ecosystem date. */
  readonly exempt: boolean;
  /** Folder (relative to the project) the editable checkout lives in; undefined when not editable. */
  readonly editableFolder?: string;
  readonly buildSystems: readonly string[];
  readonly overrideAttrs: Readonly<Record<string, string>>;
  readonly patchBeforeLock?: string;
}

export interface PackageTable {
  version?: string;
  url?: string;
  editable?: boolean | string;
  build_systems?: string[];
  override_attrs?: Record<string, string>;
  patch_before_lock?: string;
}

export type PackageEntry = string | PackageTable;

export const VCS_PREFIXES = ['github:', 'git+https', 'git+ssh', 'git+file', 'git+http', 'hg+https:'];

export class RequirementError extends Error {
  constructor(
    message: string,
    readonly hint: string,
    /** Key inside the entry the problem is at (`version`), empty for the entry itself. */
    readonly key: readonly string[] = [],
  ) {
    super(message);
  }
}

/** PEP 503 name normalisation. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

const NAME = /^([A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])$/;
const CLAUSE = /^(~=|===|==|!=|<=|>=|<|>)\s*([A-Za-z0-9][A-Za-z0-9.+!_-]*(\.\*)?)$/;
const PLAIN_VERSION = /^[0-9][A-Za-z0-9.+!_-]*$/;

/**
 * The version grammar of 2.x, with its `~=` defect fixed: `""` any, `1.5.1` exact, clauses with an
 * operator verbatim, `=1.2` → `==1.2`. Returns the PEP 440 specifier set (no spaces).
 */
export function parseConstraint(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return '';
  if (PLAIN_VERSION.test(trimmed)) return `==${trimmed}`;
  const clauses = trimmed.split(',').map((c) => c.trim());
  const out: string[] = [];
  for (const raw of clauses) {
    // 2.x: a lone `=` means `==`.
    const clause = /^=[^=]/.test(raw) ? `=${raw}` : raw;
    const match = CLAUSE.exec(clause);
    if (!match || (match[3] && !['==', '!='].includes(match[1]!)))
      throw new RequirementError(
        `${JSON.stringify(text)} is not a version constraint`,
        'write a PEP 440 specifier such as ">=2", "==1.5.1", "~=1.4", ">=1,<2", or "pypi:1.2.3"; "" means any version',
      );
    out.push(`${match[1]}${match[2]}`);
  }
  return out.join(',');
}

export function isVcsUrl(text: string): boolean {
  return VCS_PREFIXES.some((p) => text.startsWith(p));
}

/** Parse one entry; throws RequirementError with a hint. */
export function parsePackage(name: string, entry: PackageEntry): PythonPackage {
  if (!NAME.test(name)) throw new RequirementError(`${JSON.stringify(name)} is not a valid Python package name`, 'use the name as published on PyPI (letters, digits, . _ -)');
  const table: PackageTable = typeof entry === 'string' ? stringForm(entry) : entry;
  let source: PackageSource = { kind: 'index' };
  let specifier = '';
  let exempt = false;
  if (table.url !== undefined) {
    source = isVcsUrl(table.url) ? { kind: 'vcs', url: table.url } : plainUrl(table.url);
  } else if (table.version !== undefined) {
    const version = table.version.trim();
    if (version === 'pypi' || version === 'pypi:') source = { kind: 'pypi-newest' };
    else if (version.startsWith('pypi:')) {
      const exact = version.slice('pypi:'.length).trim();
      if (!PLAIN_VERSION.test(exact))
        throw new RequirementError(`"pypi:${exact}" does not name one version`, 'write pypi:X.Y.Z with a released version, or "pypi" for the newest', ['version']);
      specifier = `==${exact}`;
      exempt = true;
    } else {
      try {
        specifier = parseConstraint(version);
      } catch (error) {
        if (error instanceof RequirementError) throw new RequirementError(error.message, error.hint, typeof entry === 'string' ? [] : ['version']);
        throw error;
      }
    }
  }
  const editable = table.editable;
  return {
    name,
    normalized: normalizeName(name),
    source,
    specifier,
    exempt,
    editableFolder: editable === true ? 'code' : typeof editable === 'string' && editable !== '' ? editable : undefined,
    buildSystems: table.build_systems ?? [],
    overrideAttrs: table.override_attrs ?? {},
    patchBeforeLock: table.patch_before_lock,
  };
}

/** The string form: a URL when it has a scheme, a version constraint otherwise (§2.6). */
function stringForm(text: string): PackageTable {
  const trimmed = text.trim();
  if (trimmed.includes(':') && !trimmed.startsWith('pypi')) return { url: trimmed };
  return { version: trimmed };
}

function plainUrl(url: string): PackageSource {
  if (!/^(https?|file):\/\/\S+$/.test(url))
    throw new RequirementError(
      `${JSON.stringify(url)} is neither a VCS source nor a download URL`,
      'use github:owner/repo, git+https://…, hg+https://…, or an https:// URL of an sdist or wheel',
      ['url'],
    );
  return { kind: 'url', url };
}

/** The PEP 508 line uv gets for this package (sources are given separately in [tool.uv.sources]). */
export function pep508(pkg: PythonPackage): string {
  return `${pkg.name}${pkg.source.kind === 'index' ? pkg.specifier : ''}`;
}
