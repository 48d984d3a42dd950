import { describe, expect, it } from 'vitest';
import { describeFailure, failsTheSameWay, failureDetail, failureSignature, failureSignatures } from '../../src/explore/failure.js';
import type { TraceEvent } from '../../src/trace/events.js';
import type { AssertionResult, RunReport } from '../../src/trace/report.js';

const report = (assertions: AssertionResult[], trace: unknown[] = []) => ({ assertions, trace: trace as TraceEvent[] }) as unknown as RunReport;
const ok: AssertionResult = { source: 'expectation', name: 'converged', passed: true, expected: true, actual: true };

describe('failureSignature', () => {
  it('is undefined when every assertion passed', () => {
    expect(failureSignature(report([ok]))).toBeUndefined();
  });

  it('names the first failed assertion by source and name', () => {
    const failed: AssertionResult = { source: 'invariant', name: 'converged once faults ended', passed: false, expected: true, actual: false };
    const later: AssertionResult = { source: 'expectation', name: 'converged', passed: false, expected: true, actual: false };
    expect(failureSignature(report([ok, failed, later]))).toBe('invariant: converged once faults ended');
  });

  it('says whether a count or an effect was above or below what was expected: a duplicate and a loss differ', () => {
    const above: AssertionResult = { source: 'expectation', name: 'effects of key charge-1', passed: false, expected: 1, actual: 2 };
    const below: AssertionResult = { ...above, actual: 0 };
    const count: AssertionResult = { source: 'expectation', name: 'count conflicts', passed: false, expected: 0, actual: 1 };
    expect(failureSignature(report([above]))).toBe('expectation: effects of key charge-1 (above)');
    expect(failureSignature(report([below]))).toBe('expectation: effects of key charge-1 (below)');
    expect(failureSignature(report([count]))).toBe('expectation: count conflicts (above)');
  });

  it("keeps a check step's name, so two checks of the same thing stay apart", () => {
    const check: AssertionResult = { source: 'check', check: 'after the pause', name: 'converged', passed: false, expected: true, actual: false };
    expect(failureSignature(report([check]))).toBe('check: after the pause: converged');
  });
});

