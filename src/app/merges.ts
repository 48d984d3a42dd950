import { compareClientWriters, compareWriters } from './conflict-resolver.js';
import { addNumbers } from './numbers.js';
import { canonicalJson, type AttributeValue, type Item } from './item.js';
import { bump, joinVectors, versionVector, VERSION_VECTOR } from './version-vector.js';

/**
 * The merge strategies' item layouts and merges (README "Conflict strategies"). Every merge takes
 * the two concurrent versions in a fixed order, the earlier client writer as the *stored* one and
 * the later as the *incoming* one, so that every region that merges the same pair writes the same
 * item whatever order replication showed them in.
 */

type DataMap = Record<string, AttributeValue>;

/**
 * `counter`: per attribute, per region, the sum of that region's increments (`inc`) and of its
 * decrements (`dec`). Not `P`/`N`: a map whose one key is `N` reads as DynamoDB's typed number
 * to a stream decoder that sees plain JSON.
 */
export const PN_COUNTERS = 'PNCounters';
/** `lww-attribute`: per Data attribute, the client writer that set it last: `{ t: client ms, r: region }`. */
export const ATTRIBUTE_TIMES = 'AttributeTimes';

/** What an event asks of the item: attributes to set and increments, at a client time, in a region. */
export interface ChangeRequest {
  data: DataMap;
  add: Record<string, number>;
  clientTime: number;
  region: string;
}

/**
 * The attributes a merge strategy's write sets, read-modify-write on the item as read: the new
 * Data, the version vector with this region's write counted, and the strategy's own bookkeeping.
 */
export function strategyWrite(strategy: 'lww-attribute' | 'automerge' | 'counter' | 'custom', current: Item | undefined, change: ChangeRequest): DataMap {
  const data: DataMap = { ...dataOf(current), ...change.data };
  const out: DataMap = { [VERSION_VECTOR]: bump(versionVector(current), change.region) };
  if (strategy === 'counter') {
    const counters = countersOf(current);
    for (const [attribute, n] of Object.entries(change.add)) {
      const counter = (counters[attribute] = copyCounter(counters[attribute]));
      const side = n >= 0 ? counter.inc : counter.dec;
      side[change.region] = addNumbers(side[change.region] ?? 0, Math.abs(n));
      data[attribute] = counterValue(counter);
    }
    out[PN_COUNTERS] = storedCounters(counters);
  } else {
    for (const [attribute, n] of Object.entries(change.add)) {
      const was = data[attribute];
      data[attribute] = addNumbers(typeof was === 'number' ? was : 0, n);
    }
  }
  if (strategy === 'lww-attribute') {
    const times = timesOf(current);
    for (const attribute of [...Object.keys(change.data), ...Object.keys(change.add)]) times[attribute] = { t: change.clientTime, r: change.region };
    out[ATTRIBUTE_TIMES] = times as unknown as AttributeValue;
  }
  out.Data = data;
  return out;
}

/** A merge of the Data of two concurrent versions (a team's `custom` merge is one). */
export type DataMerge = (stored: DataMap, incoming: DataMap, info: { itemId: string; stored: Item; incoming: Item }) => DataMap | Promise<DataMap>;

/**
 * The item that keeps both concurrent versions: the incoming one's stamps (Timestamp,
 * LastUpdatedRegion, IdempotencyKey), the joined version vector, the larger Version, and the
 * strategy's merge of Data and of its bookkeeping.
 */
export async function mergeItems(strategy: 'lww-attribute' | 'automerge' | 'counter' | 'custom', a: Item, b: Item, custom?: DataMerge): Promise<Item> {
  const [stored, incoming] = compareWriters(a, b) <= 0 ? [a, b] : [b, a];
  const out: Item = { ...incoming, [VERSION_VECTOR]: joinVectors(versionVector(stored), versionVector(incoming)) };
  const versions = [stored.Version, incoming.Version].filter((v): v is number => typeof v === 'number');
  if (versions.length > 0) out.Version = Math.max(...versions);
  switch (strategy) {
    case 'counter': {
      const counters = joinCounters(countersOf(stored), countersOf(incoming));
      const data = { ...dataOf(incoming) };
      for (const [attribute, counter] of Object.entries(counters)) data[attribute] = counterValue(counter);
      out.Data = data;
      out[PN_COUNTERS] = storedCounters(counters);
      break;
    }
    case 'lww-attribute': {
      const [data, times] = latestAttributes(stored, incoming);
      out.Data = data;
      out[ATTRIBUTE_TIMES] = times as unknown as AttributeValue;
      break;
    }
    case 'automerge':
      out.Data = automerge(dataOf(stored), dataOf(incoming));
      break;
    case 'custom': {
      if (!custom) throw new Error('the custom strategy needs a merge function (application.merge)');
      const data = await custom(structuredClone(dataOf(stored)), structuredClone(dataOf(incoming)), { itemId: incoming.Id, stored: structuredClone(stored), incoming: structuredClone(incoming) });
      if (data === null || typeof data !== 'object' || Array.isArray(data)) throw new Error(`the merge function returned ${data === null ? 'null' : Array.isArray(data) ? 'a list' : typeof data}, not the merged Data map`);
      out.Data = data;
      break;
    }
  }
  return out;
}

/**
 * AppSync's AUTOMERGE rules (AppSync Developer Guide, "Conflict detection and resolution"), applied
 * to the incoming version's attributes: one the stored map lacks or holds as null is taken; lists
 * are concatenated, the incoming list after the stored one, duplicates kept; sets ($SS, $NS, $BS)
 * are united; maps are merged attribute by attribute by these rules; any other clash keeps the
 * stored value.
 */
