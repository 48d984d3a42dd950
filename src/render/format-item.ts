import { isIdempotencyRecordId, type AttributeValue, type Item } from '../app/item.js';

/** Compact one-line form of a value: `{status: shipped, qty: 2}`. */
export function formatValue(v: AttributeValue | undefined): string {
  if (v === undefined) return '–';
  if (v === null) return 'null';
  if (Array.isArray(v)) return `[${v.map(formatValue).join(', ')}]`;
  if (typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${k}: ${formatValue(x)}`).join(', ')}}`;
  if (typeof v === 'string') return /^[\w.@:/#+-]+$/.test(v) ? v : JSON.stringify(v);
  return String(v);
}

/** Client clock as time of day (the model's client clocks start at midnight UTC). */
export function formatClock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 23);
}

/**
 * One-line summary of an item: the seed schema's attributes first (Data, Version, who wrote it
 * when), then any others. Idempotency records are shown by their key.
 */
export function formatItem(item: Item | null | undefined): string {
  if (!item) return '(absent)';
  if (isIdempotencyRecordId(item.Id)) return `record ${formatValue(item.IdempotencyKey)} by ${formatValue(item.Region)}`;
  const parts: string[] = [];
  const rest: string[] = [];
  for (const [k, v] of Object.entries(item)) {
    if (k === 'Id' || k === 'IdempotencyKey') continue;
    if (k === 'Data') parts.unshift(formatValue(v));
    else if (k === 'Version') parts.push(`v${formatValue(v)}`);
    else if (k === 'Timestamp' && typeof v === 'number') parts.push(`ts ${formatClock(v)}`);
    else if (k === 'LastUpdatedRegion') parts.push(`by ${formatValue(v)}`);
    else rest.push(`${k}=${formatValue(v)}`);
  }
  return [...parts, ...rest].join(' ') || '{}';
}
