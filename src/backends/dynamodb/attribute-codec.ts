import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import { convertToAttr, marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, Item } from '../../app/item.js';

/**
 * Conversion between the application's JSON-like items and DynamoDB's typed attribute values,
 * through AWS's own `@aws-sdk/util-dynamodb` (the codec `@aws-sdk/lib-dynamodb` is built on).
 * Lists stay lists (never sets) and `null` is the NULL type, so a round trip is lossless.
 */
const MARSHALL = { removeUndefinedValues: true, convertEmptyValues: false } as const;

export function marshallItem(item: Item): Record<string, SdkAttributeValue> {
  return marshall(item, MARSHALL) as Record<string, SdkAttributeValue>;
}

export function marshallValue(value: AttributeValue): SdkAttributeValue {
  return convertToAttr(value, MARSHALL) as SdkAttributeValue;
}

/** The attributes the 2017.11.29 global tables kept on every item (aws-semantics §1.7). */
export const REPLICATION_ATTRIBUTE_PREFIX = 'aws:rep:';
export const REP_UPDATE_TIME = 'aws:rep:updatetime';
export const REP_UPDATE_REGION = 'aws:rep:updateregion';

/** Hidden service attributes are left out of everything the application and assertions see. */
export function stripHidden(item: Item): Item {
  const out: Record<string, AttributeValue> = {};
  for (const [name, value] of Object.entries(item)) {
    if (!name.startsWith(REPLICATION_ATTRIBUTE_PREFIX)) out[name] = value;
  }
  return out as Item;
}

/** An item as read from the table (or a stream image), with hidden attributes kept. */
export function unmarshallRaw(raw: Record<string, SdkAttributeValue> | undefined): Item | undefined {
  if (raw === undefined || Object.keys(raw).length === 0) return undefined;
  return unmarshall(raw as Parameters<typeof unmarshall>[0]) as Item;
}

/** An item as the application sees it. */
export function unmarshallItem(raw: Record<string, SdkAttributeValue> | undefined): Item | undefined {
  const item = unmarshallRaw(raw);
  return item === undefined ? undefined : stripHidden(item);
}
