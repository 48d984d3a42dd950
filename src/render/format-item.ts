import { canonicalItem, isIdempotencyRecordId, type AttributeValue, type Item } from '../trace/item.js';
import { escapeControlChars, quoteString } from './control-chars.js';

/** Compact one-line form of a value: `{status: shipped, qty: 2}`. Control characters come out escaped. */
export function formatValue(v: AttributeValue | undefined): string {
  if (v === undefined) return '–';
  if (typeof v === 'string' && v.length > LONG_STRING) return formatValue(v.slice(0, SHOWN_OF_LONG_STRING)) + `…(${v.length} chars)`;
  if (v === null) return 'null';
  if (Array.isArray(v)) return `[${v.map(formatValue).join(', ')}]`;
  if (typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `${escapeControlChars(k)}: ${formatValue(x)}`).join(', ')}}`;
  if (typeof v === 'string') return /^[\w.@:/#+-]+$/.test(v) ? v : quoteString(v);
  return String(v);
}

/**
 * Strings longer than this are shown by their start and length: a view line stays readable, and a
 * long trace of large items never has to be printed in full (a 350 KB attribute, 9,000 updates).
 */
export const LONG_STRING = 200;
const SHOWN_OF_LONG_STRING = 40;

/** Client clock as time of day (the model's client clocks start at midnight UTC). */
export function formatClock(ms: number): string {
  // Outside the range a Date holds (a Timestamp attribute a scenario wrote itself) it stays a number.
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? new Date(ms).toISOString().slice(11, 23) : String(ms);
}

/**
 * One-line summary of an item, most telling first so a narrow view cuts the least: the seed
 * schema's Data, Version and who wrote it, then any other attributes, the client timestamp last.
 * Idempotency records are shown by their key.
 */
export function formatItem(item: Item | null | undefined): string {
  if (!item) return '(absent)';
  // A projected item (a read or query in DynamoDB syntax) may have no Id.
  if (typeof item.Id === 'string' && isIdempotencyRecordId(item.Id)) return `record ${formatValue(item.IdempotencyKey)} by ${formatValue(item.Region)}`;
  // Fixed slots, so the order never depends on the order a backend returns attributes in.
  let data = '';
  let version = '';
  let by = '';
  let ts = '';
  const rest: string[] = [];
  // The canonical order (Id, then by name, nested maps too), as in `final`: the backend's order never shows.
  for (const [k, v] of Object.entries(canonicalItem(item))) {
    if (k === 'Id' || k === 'IdempotencyKey') continue;
    if (k === 'Data') data = formatValue(v);
    else if (k === 'Version') version = `v${formatValue(v)}`;
    else if (k === 'Timestamp' && typeof v === 'number') ts = `ts ${formatClock(v)}`;
    else if (k === 'LastUpdatedRegion') by = `by ${formatValue(v)}`;
    else rest.push(`${escapeControlChars(k)}=${formatValue(v)}`);
  }
  const line = [data, version, by, ...rest, ts].filter(Boolean).join(' ');
  // The built-in application's last idempotency key rides on every data item and is left out; an
  // item holding nothing else (a team's own) is not shown as empty.
  if (line === '' && item.IdempotencyKey !== undefined) return `IdempotencyKey=${formatValue(item.IdempotencyKey)}`;
  return line || '{}';
}
