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

/** Wraps an event's payload in the TMF688 envelope (aws-semantics §8), times from the client's clock. */
export function buildEnvelope(f: EnvelopeFields, clientTime: number): Tmf688Envelope {
  const iso = new Date(clientTime).toISOString(); // eventTime and timeOcurred: one clock reading
  return {
    eventId: f.id,
    eventTime: iso,
    eventType: f.type,
    correlationId: f.correlationId,
    domain: f.domain,
    priority: f.priority,
    timeOcurred: iso,
    event: { [f.resource]: { id: f.itemId, ...f.data } },
  };
}

/** The resource name for an item id: its prefix before '#', lower-cased ("ORDER#1" → "order"). */
export function resourceName(itemId: string): string {
  const prefix = itemId.split('#')[0] ?? '';
  return prefix ? prefix.toLowerCase() : 'resource';
}