describe('an item’s failure', () => {
  const item = (actual: unknown, region = 'us-east-1'): AssertionResult => ({ source: 'expectation', name: `${region} ORDER`, passed: false, expected: { Data: { status: 'cancelled' } }, actual });
  const placed = { Id: 'ORDER', Data: { status: 'placed', note: 'x' }, Version: 1 };

  it('is one failure whichever region shows it, and however the item was wrong', () => {
    expect(failureSignatures(report([item(placed), item({ ...placed, Data: {} }, 'eu-west-1')]))).toEqual(['expectation: ORDER']);
    const absent: AssertionResult = { source: 'expectation', name: 'eu-west-1 ORDER absent', passed: false, expected: null, actual: placed };
    expect(failureSignature(report([absent]))).toBe('expectation: ORDER absent');
  });

  it('fails in detail as the item held the attributes the expectation names, or was missing', () => {
    expect(failureDetail(report([item(placed)]), 'expectation: ORDER')).toBe('held {"Data":{"status":"placed"}}');
    expect(failureDetail(report([item({ ...placed, Data: {} })]), 'expectation: ORDER')).toBe('held {"Data":{}}');
    expect(failureDetail(report([item(null)]), 'expectation: ORDER')).toBe('missing');
  });

  it('missing although a region wrote it by then: the write had not arrived, which a repro with no write at all would not show (a check shrank to itself alone)', () => {
    const written = { kind: 'local-write', t: 0, region: 'us-east-1', itemId: 'ORDER', op: 'put', before: null, after: { Id: 'ORDER' }, version: { ts: 0, region: 'us-east-1' } };
    const checked: AssertionResult = { source: 'check', check: 'in the window', name: 'eu-west-1 ORDER', passed: false, expected: { Data: { status: 'cancelled' } }, actual: null, at: 400 };
    expect(failureDetail(report([checked], [written]), 'check: in the window: ORDER')).toBe('missing, after a write not arrived');
    expect(failureDetail(report([checked]), 'check: in the window: ORDER')).toBe('missing');
    // written after the check: not arrived by then is no story
    expect(failureDetail(report([checked], [{ ...written, t: 500 }]), 'check: in the window: ORDER')).toBe('missing');
    // it arrived (and was deleted since), or was written in the region itself: no write on its way
    const applied = { kind: 'replication-applied', t: 300, from: 'us-east-1', to: 'eu-west-1', itemId: 'ORDER', before: null, after: { Id: 'ORDER' }, version: { ts: 0, region: 'us-east-1' }, conflict: false };
    expect(failureDetail(report([checked], [written, applied]), 'check: in the window: ORDER')).toBe('missing');
    expect(failureDetail(report([checked], [{ ...written, region: 'eu-west-1', version: { ts: 0, region: 'eu-west-1' } }]), 'check: in the window: ORDER')).toBe('missing');
    // merged on its way into a newer write (coalescing), a delete: nothing of it still travels
    const coalesced = { kind: 'replication-coalesced', t: 40, from: 'us-east-1', to: 'eu-west-1', itemId: 'ORDER', dropped: { ts: 0, region: 'us-east-1' }, by: { ts: 40, region: 'us-east-1' } };
    expect(failureDetail(report([checked], [written, coalesced]), 'check: in the window: ORDER')).toBe('missing');
  });

  it('and as the item lost a write, by the check’s time: refused (a condition, a newer client write) or discarded by last-writer-wins', () => {
    const refused = { kind: 'condition-failed', t: 1, region: 'eu-west-1', itemId: 'ORDER', condition: 'c', current: null };
    const discarded = { kind: 'replication-discarded', t: 2, from: 'eu-west-1', to: 'us-east-1', itemId: 'ORDER' };
    const elsewhere = { kind: 'replication-discarded', t: 2, from: 'eu-west-1', to: 'us-east-1', itemId: 'OTHER' };
    expect(failureDetail(report([item(placed)], [refused, elsewhere]), 'expectation: ORDER')).toBe('held {"Data":{"status":"placed"}}, after a refused write');
    expect(failureDetail(report([item(placed)], [refused, discarded]), 'expectation: ORDER')).toBe('held {"Data":{"status":"placed"}}, after a refused write and a discarded replicated write');
    const checked: AssertionResult = { source: 'check', check: 'by 1ms', name: 'us-east-1 ORDER', passed: false, expected: { Data: { status: 'cancelled' } }, actual: placed, at: 1 };
    expect(failureSignature(report([checked]))).toBe('check: by 1ms: ORDER');
    expect(failureDetail(report([checked], [refused, discarded]), 'check: by 1ms: ORDER')).toBe('held {"Data":{"status":"placed"}}, after a refused write');
  });
});

describe('an effect applied again', () => {
  it('says when Time to Live had deleted the key’s idempotency record: a retry after the record expired and one that outran its replication are two bugs a repro must not swap', () => {
    const twice: AssertionResult = { source: 'expectation', name: 'effects of key pay-1', passed: false, expected: 1, actual: 2 };
    const expired = { kind: 'local-write', t: 86_400_000, region: 'us-east-1', itemId: 'IDEMPOTENCY#pay-1', op: 'delete', before: { Id: 'IDEMPOTENCY#pay-1' }, after: null, version: { ts: 86_400_000, region: 'us-east-1' }, expired: true };
    const applied = (t: number) => ({ kind: 'event-outcome', t, region: 'us-east-1', eventId: 'e1', idempotencyKey: 'pay-1', itemId: 'A', outcome: 'applied', attempts: 1 });
    const story = (trace: unknown[]) => failureDetail(report([twice], trace), 'expectation: effects of key pay-1 (above)');
    expect(story([applied(0), expired, applied(86_400_500)])).toBe('after its idempotency record expired');
    expect(story([applied(0), applied(86_400_500)])).toBe('');
    // the record expired after the effect that was too many (a retry that outran its replication): no such story
    expect(story([applied(0), applied(300), { ...expired, t: 86_400_000 }])).toBe('');
    // another key's record, or a delete a client made: none either
    expect(story([applied(0), { ...expired, itemId: 'IDEMPOTENCY#pay-2' }, applied(86_400_500)])).toBe('');
    const { expired: _, ...deleted } = expired;
    expect(story([applied(0), deleted, applied(86_400_500)])).toBe('');
  });
});

