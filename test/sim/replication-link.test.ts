import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LagSpec } from '../../src/scenario/model.js';
import { ReplicationLink, type Delivery } from '../../src/sim/replication-link.js';
import { Rng } from '../../src/sim/rng.js';
import type { StoredVersion } from '../../src/sim/version.js';

const version = (itemId: string, ts: number): StoredVersion => ({ item: { Id: itemId, ts }, stamp: { ts, region: 'us-east-1' }, clock: [ts, 0] });

/** An Rng that hands out the given uniforms in turn and counts the draws; a link's stream of it is itself. */
function scriptedRng(uniforms: number[]): Rng & { draws: number } {
  const rng = {
    draws: 0,
    stream() {
      return rng;
    },
    next() {
      const u = uniforms[rng.draws++ % uniforms.length]!;
      return u;
    },
    normal() {
      // Box-Muller needs two uniforms; a scripted standard normal is enough here.
      return uniforms[rng.draws++ % uniforms.length]!;
    },
  };
  return rng as unknown as Rng & { draws: number };
}

const link = (lag: LagSpec, rng: Rng, coalesce = false) => new ReplicationLink('us-east-1', 'eu-west-1', lag, rng, coalesce);
const uniform0to1000: LagSpec = { distribution: 'uniform', min: 0, max: 1000 };

describe('ReplicationLink: per-item order (aws-semantics §1.2)', () => {
  it('never lands a change before an earlier change to the same item, though its own draw is shorter', () => {
    const l = link(uniform0to1000, scriptedRng([0.9, 0.1]));
    const first = l.send(0, 'A', version('A', 0)).delivery; // draws 900
    const second = l.send(10, 'A', version('A', 10)).delivery; // draws 100: would land at 110
    expect(first.arrival).toBe(900);
    expect(second.arrival).toBe(900);
    expect(second).not.toBe(first);
  });

  it('lets another item overtake: order holds per item, not across items', () => {
    const l = link(uniform0to1000, scriptedRng([0.9, 0.1]));
    const a = l.send(0, 'A', version('A', 0)).delivery;
    const b = l.send(10, 'B', version('B', 10)).delivery;
    expect(b.arrival).toBeLessThan(a.arrival);
    expect(b.arrival).toBe(110);
  });

  it('holds for any sequence of sends and deliveries (property)', () => {
    const sends = fc.array(fc.record({ gap: fc.nat({ max: 300 }), item: fc.constantFrom('A', 'B', 'C'), deliverDue: fc.boolean() }), { maxLength: 60 });
    fc.assert(
      fc.property(sends, fc.integer(), (script, seed) => {
        const l = link({ distribution: 'exponential', mean: 400 }, new Rng(seed));
        const pending: Delivery[] = [];
        const lastArrival = new Map<string, number>();
        let now = 0;
        for (const s of script) {
          now += s.gap;
          // Deliver what is due, as the agenda would, before the next send.
          if (s.deliverDue) {
            for (const d of pending.filter((p) => p.arrival <= now)) l.delivered(d);
            pending.splice(0, pending.length, ...pending.filter((p) => p.arrival > now));
          }
          const { delivery, coalesced } = l.send(now, s.item, version(s.item, now));
          expect(coalesced).toBeUndefined();
          expect(delivery.arrival).toBeGreaterThanOrEqual(now);
          expect(delivery.arrival).toBeGreaterThanOrEqual(lastArrival.get(s.item) ?? 0);
          lastArrival.set(s.item, delivery.arrival);
          pending.push(delivery);
        }
        expect(l.pendingItems).toBe(new Set(pending.map((p) => p.itemId)).size);
      }),
      { seed: 12, numRuns: 200 },
    );
  });

  it('forgets an item once nothing for it is in flight, so memory stays bounded', () => {
    const l = link({ distribution: 'fixed', ms: 100 }, new Rng(1));
    const a1 = l.send(0, 'A', version('A', 0)).delivery;
    const a2 = l.send(5, 'A', version('A', 5)).delivery;
    const b = l.send(5, 'B', version('B', 5)).delivery;
    expect(l.pendingItems).toBe(2);
    l.delivered(a1);
    expect(l.pendingItems).toBe(2);
    l.delivered(a2);
    expect(l.pendingItems).toBe(1);
    l.delivered(b);
    expect(l.pendingItems).toBe(0);
    expect([a1, a2, b].every((d) => d.delivered)).toBe(true);
  });
});