export function automerge(stored: DataMap, incoming: DataMap): DataMap {
  const out: DataMap = { ...stored };
  for (const [name, value] of Object.entries(incoming)) {
    const held = Object.hasOwn(stored, name) ? stored[name] : undefined;
    if (held === undefined || held === null) out[name] = value;
    else if (Array.isArray(held) && Array.isArray(value)) out[name] = [...held, ...value];
    else if (setTag(held) !== undefined && setTag(held) === setTag(value)) out[name] = unionSets(held as DataMap, value as DataMap, setTag(held)!);
    else if (isMap(held) && isMap(value) && setTag(held) === undefined && setTag(value) === undefined) out[name] = automerge(held, value);
  }
  return out;
}

const SET_TAGS = ['$SS', '$NS', '$BS'];

/** A plain set value is a one-key map `{ $SS: [...] }` (src/dynamodb/plain.ts). */
function setTag(value: AttributeValue | undefined): string | undefined {
  if (!isMap(value)) return undefined;
  const keys = Object.keys(value);
  return keys.length === 1 && SET_TAGS.includes(keys[0]!) && Array.isArray(value[keys[0]!]) ? keys[0] : undefined;
}

function unionSets(a: DataMap, b: DataMap, tag: string): DataMap {
  const all = [...(a[tag] as AttributeValue[]), ...(b[tag] as AttributeValue[])];
  const seen = new Map<string, AttributeValue>();
  for (const element of all) seen.set(canonicalJson({ Id: '', v: element }), element);
  return { [tag]: [...seen.entries()].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([, v]) => v) };
}

interface Counter {
  inc: Record<string, number>;
  dec: Record<string, number>;
}

export function counterValue(counter: Counter): number {
  let value = 0;
  for (const region of Object.keys(counter.inc).sort()) value = addNumbers(value, counter.inc[region]!);
  for (const region of Object.keys(counter.dec).sort()) value = addNumbers(value, -counter.dec[region]!);
  return value;
}

/**
 * The counters as the item stores them: an empty side left out, as DynamoDB Streams through the
 * SDK did not give an empty map back as one (geosim's stream decoder then failed on it).
 */
function storedCounters(counters: Record<string, Counter>): AttributeValue {
  const out: Record<string, AttributeValue> = {};
  for (const [attribute, c] of Object.entries(counters)) {
    const sides: Record<string, AttributeValue> = {};
    if (Object.keys(c.inc).length > 0) sides.inc = c.inc;
    if (Object.keys(c.dec).length > 0) sides.dec = c.dec;
    out[attribute] = sides;
  }
  return out;
}

function joinCounters(a: Record<string, Counter>, b: Record<string, Counter>): Record<string, Counter> {
  const out: Record<string, Counter> = {};
  for (const attribute of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    out[attribute] = { inc: maxPerRegion(a[attribute]?.inc ?? {}, b[attribute]?.inc ?? {}), dec: maxPerRegion(a[attribute]?.dec ?? {}, b[attribute]?.dec ?? {}) };
  }
  return out;
}

function maxPerRegion(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const region of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) out[region] = Math.max(a[region] ?? 0, b[region] ?? 0);
  return out;
}

function copyCounter(counter: Counter | undefined): Counter {
  return { inc: { ...(counter?.inc ?? {}) }, dec: { ...(counter?.dec ?? {}) } };
}

function countersOf(item: Item | undefined): Record<string, Counter> {
  const raw = item?.[PN_COUNTERS];
  const out: Record<string, Counter> = {};
  if (!isMap(raw)) return out;
  for (const [attribute, c] of Object.entries(raw)) {
    if (!isMap(c)) continue;
    out[attribute] = { inc: numbers(c.inc), dec: numbers(c.dec) };
  }
  return out;
}

type Stamp = { t: number; r: string };

function timesOf(item: Item | undefined): Record<string, Stamp> {
  const raw = item?.[ATTRIBUTE_TIMES];
  const out: Record<string, Stamp> = {};
  if (!isMap(raw)) return out;
  for (const [attribute, s] of Object.entries(raw)) {
    if (isMap(s) && typeof s.t === 'number' && typeof s.r === 'string') out[attribute] = { t: s.t, r: s.r };
  }
  return out;
}

/** Per attribute, the value of the version whose client writer set it last; an attribute no writer stamped comes from the incoming version. */
function latestAttributes(stored: Item, incoming: Item): [DataMap, Record<string, Stamp>] {
  const sd = dataOf(stored);
  const id = dataOf(incoming);
  const st = timesOf(stored);
  const it = timesOf(incoming);
  const data: DataMap = { ...sd, ...id };
  const times: Record<string, Stamp> = {};
  for (const attribute of [...new Set([...Object.keys(st), ...Object.keys(it)])].sort()) {
    const a = st[attribute];
    const b = it[attribute];
    const storedWins = a !== undefined && (b === undefined || compareClientWriters({ Id: '', Timestamp: a.t, LastUpdatedRegion: a.r }, { Id: '', Timestamp: b.t, LastUpdatedRegion: b.r }) > 0);
    times[attribute] = storedWins ? a : b!;
    const from = storedWins ? sd : id;
    if (Object.hasOwn(from, attribute)) data[attribute] = from[attribute]!;
    else delete data[attribute];
  }
  return [data, times];
}

function dataOf(item: Item | undefined): DataMap {
  const data = item?.Data;
  return isMap(data) ? (data as DataMap) : {};
}

function numbers(value: AttributeValue | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  if (isMap(value)) for (const [k, v] of Object.entries(value)) if (typeof v === 'number') out[k] = v;
  return out;
}

function isMap(value: AttributeValue | undefined): value is { [name: string]: AttributeValue } {
  return value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value);
}
