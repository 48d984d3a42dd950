/**
 * Items as the application sees them: plain attribute maps with a string `Id` partition key.
 * Values are JSON-like so the same item can live in the in-memory model, in a trace, and (marshalled)
 * in a real DynamoDB table.
 */
import { IDEMPOTENCY_PREFIX } from '../trace/item.js';

// The recorded shape of an item, its canonical forms and value equality live in trace/ (renderers
// and checks read them without importing the application); the application's code keeps importing them from here.
export { canonicalItem, canonicalJson, IDEMPOTENCY_PREFIX, isIdempotencyRecordId, ownValue, sameValue, type AttributeValue, type Item } from '../trace/item.js';

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
