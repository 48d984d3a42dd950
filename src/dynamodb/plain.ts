/**
 * DynamoDB's typed attribute values as plain JSON values and back: the one representation a
 * scenario file, a trace and the views share for items of any table. Strings, numbers, booleans,
 * null, lists and maps read as themselves (as DocumentClient marshals them); the types JSON lacks
 * get a one-key tagged object, so nothing is lost and a trace stays JSON:
 *
 *   { $SS: ["a", "b"] }   string set        { $B: "<base64>" }   binary
 *   { $NS: ["1", "2"] }   number set        { $N: "<digits>" }   a number a JS double cannot hold
 *   { $BS: ["<base64>"] } binary set
 *
 * Numbers become JS numbers only when the double prints back as the same decimal, so 38-digit
 * values and exact decimals survive the round trip.
 */
import { DynamoDBError } from './errors.js';
import { canonicalNumber } from './numbers.js';
import { emptyKey, emptyMap } from './value-ops.js';
import type { AttributeMap, AttributeValue } from './values.js';

export type PlainValue = string | number | boolean | null | PlainValue[] | { [name: string]: PlainValue };
export type PlainItem = { [name: string]: PlainValue };

/** The tags of the typed forms, declared once. */
export const PLAIN_TAGS = ['$SS', '$NS', '$BS', '$B', '$N'] as const;
export type PlainTag = (typeof PLAIN_TAGS)[number];

export function toPlain(value: AttributeValue): PlainValue {
  if ('S' in value) return value.S;
  if ('N' in value) return plainNumber(value.N);
  if ('BOOL' in value) return value.BOOL;
  if ('NULL' in value) return null;
  if ('L' in value) return value.L.map(toPlain);
  if ('M' in value) return toPlainMap(value.M);
  if ('B' in value) return tagged('$B', value.B);
  if ('SS' in value) return tagged('$SS', [...value.SS].sort(byCodeUnits));
  if ('NS' in value) return tagged('$NS', [...value.NS].sort(byCodeUnits));
  return tagged('$BS', [...value.BS].sort(byCodeUnits));
}

/** An item or map as plain JSON; no prototype, so any attribute name is an own key. */
export function toPlainItem(map: AttributeMap): PlainItem {
  return toPlainInto(emptyMap() as PlainItem, map);
}

function toPlainInto(out: PlainItem, map: AttributeMap): PlainItem {
  // for…in, not Object.keys: no array per item (every traced item converts here); own names only
  for (const name in map) if (Object.hasOwn(map, name)) out[name] = toPlain(map[name]!);
  return out;
}

/** A map value as plain JSON: in a map sized for two names when it has at most two (mapFor). */
function toPlainMap(map: AttributeMap): PlainItem {
  return toPlainInto(mapFor(map) as PlainItem, map);
}

/**
 * An empty map for a map value of `like`'s names: one sized for two names (emptyKey) when it has
 * at most two, else an item's (emptyMap). A small map in an item (`Data: { v: 1 }`) is kept by
 * every version of the item that holds it, plain and as stored: 48 bytes less each.
 */
function mapFor(like: object): AttributeMap {
  let names = 0;
  for (const name in like) if (Object.hasOwn(like, name) && ++names > 2) return emptyMap();
  return emptyKey();
}

/**
 * A plain value as DynamoDB's attribute value. Throws `PlainValueError` (with the path) for what
 * DynamoDB cannot hold: a non-finite number, an empty set, a malformed tagged form.
 */
export function fromPlain(value: PlainValue, path = ''): AttributeValue {
  if (typeof value === 'string') return { S: value };
  if (typeof value === 'number') {
    // an integer a double holds exactly prints canonical (no exponent below 2^53, -0 prints "0")
    if (Number.isSafeInteger(value)) return { N: String(value) };
    if (!Number.isFinite(value)) throw new PlainValueError(path, `${value} is not a number DynamoDB can store`);
    return { N: canonicalNumber(String(value)) };
  }
  if (typeof value === 'boolean') return { BOOL: value };
  if (value === null) return { NULL: true };
  if (Array.isArray(value)) return { L: value.map((v, i) => fromPlain(v, `${path}[${i}]`)) };
  const tag = tagOf(value);
  if (tag !== undefined) return fromTagged(tag, value[tag]!, path);
  return { M: fromPlainInto(mapFor(value), value, path) };
}

