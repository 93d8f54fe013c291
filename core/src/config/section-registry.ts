/**
 * Which plugin owns which config section. Plugins register their sections (with schema) while
 * they are applied; the core validates the whole file against this registry afterwards.
 */
import type { Rename, RetiredSection, SectionDefinition, SectionRegistry } from '../plugin-api.js';
import type { TSchema } from '@sinclair/typebox';

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
        if (existing)
          throw new Error(`config section [${definition.name}] is registered by both '${existing.owner}' and '${owner}'`);
        this.sections.set(definition.name, { ...(definition as unknown as SectionDefinition), owner });
      },
      rename: (rename) => void this.renames.push({ ...rename, owner }),
      retire: (section) => void this.retired.set(section.name, { ...section, owner }),
    };
  }
}