describe('an item’s lost update', () => {
  const item = (actual: unknown): AssertionResult => ({ source: 'expectation', name: 'us-east-1 WALLET', passed: false, expected: { balance: 15 }, actual });
  const read = (t: number, cause: string, held: unknown, more: object = {}) => ({ kind: 'read', t, region: 'us-east-1', itemId: 'WALLET', consistency: 'eventual', item: held, cause, ...more });
  const write = (t: number, cause: string, before: unknown, after: unknown) => ({ kind: 'local-write', t, region: 'us-east-1', itemId: 'WALLET', op: 'put', before, after, version: { ts: t, region: 'us-east-1' }, cause });
  const ten = { Id: 'WALLET', balance: 10 };
  const five = { Id: 'WALLET', balance: 5 };

  it('is a write overwritten by a handler that read the item before it (a read-modify-write in one region; no last-writer-wins to see)', () => {
    // both read nothing; e2 then writes over e1’s write, which it never saw
    const raced = [read(0, 'e1', null), read(0, 'e2', null), write(1, 'e1', null, ten), write(2, 'e2', ten, five)];
    expect(failureDetail(report([item(five)], raced), 'expectation: WALLET')).toBe('held {"balance":5}, after a write overwritten unread');
    // one after the other: each replaced what it read; one event alone: no loss. The shrinker keeps the race (it dropped e2)
    const inTurn = [read(0, 'e1', null), write(1, 'e1', null, ten), read(2, 'e2', ten), write(3, 'e2', ten, { ...ten, balance: 15 })];
    expect(failureDetail(report([item(ten)], inTurn), 'expectation: WALLET')).toBe('held {"balance":10}');
    expect(failureDetail(report([item(ten)], [read(0, 'e1', null), write(1, 'e1', null, ten)]), 'expectation: WALLET')).toBe('held {"balance":10}');
    // an update may merge (ADD): not counted; nor a handler's second put over its own first
    const update = { ...write(2, 'e2', ten, five), op: 'update' };
    expect(failureDetail(report([item(five)], [read(0, 'e1', null), read(0, 'e2', null), write(1, 'e1', null, ten), update]), 'expectation: WALLET')).toBe('held {"balance":5}');
    const twice = [read(0, 'e2', null), write(1, 'e2', null, ten), write(2, 'e2', ten, five)];
    expect(failureDetail(report([item(five)], twice), 'expectation: WALLET')).toBe('held {"balance":5}');
    // a projection of the item says nothing of what the write replaced
    expect(failureDetail(report([item(five)], [read(0, 'e2', { balance: 0 }, { request: { operation: 'GetItem', table: 'T', projection: 'balance' } }), write(2, 'e2', ten, five)]), 'expectation: WALLET')).toBe('held {"balance":5}');
  });
});

describe('failing the same way', () => {
  const effects: AssertionResult = { source: 'expectation', name: 'effects of key charge-1', passed: false, expected: 1, actual: 2 };
  const count: AssertionResult = { source: 'expectation', name: 'count discardedWrites', passed: false, expected: 0, actual: 2 };
  const invariant: AssertionResult = { source: 'invariant', name: 'at most one effect per idempotency key', passed: false, expected: 'no key applied twice', actual: 'applied more than once' };

  it('lists every failed assertion’s signature once, in order', () => {
    expect(failureSignatures(report([ok, count, effects, count]))).toEqual(['expectation: count discardedWrites (above)', 'expectation: effects of key charge-1 (above)']);
  });

  it('needs the assertion to fail as it did, and no assertion the run passed to fail', () => {
    const allowed = new Set(failureSignatures(report([count, effects])));
    expect(failsTheSameWay(report([effects]), 'expectation: effects of key charge-1 (above)', '', allowed)).toBe(true);
    expect(failsTheSameWay(report([count]), 'expectation: effects of key charge-1 (above)', '', allowed)).toBe(false);
    expect(failsTheSameWay(report([count, invariant]), 'expectation: count discardedWrites (above)', '', allowed)).toBe(false);
    const item: AssertionResult = { source: 'expectation', name: 'us-east-1 ORDER', passed: false, expected: { n: 2 }, actual: { n: 1 } };
    expect(failsTheSameWay(report([item]), 'expectation: ORDER', 'held {"n":1}', new Set(['expectation: ORDER']))).toBe(true);
    expect(failsTheSameWay(report([{ ...item, actual: null }]), 'expectation: ORDER', 'held {"n":1}', new Set(['expectation: ORDER']))).toBe(false);
  });
});

describe('describeFailure', () => {
  it('words the failed assertion as the text view does', () => {
    const above: AssertionResult = { source: 'expectation', name: 'effects of key charge-1', passed: false, expected: 1, actual: 2 };
    expect(describeFailure(report([ok, above]))).toBe('effects of key charge-1: expected 1, got 2');
    expect(describeFailure(report([ok]))).toBeUndefined();
  });
});
