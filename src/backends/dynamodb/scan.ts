import { ScanCommand, type AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../app/item.js';
import { unmarshallItem } from './attribute-codec.js';
import type { RegionTable } from './emulated-replication.js';
import { mapAwsError } from './errors.js';
import { keyStringOf } from './item-keys.js';

/**
 * Every item of a region's table, hidden attributes left out, keyed and sorted by key string (the
 * `Id` of GlobalEventTable's items, `pk|sk` with a sort key), as the model's snapshot.
 */
export async function scanTable(table: RegionTable): Promise<Record<string, Item>> {
  const items: Array<readonly [string, Item]> = [];
  let start: Record<string, SdkAttributeValue> | undefined;
  try {
    do {
      const out = await table.client.send(
        new ScanCommand({ TableName: table.tableName, ConsistentRead: true, ...(start !== undefined ? { ExclusiveStartKey: start } : {}) }),
      );
      for (const raw of out.Items ?? []) {
        const item = unmarshallItem(raw);
        if (item !== undefined) items.push([keyStringOf(table, raw), item]);
      }
      start = out.LastEvaluatedKey;
    } while (start !== undefined);
  } catch (error) {
    throw mapAwsError(error, { operation: 'Scan', region: table.region, tableName: table.tableName, ...(table.endpoint ? { endpoint: table.endpoint } : {}) });
  }
  items.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const out = Object.create(null) as Record<string, Item>; // any key is an own key, `__proto__` included
  for (const [key, item] of items) out[key] = item;
  return out;
}