describe('ReplicationLink: coalescing (aws-semantics §1.2 "may combine")', () => {
  it('with coalescing on, a change to an item in flight rides on that delivery: same arrival, newer version, no new draw', () => {
    const rng = scriptedRng([0.5, 0.1]);
    const l = link(uniform0to1000, rng, true);
    const v0 = version('A', 0);
    const v1 = version('A', 10);
    const first = l.send(0, 'A', v0);
    const second = l.send(10, 'A', v1);
    expect(first.coalesced).toBeUndefined();
    expect(second.delivery).toBe(first.delivery);
    expect(second.coalesced).toBe(v0);
    expect(first.delivery.version).toBe(v1);
    expect(first.delivery.arrival).toBe(500);
    expect(rng.draws).toBe(1);
    expect(l.pendingItems).toBe(1);
  });

  it('coalesces a third change into the same delivery, reporting the version it replaced each time', () => {
    const l = link({ distribution: 'fixed', ms: 300 }, new Rng(1), true);
    const v = [0, 10, 20].map((t) => version('A', t));
    const d = l.send(0, 'A', v[0]!).delivery;
    expect(l.send(10, 'A', v[1]!).coalesced).toBe(v[0]);
    expect(l.send(20, 'A', v[2]!)).toEqual({ delivery: d, coalesced: v[1] });
    expect(d.version).toBe(v[2]);
  });

  it('sends a new delivery once the one in flight has landed, and for another item', () => {
    const l = link({ distribution: 'fixed', ms: 300 }, new Rng(1), true);
    const a = l.send(0, 'A', version('A', 0)).delivery;
    const b = l.send(10, 'B', version('B', 10));
    expect(b.coalesced).toBeUndefined();
    expect(b.delivery).not.toBe(a);
    l.delivered(a);
    const again = l.send(400, 'A', version('A', 400));
    expect(again.coalesced).toBeUndefined();
    expect(again.delivery).not.toBe(a);
    expect(again.delivery.arrival).toBe(700);
  });

  it('with coalescing off, every change is its own delivery and its own draw', () => {
    const rng = scriptedRng([0.5, 0.1]);
    const l = link(uniform0to1000, rng, false);
    const first = l.send(0, 'A', version('A', 0)).delivery;
    const second = l.send(10, 'A', version('A', 10));
    expect(second.coalesced).toBeUndefined();
    expect(second.delivery).not.toBe(first);
    expect(first.version.stamp.ts).toBe(0);
    expect(rng.draws).toBe(2);
    expect(l.pendingItems).toBe(1);
  });
});

describe('ReplicationLink: lag draws', () => {
  it('a fixed lag arrives exactly that long after the send and draws nothing', () => {
    const rng = scriptedRng([0.5]);
    const l = link({ distribution: 'fixed', ms: 250 }, rng);
    expect(l.send(1000, 'A', version('A', 1000)).delivery.arrival).toBe(1250);
    expect(rng.draws).toBe(0);
  });

  it('draws each new delivery from the link’s RNG: uniform between min and max, whole ms', () => {
    const l = link({ distribution: 'uniform', min: 200, max: 400 }, scriptedRng([0, 0.5, 0.999999]));
    expect(['A', 'B', 'C'].map((id) => l.send(0, id, version(id, 0)).delivery.arrival)).toEqual([200, 300, 400]);
  });

  it('never delivers before the send: a normal draw below zero is clamped at 0', () => {
    const l = link({ distribution: 'normal', mean: 100, stddev: 100 }, scriptedRng([-5]));
    expect(l.send(50, 'A', version('A', 50)).delivery.arrival).toBe(50);
  });

  it('gives the same arrivals for the same seed, and other arrivals for another seed', () => {
    const arrivals = (seed: number) => {
      const l = link({ distribution: 'exponential', mean: 500 }, new Rng(seed));
      return Array.from({ length: 20 }, (_, i) => l.send(i * 10, `I${i}`, version(`I${i}`, i * 10)).delivery.arrival);
    };
    expect(arrivals(7)).toEqual(arrivals(7));
    expect(arrivals(7)).not.toEqual(arrivals(8));
    expect(arrivals(7).every((a, i) => a >= i * 10)).toBe(true);
  });
});
