import { describe, expect, it } from 'vitest';
import { describeFailure, failureSignature } from '../../src/explore/failure.js';
import type { AssertionResult, RunReport } from '../../src/trace/report.js';

const report = (assertions: AssertionResult[]) => ({ assertions }) as unknown as RunReport;
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

describe('describeFailure', () => {
  it('words the failed assertion as the text view does', () => {
    const above: AssertionResult = { source: 'expectation', name: 'effects of key charge-1', passed: false, expected: 1, actual: 2 };
    expect(describeFailure(report([ok, above]))).toBe('effects of key charge-1: expected 1, got 2');
    expect(describeFailure(report([ok]))).toBeUndefined();
  });
});
