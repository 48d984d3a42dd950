import { beforeAll, describe, expect, it } from 'vitest';
import { renderText, showActual } from '../../src/render/text.js';
import type { RunReport } from '../../src/trace/report.js';
import { failingReport, reportOf } from './ink/report-fixtures.js';

let concurrent: RunReport;
beforeAll(async () => {
  concurrent = await reportOf('concurrent.yaml');
});

const separators = (line: string): number[] => [...line].flatMap((ch, i) => (ch === '│' ? [i] : []));

describe('renderText (the plain view for pipes, CI logs and NO_COLOR)', () => {
  it('has no escape codes', () => {
    expect(renderText(concurrent)).not.toMatch(/\u001b/);
  });

  it('lays the steps out in region lanes and an in-flight lane, one row per trace event', () => {
    const lines = renderText(concurrent).split('\n');
    const header = lines.find((l) => /time │/.test(l))!;
    expect(header).toMatch(/time │ us-east-1 +│ eu-west-1 +│ in flight +│ step$/);
    const grid = lines.filter((l) => /^ +(\d+ms)? │/.test(l));
    const at = separators(header);
    for (const line of grid) expect(separators(line)).toEqual(at);
    expect(grid.filter((l) => /^ +\d+ms │/.test(l))).toHaveLength(concurrent.trace.length);
    const column = (name: string) => header.indexOf(name);
    const discard = grid.find((l) => l.includes('DISCARD'))!;
    expect(discard.indexOf('DISCARD ◂use1')).toBe(column('eu-west-1'));
    expect(discard).toContain('ORDER#1 0ms@us-east-1 silently dropped: loses to 100ms@eu-west-1 (older); was {status: shipped}');
    const send = grid.find((l) => l.includes('SEND'))!;
    expect(send.indexOf('SEND use1▸euw1')).toBe(column('in flight'));
    const check = grid.find((l) => l.includes('CHECK'))!;
    expect(check.indexOf('CHECK')).toBe(column('us-east-1'));
    expect(check.lastIndexOf('CHECK')).toBe(column('eu-west-1'));
  });

  it('keeps the wording whole and shows before and after of a change', () => {
    const text = renderText(concurrent);
    expect(text).toMatch(/│ ORDER#1 100ms@eu-west-1 overwrites a concurrent write \(conflict\)\n.*│ {3}before \{status: shipped\} v1 by us-east-1 ts 00:00:00.000\n.*│ {3}after {2}\{status: cancelled\} v1 by eu-west-1 ts 00:00:00.100/);
  });

  it('ends with the final items, the assertions and the verdict', async () => {
    const text = renderText(concurrent);
    expect(text).toMatch(/final items \(after replication drained at 1s\)\n +ORDER#1 +us-east-1 +\{status: cancelled\}/);
    expect(text).toContain('ok   converged: expected true, got true');
    const n = concurrent.assertions.length;
    expect(text.trimEnd().split("\n").at(-1)).toBe(`   concurrent: PASSED (${n} assertions)`);
    const failing = renderText(await failingReport());
    expect(failing).toMatch(/FAIL .*ORDER#1: expected \{Data: \{status: shipped\}\}, got \{Data: \{status: cancelled\}, IdempotencyKey: k2, LastUpdatedRegion: eu-west-1/);
    expect(failing.trimEnd().split('\n').at(-1)).toMatch(/wrong-winner: FAILED/);
  });
});

describe('showActual', () => {
  const item = { Id: 'X#o1', IdempotencyKey: 'o1', Data: { n: 1 }, Version: 1 };
  it('shows a passed item in its short form, which leaves the idempotency key out', () => {
    expect(showActual({ expected: { Data: { n: 1 } }, actual: item, passed: true })).toBe('{n: 1} v1');
  });
  it('shows the attribute an expectation names even when the short form leaves it out, so "expected {IdempotencyKey: o1}" is not answered by "got {}"', () => {
    expect(showActual({ expected: { IdempotencyKey: 'o1' }, actual: item, passed: true })).toContain('IdempotencyKey: o1');
  });
  it('shows a failed item in full', () => {
    expect(showActual({ expected: { Data: { n: 2 } }, actual: item, passed: false })).toContain('IdempotencyKey: o1');
  });
});
