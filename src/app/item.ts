/**
 * Items as the application sees them: plain attribute maps with a string `Id` partition key.
 * Values are JSON-like so the same item can live in the in-memory model, in a trace, and (marshalled)
 * in a real DynamoDB table.
 */
import { IDEMPOTENCY_PREFIX, type AttributeValue } from '../trace/item.js';

// The recorded shape of an item and its canonical forms live in trace/ (renderers and checks read
// them without importing the application); the application's code keeps importing them from here.
export { canonicalItem, canonicalJson, IDEMPOTENCY_PREFIX, isIdempotencyRecordId, type AttributeValue, type Item } from '../trace/item.js';

/** The seed's table schema (DESIGN §1, "The application patterns"). */
export const Attr = {
  Id: 'Id',
  Data: 'Data',
  Version: 'Version',
  LastUpdatedRegion: 'LastUpdatedRegion',
  Timestamp: 'Timestamp',
  IdempotencyKey: 'IdempotencyKey',
  ExpiresAt: 'ExpiresAt',
} as const;

export function idempotencyRecordId(key: string): string {
  return IDEMPOTENCY_PREFIX + key;
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
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  }
  const ao = a as Record<string, AttributeValue>;
  const bo = b as Record<string, AttributeValue>;
  const ak = Object.keys(ao);
  if (ak.length !== Object.keys(bo).length) return false;
  return ak.every((k) => Object.hasOwn(bo, k) && sameValue(ao[k], bo[k]));
}
