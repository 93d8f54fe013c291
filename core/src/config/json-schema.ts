/**
 * The JSON Schema of anysnake2.toml, assembled from the sections every installed plugin registers
 * (their TypeBox schemas are JSON Schema already), for editors (taplo / Even Better TOML) and CI.
 */
import type { TSchema } from '@sinclair/typebox';
import type { SectionRegistryImpl } from './section-registry.js';

/** Our own schema options that are no JSON Schema keywords. */
const PRIVATE_KEYWORDS = new Set(['errorMessage', 'keyHints']);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Plain JSON (TypeBox's symbols dropped), without our private keywords; defaults make keys optional. */
function plain(schema: TSchema): Json {
  const walk = (node: Json): Json => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    const out: { [key: string]: Json } = {};
    for (const [key, value] of Object.entries(node)) if (!PRIVATE_KEYWORDS.has(key)) out[key] = walk(value);
    const properties = out.properties as { [key: string]: { default?: Json } } | undefined;
    if (Array.isArray(out.required) && properties) {
      out.required = (out.required as string[]).filter((k) => properties[k]?.default === undefined);
      if ((out.required as string[]).length === 0) delete out.required;
    }
    return out;
  };
  return walk(JSON.parse(JSON.stringify(schema)) as Json);
}

export function configJsonSchema(registry: SectionRegistryImpl, version: string): Json {
  const properties: { [key: string]: Json } = {};
  for (const name of [...registry.sections.keys()].sort()) {
    const section = registry.sections.get(name)!;
    const schema = plain(section.schema) as { [key: string]: Json };
    properties[name] = { ...schema, description: `${section.description} (plugin: ${section.owner})` };
  }
  for (const rename of registry.renames) {
    const [section, ...rest] = rename.from.split('.');
    if (rest.length === 0 && !(section! in properties))
      properties[section!] = { ...(properties[rename.to] as object), deprecated: true, description: `Old spelling of [${rename.to}]; still accepted` };
  }
  for (const [name, retired] of registry.retired)
    if (!(name in properties)) properties[name] = { type: 'object', deprecated: true, description: `Has no effect: ${retired.reason}` };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'anysnake2.toml',
    description: `anysnake2 ${version}: sections of the installed plugins`,
    type: 'object',
    properties,
    // A section no installed plugin owns is an error in anysnake2 as well.
    additionalProperties: false,
  };
}
