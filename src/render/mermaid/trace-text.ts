import { canonicalValue, isIdempotencyRecordId, type AttributeValue, type Item } from '../../trace/item.js';
import { formatValue } from '../format-item.js';
import type { VersionStamp } from '../../trace/events.js';
import { formatTime } from '../format-time.js';

/** How trace values read inside diagram labels: virtual times, version stamps, items. */

/** The views' one time format (src/render/format-time.ts): `250ms`, `1.5s`, `8m22.345s`. */
export function ms(t: number): string {
  return formatTime(t);
}

export function stamp(v: VersionStamp): string {
  return `${ms(v.ts)}@${v.region}`;
}

/**
 * A short, stable summary of an item for a label: its Version, then the attributes of its `Data`
 * map (or of the item itself when it has none), cut at 48 characters.
 */
export function summarise(item: Item): string {
  const parts: string[] = [];
  // The id already says what it is; its attributes add nothing a reader needs. (A projected
  // item, read in DynamoDB syntax, may have no Id.)
  if (typeof item.Id === 'string' && isIdempotencyRecordId(item.Id)) return '';
  if (item.Version !== undefined) parts.push(`v${valueText(item.Version)}`);
  const data = item.Data;
  const source: Record<string, AttributeValue> =
    data !== null && typeof data === 'object' && !Array.isArray(data) ? data : withoutKeys(item, ['Id', 'Version', 'Timestamp', 'LastUpdatedRegion', 'IdempotencyKey']);
  for (const k of Object.keys(source).sort()) parts.push(`${k}=${valueText(source[k] ?? null)}`);
  if (typeof item.LastUpdatedRegion === 'string') parts.push(`by ${item.LastUpdatedRegion}`);
  const text = parts.join(' ');
  return text.length > 48 ? `${text.slice(0, 47)}…` : text;
}

/** What a replica holds, for a note: the summary, or what kind of item it is. */
export function stateOf(item: Item | null): string {
  if (!item) return 'no item';
  return summarise(item) || (typeof item.Id === 'string' && isIdempotencyRecordId(item.Id) ? 'the idempotency record' : 'the item');
}

function withoutKeys(item: Item, keys: string[]): Record<string, AttributeValue> {
  const out: Record<string, AttributeValue> = {};
  for (const [k, v] of Object.entries(item)) if (!keys.includes(k)) out[k] = v;
  return out;
}

export function valueText(v: AttributeValue): string {
  // as the text view writes values, keys sorted (a client's payload keeps the order it was sent in)
  return typeof v === 'string' ? v : formatValue(canonicalValue(v));
}
