import type { z } from 'zod';
import type { DocPath } from './problems.js';

type AnySchema = z.core.$ZodType;
type Def = { type: string; [k: string]: unknown };

const defOf = (schema: AnySchema): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Strips wrappers that do not change an object's keys (optional, default, lazy, pipe...). */
function unwrap(schema: AnySchema): AnySchema {
  for (let i = 0; i < 20; i++) {
    const def = defOf(schema);
    if (def.type === 'lazy') schema = (def.getter as () => AnySchema)();
    else if ('innerType' in def) schema = def.innerType as AnySchema;
    else if (def.type === 'pipe') schema = def.in as AnySchema;
    else return schema;
  }
  return schema;
}

/** The object alternatives a schema stands for (one object, or each object of a union). */
function objects(schema: AnySchema): Array<Record<string, AnySchema>> {
  const s = unwrap(schema);
  const def = defOf(s);
  if (def.type === 'object') return [def.shape as Record<string, AnySchema>];
  if (def.type === 'union') return (def.options as AnySchema[]).flatMap(objects);
  return [];
}

/**
 * The keys the schema allows for the mapping at `path` in a document, read from the schema itself
 * so error hints can never drift from what the loader accepts. Undefined when `path` does not lead
 * to a mapping with fixed keys.
 */
export function allowedKeysAt(root: AnySchema, path: DocPath): string[] | undefined {
  const candidates = schemasAt(root, path);
  if (candidates.length === 0) return undefined;
  const keys = new Set(candidates.flatMap(objects).flatMap((shape) => Object.keys(shape)));
  // A record keyed by an enum (e.g. counts) allows exactly the enum's values.
  for (const candidate of candidates) {
    const def = defOf(unwrap(candidate));
    if (def.type === 'record') {
      const keyDef = defOf(unwrap(def.keyType as AnySchema));
      if (keyDef.type === 'enum') for (const k of Object.values(keyDef.entries as Record<string, string>)) keys.add(k);
    }
  }
  return keys.size > 0 ? [...keys] : undefined;
}

/**
 * True when the mapping at `path` takes keys of its own besides the named ones (a loose object,
 * such as a put's item): there a key the schema does not name is data, not a misspelling.
 */
export function isOpenMappingAt(root: AnySchema, path: DocPath): boolean {
  return schemasAt(root, path).some((candidate) => {
    const def = defOf(unwrap(candidate));
    return def.type === 'object' && def.catchall !== undefined && defOf(def.catchall as AnySchema).type !== 'never';
  });
}

/** True when a schema that may describe the value at `path` accepts `value` (what kind of value a key takes). */
export function acceptsAt(root: AnySchema, path: DocPath, value: unknown): boolean {
  return schemasAt(root, path).some((candidate) => (candidate as unknown as z.ZodType).safeParse(value).success);
}

/** The schemas that may describe the value at `path` (a union can offer several); empty when none does. */
function schemasAt(root: AnySchema, path: DocPath): AnySchema[] {
  let candidates: AnySchema[] = [root];
  for (const segment of path) {
    const next: AnySchema[] = [];
    for (const candidate of candidates) {
      const s = unwrap(candidate);
      const def = defOf(s);
      if (typeof segment === 'number' && def.type === 'array') next.push(def.element as AnySchema);
      else if (def.type === 'record') next.push(def.valueType as AnySchema);
      else for (const shape of objects(s)) if (String(segment) in shape) next.push(shape[String(segment)]!);
    }
    if (next.length === 0) return [];
    candidates = next;
  }
  return candidates;
}
