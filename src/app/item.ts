/**
 * Items as the application sees them: plain attribute maps with a string `Id` partition key.
 * Values are JSON-like so the same item can live in the in-memory model, in a trace, and (marshalled)
 * in a real DynamoDB table.
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

/** Partition key prefix of idempotency records, which share the table with the data items. */
export const IDEMPOTENCY_PREFIX = 'IDEMPOTENCY#';

export function idempotencyRecordId(key: string): string {
  return IDEMPOTENCY_PREFIX + key;
}

export function isIdempotencyRecordId(id: string): boolean {
  return id.startsWith(IDEMPOTENCY_PREFIX);
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
  return ak.every((k) => k in bo && sameValue(ao[k], bo[k]));
}