export function fromPlainItem(item: { [name: string]: PlainValue }, path = ''): AttributeMap {
  return fromPlainInto(emptyMap(), item, path);
}

function fromPlainInto(out: AttributeMap, item: { [name: string]: PlainValue }, path: string): AttributeMap {
  for (const name in item) if (Object.hasOwn(item, name)) out[name] = fromPlain(item[name]!, path === '' ? name : `${path}.${name}`);
  return out;
}

/** A plain value that has no DynamoDB form; `path` names where (`a.b[2]`). */
export class PlainValueError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(path === '' ? reason : `${path}: ${reason}`);
    this.name = 'PlainValueError';
  }
}

/** The tag of a one-key tagged object, or undefined for an ordinary map. */
export function tagOf(value: { [name: string]: PlainValue }): PlainTag | undefined {
  // its one own name, without an array of its names (every plain map converts here)
  let only: string | undefined;
  for (const name in value) {
    if (!Object.hasOwn(value, name)) continue;
    if (only !== undefined) return undefined;
    only = name;
  }
  return only !== undefined && (PLAIN_TAGS as readonly string[]).includes(only) ? (only as PlainTag) : undefined;
}

function fromTagged(tag: PlainTag, body: PlainValue, path: string): AttributeValue {
  const fail = (reason: string): never => {
    throw new PlainValueError(path, reason);
  };
  if (tag === '$B') return typeof body === 'string' ? { B: base64(body, path) } : fail('$B takes a base64 string');
  if (tag === '$N') return typeof body === 'string' || typeof body === 'number' ? { N: canonicalNumber(String(body)) } : fail('$N takes a number written as a string');
  if (!Array.isArray(body) || body.length === 0) return fail(`${tag} takes a non-empty list (DynamoDB has no empty sets)`);
  const elements = body.map((e) => (typeof e === 'string' || (tag === '$NS' && typeof e === 'number') ? String(e) : fail(`${tag} elements must be ${tag === '$NS' ? 'numbers' : 'strings'}`)));
  if (tag === '$SS') return { SS: unique(elements) };
  if (tag === '$NS') return { NS: unique(elements.map((e) => canonicalNumber(e))) };
  return { BS: unique(elements.map((e) => base64(e, path))) };
}

function base64(text: string, path: string): string {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) throw new PlainValueError(path, `"${text.slice(0, 40)}" is not base64`);
  return text;
}

/** A number as a JS number when that is exact; a real table may spell it otherwise ("0.0", "1E+2"). */
function plainNumber(n: string): PlainValue {
  // An integer of at most 15 digits without leading zeros (a version, a time, a counter): the
  // double holds it exactly and prints it back as this text, without printing it (below).
  if (isShortInteger(n)) return Number(n);
  const asDouble = Number(n);
  if (!Number.isFinite(asDouble)) return tagged('$N', n);
  // Most stored numbers ("42", "1.5") print back as themselves: then the two canonical forms below
  // are of the same text, so equal (and without an exponent both are in DynamoDB's range). Every
  // traced item converts its numbers here.
  const printed = String(asDouble);
  if (printed === n && !printed.includes('e')) return asDouble;
  const canonical = canonicalNumber(n);
  return sameNumber(String(asDouble), canonical) ? asDouble : tagged('$N', canonical);
}

/** Whether `n` is `0` or an integer of 1 to 15 digits, the first not 0, with an optional minus. */
function isShortInteger(n: string): boolean {
  const length = n.length;
  let i = length > 0 && n.charCodeAt(0) === 45 ? 1 : 0;
  const digits = length - i;
  if (digits < 1 || digits > 15) return false;
  const first = n.charCodeAt(i);
  if (first < 48 || first > 57 || (first === 48 && (digits > 1 || i === 1))) return false;
  for (i++; i < length; i++) {
    const c = n.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** Whether a double's text is the number `canonical`: not when the double rounded past DynamoDB's range (9.99…E+125 → 1e+126). */
function sameNumber(printed: string, canonical: string): boolean {
  try {
    return canonicalNumber(printed) === canonical;
  } catch (error) {
    if (error instanceof DynamoDBError) return false;
    throw error;
  }
}

function tagged(tag: PlainTag, body: PlainValue): PlainValue {
  const out = emptyMap() as { [name: string]: PlainValue };
  out[tag] = body;
  return out;
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
