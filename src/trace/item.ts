/**
 * Items as a trace records them: plain attribute maps with a string `Id` partition key, the same
 * whether the model or a real table held them. Here, below every renderer and check, so those read
 * items without importing the application (app/item.ts re-exports these for its own code).
 */
export type AttributeValue =
  | string
  | number
  | boolean
  | null
  | AttributeValue[]
  | { [name: string]: AttributeValue };

export interface Item {
  Id: string;
  [attribute: string]: AttributeValue;
}

/**
 * The scenario's table (DESIGN §1, "The application patterns"): the report's `final` holds its items,
 * and a trace event names a `table` only when it is another one (a `geosim serve` session's).
 */
export const DEFAULT_TABLE_NAME = 'GlobalEventTable';

/** Partition key prefix of idempotency records, which share the table with the data items. */
export const IDEMPOTENCY_PREFIX = 'IDEMPOTENCY#';

/** Items of a table other than the scenario's (a `geosim serve` session's) may have no string `Id`. */
export function isIdempotencyRecordId(id: string | undefined): boolean {
  return typeof id === 'string' && id.startsWith(IDEMPOTENCY_PREFIX);
}

/**
 * The value a map keyed by user data holds under `key`, own properties only: `constructor`,
 * `toString` or `__proto__` read as absent unless the map has that key.
 */
export function ownValue<T>(map: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
  return map !== undefined && Object.hasOwn(map, key) ? map[key] : undefined;
}

/** Deep, key-order-insensitive equality of attribute values. */
export function sameValue(a: AttributeValue | undefined, b: AttributeValue | undefined): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  // loops, not every(): the checks compare every final item of every run
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameValue(a[i], b[i])) return false;
    return true;
  }
  const ao = a as Record<string, AttributeValue>;
  const bo = b as Record<string, AttributeValue>;
  const ak = Object.keys(ao);
  if (ak.length !== Object.keys(bo).length) return false;
  for (const k of ak) if (!Object.hasOwn(bo, k) || !sameValue(ao[k], bo[k])) return false;
  return true;
}

/**
 * A value's canonical JSON: map keys sorted by UTF-16 code units at every depth, so two backends
 * that return the same item with its attributes in another order give the same string. JSON keeps
 * the types apart (`1` and `"1"` differ). Any key is safe, `__proto__` included.
 */
export function canonicalJson(value: AttributeValue): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort(byCodeUnits);
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k]!)}`).join(',')}}`;
}

/**
 * The item with its attributes in geosim's canonical order: `Id` first, then the others sorted by
 * name (UTF-16 code units), nested maps sorted too. Output built from it is the same on every
 * backend. The copies have no prototype, so any attribute name is an own key.
 */
export function canonicalItem(item: Item): Item {
  const ordered = new PlainMap() as Item;
  // A projected item (a read or query in DynamoDB syntax) may have no Id: none is added.
  if (Object.hasOwn(item, 'Id')) ordered.Id = item.Id;
  // one copy, not a canonical copy and then a reordered one (every final item of every run comes here)
  for (const k of Object.keys(item).sort(byCodeUnits)) if (k !== 'Id') ordered[k] = canonicalValue(item[k]!);
  return ordered;
}

/** A value with its map keys sorted at every depth, as canonicalItem orders an item's attributes. */
export function canonicalValue(value: AttributeValue): AttributeValue {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(canonicalValue);
  const out = new PlainMap() as Record<string, AttributeValue>;
  for (const k of Object.keys(value).sort(byCodeUnits)) out[k] = canonicalValue(value[k]!);
  return out;
}

/**
 * Maps that inherit no names (any attribute name is an own key, as with `Object.create(null)`), made
 * by `new` so V8 keeps their properties fast: `Object.create(null)` objects are dictionaries from the
 * start (slower to fill and read, and every final item of every run is one). As dynamodb/value-ops.ts.
 */
const PlainMap = function PlainMap() {} as unknown as new () => object;
(PlainMap as unknown as { prototype: object }).prototype = Object.freeze(Object.create(null) as object);

/** An empty map that inherits no names, with fast properties (see PlainMap). */
export function plainMap<T>(): Record<string, T> {
  return new PlainMap() as Record<string, T>;
}

/** Order of strings by UTF-16 code units (what `<` compares), for sorts whose output is bytes. */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
