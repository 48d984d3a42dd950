import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { checkInvariants, eventFates } from '../../src/check/invariants.js';
import { runCommand } from '../../src/cli/run-command.js';
import type { TraceEvent, TraceEventInput } from '../../src/trace/events.js';

const number = (events: TraceEventInput[]): TraceEvent[] => events.map((e, i) => ({ ...e, seq: i + 1 }) as TraceEvent);
const sent = (eventId: string, t = 0): TraceEventInput => ({
  kind: 'client-event',
  t,
  region: 'us-east-1',
  eventId,
  idempotencyKey: eventId,
  itemId: 'X',
  attempt: 1,
  clientTime: t,
  envelope: { eventId, eventTime: '', eventType: '', correlationId: '', domain: '', priority: '', timeOcurred: '', event: {} },
});
const outcome = (eventId: string, o: 'applied' | 'duplicate' | 'superseded' | 'failed'): TraceEventInput => ({ kind: 'event-outcome', t: 1, region: 'us-east-1', eventId, idempotencyKey: eventId, itemId: 'X', outcome: o, attempts: 1 });
const dead = (eventId: string): TraceEventInput => ({ kind: 'dead-lettered', t: 2, region: 'us-east-1', eventId, idempotencyKey: eventId, itemId: 'X', source: 'async', error: 'e', attempts: 3, metadataOnly: false });
const same = { 'us-east-1': { X: { Id: 'X', v: 1 } }, 'eu-west-1': { X: { Id: 'X', v: 1 } } };

describe('conservation invariant', () => {
  it('classifies every event: processed beats every other fate; dead-lettered while it sits in the queue', () => {
    const fates = eventFates(
      // b is a retry under a's key, which took effect
      number([sent('a'), outcome('a', 'failed'), outcome('a', 'applied'), sent('b'), { ...outcome('b', 'duplicate'), idempotencyKey: 'a' } as TraceEventInput, sent('c'), dead('c'), sent('d'), outcome('d', 'superseded')]),
    );
    expect(Object.fromEntries([...fates].map(([id, f]) => [id, f.fate]))).toEqual({ a: 'processed', b: 'duplicate', c: 'dead-lettered', d: 'superseded' });
  });

  it('counts as lost an event taken for a duplicate of a key that never took effect (an idempotency record that outlived its failed write; it passed as a duplicate)', () => {
    const [conservation] = checkInvariants({ trace: number([sent('e1'), outcome('e1', 'failed'), outcome('e1', 'duplicate')]), final: same });
    expect(conservation).toMatchObject({ passed: false, actual: 'lost: e1' });
    expect(conservation!.detail).toContain('e1 lost: taken for a duplicate of key e1, which no event of the run wrote');
    // a team's handler's "duplicate" (an attempt that changed nothing) is not a claim: as it was
    const handled = { ...outcome('h1', 'duplicate'), handler: './h.mjs#handler' } as TraceEventInput;
    expect(eventFates(number([sent('h1'), handled])).get('h1')).toEqual({ fate: 'duplicate' });
  });

  it('fails naming an event that never ended, and one redriven out of the queue with no outcome', () => {
    const [conservation] = checkInvariants({
      trace: number([sent('ok'), outcome('ok', 'applied'), sent('vanished'), sent('redriven'), dead('redriven'), { kind: 'redriven', t: 3, region: 'us-east-1', eventId: 'redriven' }]),
      final: same,
    });
    expect(conservation).toMatchObject({ name: 'conservation (no event lost)', source: 'invariant', passed: false, actual: 'lost: vanished, redriven' });
    expect(conservation!.detail).toContain('vanished lost: it never reached an end');
  });

  it('passes when the lost events are exactly those the scenario declares, and fails when a declared one was not lost', () => {
    const trace = number([sent('gone'), { kind: 'event-lost', t: 5, region: 'us-east-1', eventId: 'gone', reason: 'no DLQ' }, sent('fine'), outcome('fine', 'applied')]);
    expect(checkInvariants({ trace, final: same, expectLost: ['gone'] })[0]!.passed).toBe(true);
    const wrong = checkInvariants({ trace, final: same, expectLost: ['gone', 'fine'] })[0]!;
    expect(wrong.passed).toBe(false);
    expect(wrong.detail).toContain('fine was expected lost but ended processed');
  });

  it('counts a request refused without failover as returned to the client, not lost', () => {
    const [conservation] = checkInvariants({ trace: number([sent('r'), { kind: 'request-rejected', t: 0, region: 'us-east-1', eventId: 'r', reason: 'region-outage' }]), final: same });
    expect(conservation).toMatchObject({ passed: true, detail: '1 returned' });
  });
});

