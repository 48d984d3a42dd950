import { z } from 'zod';
import type { AppEvent, Tmf688Envelope } from '../app/event.js';
import type { AttributeValue } from '../app/item.js';

/** An event the handler refuses before it writes anything; the message says what is wrong. */
export class MalformedEventError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MalformedEventError';
  }
}

const attributeValue: z.ZodType<AttributeValue> = z.lazy(() =>
  z.union([z.string(), z.number().finite(), z.boolean(), z.null(), z.array(attributeValue), z.record(z.string(), attributeValue)]),
);

const dateTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date-time');

/**
 * The TMF688 envelope (aws-semantics §8) as geosim's application needs it. TMF688 makes every field
 * optional; the application cannot work without `eventId` (its idempotency key, as §8 suggests), a
 * time, and exactly one resource under `event` with an `id` (the item it changes).
 */
const envelopeSchema = z.object({
  eventId: z.string().min(1),
  eventTime: dateTime.optional(),
  eventType: z.string().min(1),
  correlationId: z.string().optional(),
  domain: z.string().optional(),
  priority: z.string().optional(),
  timeOcurred: dateTime.optional(),
  event: z
    .record(z.string(), z.record(z.string(), attributeValue))
    .refine((e) => Object.keys(e).length === 1, 'must hold exactly one resource, e.g. { "order": { "id": "ORDER#1", ... } }'),
});

/** Parses and validates one envelope (already JSON-decoded) into the AppEvent the processor takes. */
export function parseEnvelope(input: unknown): AppEvent {
  const parsed = envelopeSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.length > 0 ? i.path.join('.') : 'envelope'}: ${i.message}`);
    throw new MalformedEventError(`not a TMF688 event: ${issues.join('; ')}`);
  }
  const e = parsed.data;
  const [resource, body] = Object.entries(e.event)[0]!;
  const itemId = body['id'];
  if (typeof itemId !== 'string' || itemId.length === 0) throw new MalformedEventError(`not a TMF688 event: event.${resource}.id must be a non-empty string`);
  const time = e.eventTime ?? e.timeOcurred;
  if (time === undefined) throw new MalformedEventError('not a TMF688 event: eventTime (or timeOcurred) is required');
  const { id: _id, ...data } = body;
  const envelope: Tmf688Envelope = {
    eventId: e.eventId,
    eventTime: e.eventTime ?? time,
    eventType: e.eventType,
    correlationId: e.correlationId ?? e.eventId,
    domain: e.domain ?? '',
    priority: e.priority ?? '',
    timeOcurred: e.timeOcurred ?? time,
    event: e.event,
  };
  return { envelope, idempotencyKey: e.eventId, itemId, data, clientTime: Date.parse(time) };
}

/** Decodes a JSON text body (SQS message, API Gateway request). */
export function parseEnvelopeText(text: string | null | undefined): AppEvent {
  if (text === null || text === undefined || text.trim() === '') throw new MalformedEventError('not a TMF688 event: the body is empty');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new MalformedEventError(`not a TMF688 event: the body is not JSON (${(error as Error).message})`);
  }
  return parseEnvelope(json);
}
