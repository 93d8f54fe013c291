/**
 * The canonical order of anysnake2.toml's sections is what the registered sections declare
 * (SectionDefinition.order): the formatter (toml-format.ts) knows no section by name.
 */

/** The place of a top-level key (smaller first); nested tables get their parent's score plus their depth. */
export type SectionOrder = (topLevelKey: string) => number;

/** A key no section declares a place for: after every ordered one, in the file's order. */
export const UNLISTED_SCORE = 10_000_000;