describe('convergence invariant', () => {
  it('fails naming the items that differ across regions', () => {
    const results = checkInvariants({ trace: [], final: { 'us-east-1': { X: { Id: 'X', v: 1 } }, 'eu-west-1': { X: { Id: 'X', v: 2 } } } });
    expect(results).toEqual([expect.objectContaining({ name: 'converged once faults ended and replication drained', source: 'invariant', passed: false, detail: 'differs across regions: X' })]);
  });

  it('is off when the scenario expects to end diverged (expect.converged: false)', () => {
    expect(checkInvariants({ trace: [], final: { 'us-east-1': { X: { Id: 'X' } }, 'eu-west-1': {} }, expectConverged: false })).toEqual([]);
  });
});

describe('effects invariant', () => {
  it('fails when a key took effect twice and the scenario did not say so, and reports every count', () => {
    const effects = checkInvariants({ trace: [], final: same, effects: { once: 1, twice: 2 } }).find((a) => a.name.includes('effect'))!;
    expect(effects).toMatchObject({ name: 'at most one effect per idempotency key', source: 'invariant', passed: false, actual: 'applied more than once: twice×2' });
    expect(effects.detail).toBe('2 keys took effect, 1 exactly once; more than once: twice×2');
  });

  it('passes a double effect the scenario states in expect.effects (the flaw it means to show)', () => {
    const effects = checkInvariants({ trace: [], final: same, effects: { twice: 2 }, expectEffects: { twice: 2 } }).find((a) => a.name.includes('effect'))!;
    expect(effects.passed).toBe(true);
    expect(effects.actual).toBe('applied more than once, each key left to expect.effects: twice×2');
  });

  it('names the count expect.effects declares for such a key, not the count it got', () => {
    const effects = checkInvariants({ trace: [], final: same, effects: { paid: 2, other: 3 }, expectEffects: { paid: 1 } }).find((a) => a.name.includes('effect'))!;
    expect(effects.detail).toBe('2 keys took effect, 0 exactly once; more than once: other×3, paid×2 (expect.effects declares paid: 1 and checks it)');
    const two = checkInvariants({ trace: [], final: same, effects: { a: 2, b: 3 }, expectEffects: { a: 1, b: 1 } }).find((a) => a.name.includes('effect'))!;
    expect(two.detail).toBe('2 keys took effect, 0 exactly once; more than once: a×2, b×3 (expect.effects declares a: 1, b: 1 and checks them)');
  });
});

describe('a failed invariant fails the run', () => {
  it('geosim run exits 1 and prints the invariant with the event that breaks it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'geosim-invariants-'));
    writeFileSync(
      join(dir, 'lossy.yaml'),
      `regions: [us-east-1, eu-west-1]
lambda: { invocation: async, deadLetterQueue: false }
faults:
  - lambdaFailure: { event: e1 }
steps:
  - { at: 0, event: { id: e1, region: us-east-1, item: X, data: { v: 1 } } }
`,
    );
    let out = '';
    const sink = () => new Writable({ write: (chunk, _enc, done) => ((out += String(chunk)), done()) });
    const code = await runCommand(['lossy.yaml'], { format: 'text' }, { stdout: sink(), stderr: sink(), env: { NO_COLOR: '1' }, cwd: dir });
    expect(code).toBe(1);
    expect(out).toMatch(/FAIL invariant: conservation \(no event lost\).*e1 lost: retries exhausted and no dead-letter queue/);
  });
});
