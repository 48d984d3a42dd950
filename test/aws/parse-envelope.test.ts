import { describe, expect, it } from 'vitest';
import { buildEnvelope } from '../../src/app/envelope.js';
import { MalformedEventError, parseEnvelope, parseEnvelopeText } from '../../src/aws/parse-envelope.js';

const good = buildEnvelope(
  { id: 'evt-1', type: 'ResourceAttributeValueChangeEvent', domain: 'orders', priority: '5', correlationId: 'c-1', resource: 'order', itemId: 'ORDER#1', data: { status: 'shipped' } },
  Date.UTC(2026, 0, 1, 0, 0, 1),
);

describe('parseEnvelope', () => {
  it('reads the envelope the model builds into the same AppEvent', () => {
    expect(parseEnvelope(good)).toEqual({
      envelope: good,
      idempotencyKey: 'evt-1',
      itemId: 'ORDER#1',
      data: { status: 'shipped' },
      clientTime: Date.UTC(2026, 0, 1, 0, 0, 1),
    });
  });

  it('falls back to timeOcurred when eventTime is absent', () => {
    const { eventTime: _, ...rest } = good;
    expect(parseEnvelope(rest).clientTime).toBe(Date.UTC(2026, 0, 1, 0, 0, 1));
  });

  it.each([
    ['no eventId', { ...good, eventId: undefined }, /eventId: /],
    ['a bad time', { ...good, eventTime: 'yesterday' }, /eventTime: must be an ISO 8601 date-time/],
    ['no time at all', { ...good, eventTime: undefined, timeOcurred: undefined }, /eventTime \(or timeOcurred\) is required/],
    ['two resources', { ...good, event: { a: { id: '1' }, b: { id: '2' } } }, /must hold exactly one resource/],
    ['a resource without id', { ...good, event: { order: { status: 'x' } } }, /event\.order\.id must be a non-empty string/],
    ['not an object', 'hello', /not a TMF688 event/],
  ])('rejects %s', (_name, input, message) => {
    expect(() => parseEnvelope(input)).toThrow(MalformedEventError);
    expect(() => parseEnvelope(input)).toThrow(message);
  });

  it('rejects a body that is not JSON', () => {
    expect(() => parseEnvelopeText('{')).toThrow(/the body is not JSON/);
  });
});
