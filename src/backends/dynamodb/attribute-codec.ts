import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import type { AttributeValue, Item } from '../../app/item.js';
import { fromPlain, fromPlainItem, toPlainItem, type PlainValue } from '../../dynamodb/plain.js';
import type { AttributeMap } from '../../dynamodb/values.js';

/**
 * Conversion between the application's JSON-like items and the SDK's typed attribute values,
 * through the same plain codec the model uses (src/dynamodb/plain.ts: lists stay lists, `null` is
 * NULL, sets and binary are tagged `$SS`, `$B`…), so an item reads the same on every backend. The
 * SDK differs from the JSON protocol only in binary: bytes instead of base64.
 */
export function marshallItem(item: Item): Record<string, SdkAttributeValue> {
  return sdkValue(fromPlainItem(item as Record<string, PlainValue>)) as Record<string, SdkAttributeValue>;
}

export function marshallValue(value: AttributeValue): SdkAttributeValue {
  return sdkValue(fromPlain(value as PlainValue)) as SdkAttributeValue;
}

/** JSON-protocol values (binary as base64) as the SDK takes them (bytes). */
export function sdkValue(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sdkValue);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 1) {
    const [k, v] = entries[0]!;
    if (k === 'B' && typeof v === 'string') return { B: Buffer.from(v, 'base64') };
    if (k === 'BS' && Array.isArray(v) && v.every((b) => typeof b === 'string')) return { BS: v.map((b) => Buffer.from(b as string, 'base64')) };
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, sdkValue(v)]));
}

/** SDK values in the JSON protocol's shapes (binary as base64). */
export function wireValue(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (Array.isArray(value)) return value.map(wireValue);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, wireValue(v)]));
}

/** The attributes the 2017.11.29 global tables kept on every item (aws-semantics §1.7). */
export const REPLICATION_ATTRIBUTE_PREFIX = 'aws:rep:';
export const REP_UPDATE_TIME = 'aws:rep:updatetime';
export const REP_UPDATE_REGION = 'aws:rep:updateregion';

/** Hidden service attributes are left out of everything the application and assertions see. */
export function stripHidden(item: Item): Item {
  const out = Object.create(null) as Record<string, AttributeValue>; // any attribute name is an own key
  for (const [name, value] of Object.entries(item)) {
    if (!name.startsWith(REPLICATION_ATTRIBUTE_PREFIX)) out[name] = value;
  }
  return out as Item;
}

/** An item as read from the table (or a stream image), with hidden attributes kept. */
export function unmarshallRaw(raw: Record<string, SdkAttributeValue> | undefined): Item | undefined {
  if (raw === undefined || Object.keys(raw).length === 0) return undefined;
  return toPlainItem(wireValue(raw) as AttributeMap) as unknown as Item;
}

/** An item as the application sees it. */
export function unmarshallItem(raw: Record<string, SdkAttributeValue> | undefined): Item | undefined {
  const item = unmarshallRaw(raw);
  return item === undefined ? undefined : stripHidden(item);
}
