import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { envelopeFor, isoTime, resourceName } from '../../src/app/envelope.js';

describe('envelope', () => {
  it('isoTime formats exactly like Date.prototype.toISOString, for any time (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 0, max: 253_402_300_799_999 }), fc.integer({ min: 1_767_225_600_000, max: 1_767_225_600_000 + 10 * 86_400_000 }), fc.double({ min: -1e13, max: 1e13, noNaN: true })), (ms) => {
        expect(isoTime(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 2000, seed: 3 },
    );
  });

  it('wraps an item event in the TMF688 envelope, the resource named after the item id', () => {
    const e = envelopeFor({ id: 'e1', type: 'T', domain: 'd', priority: '5', correlationId: 'c', item: 'ORDER#1', data: { status: 'shipped' } }, Date.UTC(2026, 0, 1, 0, 0, 1, 5));
    expect(e).toEqual({
      eventId: 'e1',
      eventTime: '2026-01-01T00:00:01.005Z',
      eventType: 'T',
      correlationId: 'c',
      domain: 'd',
      priority: '5',
      timeOcurred: '2026-01-01T00:00:01.005Z',
      event: { order: { id: 'ORDER#1', status: 'shipped' } },
    });
    expect(resourceName('plain')).toBe('plain');
    expect(resourceName('#x')).toBe('resource');
  });

  it('builds the resource as `{ [name]: { id, ...data } }` would: key order, an `id` in data, `__proto__` as an own key (property)', () => {
    const names = fc.oneof(fc.constantFrom('__proto__', 'id', 'constructor', '2', '10', 'toString'), fc.string({ maxLength: 6 }));
    fc.assert(
      fc.property(fc.dictionary(names, fc.oneof(fc.string(), fc.integer()), { maxKeys: 6 }), fc.oneof(names, fc.string()), (data, itemId) => {
        const e = envelopeFor({ id: 'e1', type: 'T', domain: 'd', priority: '5', correlationId: 'c', item: itemId, data }, 0);
        const literal = { [resourceName(itemId)]: { id: itemId, ...data } };
        expect(Object.getPrototypeOf(e.event)).toBe(Object.prototype);
        expect(Reflect.ownKeys(e.event)).toEqual(Reflect.ownKeys(literal));
        const [body, expected] = [e.event[resourceName(itemId)]!, literal[resourceName(itemId)]!];
        expect(Object.getPrototypeOf(body)).toBe(Object.prototype);
        expect(Reflect.ownKeys(body)).toEqual(Reflect.ownKeys(expected));
        expect(JSON.stringify(e.event)).toBe(JSON.stringify(literal));
      }),
      { numRuns: 500, seed: 7 },
    );
    const proto = envelopeFor({ id: 'e1', type: 'T', domain: 'd', priority: '5', correlationId: 'c', item: '__PROTO__#1', data: JSON.parse('{"__proto__":{"x":1}}') }, 0);
    expect(JSON.stringify(proto.event)).toBe('{"__proto__":{"id":"__PROTO__#1","__proto__":{"x":1}}}');
  });
});
