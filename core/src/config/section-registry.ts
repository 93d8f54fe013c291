/**
 * Which plugin owns which config section. Plugins register their sections (with schema) while
 * they are applied; the core validates the whole file against this registry afterwards.
 */
import { Kind, Type, type TSchema } from '../vendor/typebox.js';
import { UNLISTED_SCORE } from './section-order.js';
import type { EntryExtension, IssueReporter, Rename, RetiredSection, SectionDefinition, SectionRegistry } from '../plugin-api.js';

export interface OwnedSection extends SectionDefinition {
  readonly owner: string;
}

export class SectionRegistryImpl {
  readonly sections = new Map<string, OwnedSection>();
  readonly renames: (Rename & { owner: string })[] = [];
  readonly retired = new Map<string, RetiredSection & { owner: string }>();

  /** The registry view handed to one plugin: everything it registers is recorded as its own. */
  forPlugin(owner: string): SectionRegistry {
    return {
      register: <S extends TSchema>(definition: SectionDefinition<S>) => {
        const existing = this.sections.get(definition.name);
        if (existing) throw new Error(`config section [${definition.name}] is registered by both '${existing.owner}' and '${owner}'`);
        this.sections.set(definition.name, { ...(definition as unknown as SectionDefinition), owner });
      },
      rename: (rename) => void this.renames.push({ ...rename, owner }),
      retire: (section) => void this.retired.set(section.name, { ...section, owner }),
      extendEntries: <S extends TSchema>(extension: EntryExtension<S>) => this.extendEntries(owner, extension as unknown as EntryExtension),
    };
  }

  /** The canonical place of a top-level key, as its section (or retired section) declares it (toml-format.ts). */
  orderOf(topLevelKey: string): number {
    return this.sections.get(topLevelKey)?.order ?? this.retired.get(topLevelKey)?.order ?? UNLISTED_SCORE;
  }

  /**
   * A plugin's key inside every entry of another section's table of tables (`[cmd.<name>.cluster]`):
   * the section's schema gains the optional key (so validation, defaults and the published JSON
   * Schema cover it) and its check runs the extension's check on each entry that sets it.
   */
  private extendEntries(owner: string, extension: EntryExtension): void {
    const section = this.sections.get(extension.section);
    const entry = section?.schema[Kind] === 'Record' ? (Object.values(section.schema.patternProperties as Record<string, TSchema>)[0] ?? undefined) : undefined;
    if (!section || !entry || entry[Kind] !== 'Object')
      throw new Error(`'${owner}' extends [${extension.section}.<name>], but no table of tables [${extension.section}] is registered`);
    const properties = entry.properties as Record<string, TSchema>;
    if (properties[extension.key]) throw new Error(`[${extension.section}.<name>.${extension.key}] is registered twice (by '${owner}')`);
    const { properties: _p, required: _r, type: _t, [Kind]: _k, ...entryOptions } = entry;
    const { patternProperties: _pp, type: _rt, [Kind]: _rk, ...recordOptions } = section.schema;
    const schema = Type.Record(Type.String(), Type.Object({ ...properties, [extension.key]: Type.Optional(extension.schema) }, entryOptions), recordOptions);
    const previous = section.check;
    const check: SectionDefinition['check'] = (value, report, other) => {
      previous?.(value, report, other);
      if (!extension.check) return;
      for (const [name, item] of Object.entries(value as Record<string, Record<string, unknown>>)) {
        if (item?.[extension.key] === undefined) continue;
        const inner = (path: readonly (string | number)[]) => [name, extension.key, ...path];
        const scoped: IssueReporter = {
          error: (path, message, hint) => report.error(inner(path), message, hint),
          warn: (path, message) => report.warn(inner(path), message),
        };
        extension.check(item[extension.key] as never, scoped, other);
      }
    };
    this.sections.set(section.name, { ...section, schema, check });
  }
}
