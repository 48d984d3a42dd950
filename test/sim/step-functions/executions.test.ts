import { describe, expect, it } from 'vitest';
import { canonicalInput, ExecutionRegistry, NAME_REUSE_AFTER_MS } from '../../../src/sim/step-functions/executions.js';

describe('StartExecution idempotency (aws-semantics §5)', () => {
  it('Standard: same name and input while running returns the same execution', () => {
    const r = new ExecutionRegistry('standard');
    const first = r.start('us-east-1', 'k', 'in', 0);
    expect(first.kind).toBe('started');
    expect(r.start('us-east-1', 'k', 'in', 10)).toEqual({ kind: 'deduplicated', executionId: first.executionId });
  });

  it('Standard: a different input while running fails with ExecutionAlreadyExists', () => {
    const r = new ExecutionRegistry('standard');
    r.start('us-east-1', 'k', 'in', 0);
    expect(r.start('us-east-1', 'k', 'other', 10)).toMatchObject({ kind: 'rejected', error: 'ExecutionAlreadyExists', reason: 'different-input' });
  });

  it('Standard: any input after the execution closed fails with ExecutionAlreadyExists, until 90 days have passed', () => {
    const r = new ExecutionRegistry('standard');
    const first = r.start('us-east-1', 'k', 'in', 0);
    r.close(first.executionId, 100);
    expect(r.start('us-east-1', 'k', 'in', 200)).toMatchObject({ kind: 'rejected', reason: 'closed' });
    expect(r.start('us-east-1', 'k', 'in', 100 + NAME_REUSE_AFTER_MS)).toMatchObject({ kind: 'started' });
  });

  it('names are per region: the same name in another region starts a second execution', () => {
    const r = new ExecutionRegistry('standard');
    const east = r.start('us-east-1', 'k', 'in', 0);
    const west = r.start('eu-west-1', 'k', 'in', 0);
    expect(west.kind).toBe('started');
    expect(west.executionId).not.toBe(east.executionId);
  });

  it('Express never dedupes', () => {
    const r = new ExecutionRegistry('express');
    const a = r.start('us-east-1', 'k', 'in', 0);
    const b = r.start('us-east-1', 'k', 'in', 0);
    expect([a.kind, b.kind]).toEqual(['started', 'started']);
    expect(a.executionId).not.toBe(b.executionId);
  });

  it('compares inputs by content, not key order', () => {
    expect(canonicalInput({ b: 1, a: { d: 2, c: 3 } })).toBe(canonicalInput({ a: { c: 3, d: 2 }, b: 1 }));
    expect(canonicalInput({ a: 1 })).not.toBe(canonicalInput({ a: 2 }));
  });
});
