import type { Tmf688Envelope } from './event.js';
import type { AttributeValue } from './item.js';

export interface EnvelopeFields {
  id: string;
  type: string;
  domain: string;
  priority: string;
  correlationId: string;
  /** Name of the resource in `event`, e.g. the item id's prefix. */
  resource: string;
  itemId: string;
  data: Record<string, AttributeValue>;
}

/** An event as scenarios and handlers describe it: the resource is named after the item id. */
export interface ItemEvent {
  id: string;
  type: string;
  domain: string;
  priority: string;
  correlationId: string;
  item: string;
  data: Record<string, AttributeValue>;
}

/** Wraps an event's payload in the TMF688 envelope (aws-semantics §8), times from the client's clock. */
export function buildEnvelope(f: EnvelopeFields, clientTime: number): Tmf688Envelope {
  const iso = isoTime(clientTime); // eventTime and timeOcurred: one clock reading
  return {
    eventId: f.id,
    eventTime: iso,
    eventType: f.type,
    correlationId: f.correlationId,
    domain: f.domain,
    priority: f.priority,
    timeOcurred: iso,
    event: resourceEvent(f.resource, f.itemId, f.data),
  };
}

/** The envelope of an event that changes one item (its resource named by `resourceName`). */
export function envelopeFor(e: ItemEvent, clientTime: number): Tmf688Envelope {
  const iso = isoTime(clientTime);
  return {
    eventId: e.id,
    eventTime: iso,
    eventType: e.type,
    correlationId: e.correlationId,
    domain: e.domain,
    priority: e.priority,
    timeOcurred: iso,
    event: resourceEvent(resourceName(e.item), e.item, e.data),
  };
}

/**
 * `{ [resource]: { id: itemId, ...data } }`, built by assignment: a computed key and a spread take
 * V8's slow path, and this runs for every event a client sends. `__proto__` is defined as an own
 * key, as the literal does (an assignment would set the object's prototype instead).
 */
function resourceEvent(resource: string, itemId: string, data: Record<string, AttributeValue>): Record<string, Record<string, AttributeValue>> {
  const body: Record<string, AttributeValue> = { id: itemId };
  // stored here, each store site seeing one kind of object (through setOwn, shared by both, each was a generic store)
  for (const name in data) {
    if (!Object.hasOwn(data, name)) continue;
    if (name === '__proto__') setOwn(body, name, data[name]!);
    else body[name] = data[name]!;
  }
  const event: Record<string, Record<string, AttributeValue>> = {};
  if (resource === '__proto__') setOwn(event, resource, body);
  else event[resource] = body;
  return event;
}

function setOwn<T>(target: Record<string, T>, name: string, value: T): void {
  if (name === '__proto__') Object.defineProperty(target, name, { value, enumerable: true, writable: true, configurable: true });
  else target[name] = value;
}

/** The resource name for an item id: its prefix before '#', lower-cased ("ORDER#1" → "order"). */
export function resourceName(itemId: string): string {
  const hash = itemId.indexOf('#');
  const prefix = hash < 0 ? itemId : itemId.slice(0, hash);
  return prefix ? prefix.toLowerCase() : 'resource';
}

const DAY_MS = 86_400_000;
let cachedDay = Number.NaN;
let cachedDate = '';
let cachedSecond = Number.NaN;
/** `YYYY-MM-DDTHH:MM:SS.` of `cachedSecond`. */
let cachedPrefix = '';
/** `mmmZ` by milliseconds, made as they are first needed. */
const MILLI_SUFFIXES: string[] = [];

/**
 * `new Date(ms).toISOString()`, with the date and time up to the second cached: every simulated
 * event is stamped (about one a virtual millisecond in a long run), and the full Date formatting
 * was a tenth of the model's time.
 */
export function isoTime(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms >= 253_402_300_800_000) return new Date(ms).toISOString();
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedPrefix = secondPrefix(second * 1000);
  }
  const milli = ms - second * 1000;
  return cachedPrefix + (MILLI_SUFFIXES[milli] ??= `${milli < 10 ? '00' : milli < 100 ? '0' : ''}${milli}Z`);
}

/** `YYYY-MM-DDTHH:MM:SS.` of a whole second's `ms`, the date part cached per day. */
function secondPrefix(ms: number): string {
  const day = Math.floor(ms / DAY_MS);
  if (day !== cachedDay) {
    cachedDay = day;
    cachedDate = new Date(day * DAY_MS).toISOString().slice(0, 11);
  }
  let rest = ms - day * DAY_MS;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  return `${cachedDate}${h < 10 ? '0' : ''}${h}:${m < 10 ? '0' : ''}${m}:${s < 10 ? '0' : ''}${s}.`;
}
