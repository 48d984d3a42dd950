import chalk from 'chalk';
import { renderToString } from 'ink';
import { render } from 'ink-testing-library';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../../src/trace/report.js';
import { RunView } from '../../../src/render/ink/RunView.js';
import { failingReport, plain, reportOf } from './report-fixtures.js';

let concurrent: RunReport;
const chalkLevel = chalk.level;
beforeAll(async () => {
  concurrent = await reportOf('concurrent.yaml');
});
afterEach(() => {
  chalk.level = chalkLevel;
});

/** The column of each lane separator in a line of the grid. */
const separators = (line: string): number[] => [...line].flatMap((ch, i) => (ch === '│' ? [i] : []));

function gridLines(frame: string): string[] {
  const lines = frame.split('\n');
  const start = lines.findIndex((l) => /time\s*│/.test(l));
  const end = lines.findIndex((l, i) => i > start && l.startsWith('final items'));
  return lines.slice(start, end).filter((l) => l.trim() !== '');
}

describe('RunView (terminal view of a real report)', () => {
  it('has a lane per region and one for replication in flight, each step in its lane', () => {
    const frame = plain(render(<RunView report={concurrent} columns={120} />).lastFrame());
    const grid = gridLines(frame);
    const header = grid[0]!;
    const col = (name: string) => header.indexOf(name);
    expect(col('us-east-1')).toBeGreaterThan(0);
    expect(col('eu-west-1')).toBeGreaterThan(col('us-east-1'));
    expect(col('in flight')).toBeGreaterThan(col('eu-west-1'));
    // evt-2 happens in eu-west-1; the discarded replicated write lands in eu-west-1, from us-east-1.
    const event2 = grid.find((l) => l.includes('evt-2 key'))!;
    expect(event2.indexOf('EVENT')).toBe(col('eu-west-1'));
    const discard = grid.find((l) => l.includes('DISCARD'))!;
    expect(discard.indexOf('DISCARD ◂use1')).toBe(col('eu-west-1'));
    const send = grid.find((l) => l.includes('SEND'))!;
    expect(send.indexOf('SEND use1▸euw1')).toBe(col('in flight'));
    // Every trace event has a row (the time column is filled only on a step's first line).
    expect(grid.filter((l) => /^\s*\d+ms │/.test(l))).toHaveLength(concurrent.trace.length);
  });

  it('on a narrow terminal keeps a marker in each lane and moves the label to the wording', () => {
    const frame = plain(renderToString(<RunView report={concurrent} columns={60} />, { columns: 60 }));
    const grid = gridLines(frame);
    const header = grid[0]!;
    expect(header).toMatch(/time │ use1 +│ euw1 +│ flight +│ step/);
    const discard = grid.find((l) => l.includes('DISCARD'))!;
    expect(discard.indexOf('◂use1')).toBe(header.indexOf('euw1'));
    expect(discard).toMatch(/│ DISCARD ORDER#1/);
    const event1 = grid.find((l) => l.includes('EVENT evt-1'))!;
    expect(event1.indexOf('●')).toBe(header.indexOf('use1'));
  });

  it('shows a changed item before and after', () => {
    const frame = plain(render(<RunView report={concurrent} columns={140} />).lastFrame());
    const lines = frame.split('\n');
    const apply = lines.findIndex((l) => l.includes('APPLY ◂euw1') && l.includes('ORDER#1'));
    expect(lines[apply + 1]).toMatch(/before \{status: shipped\} v1 by us-east-1/);
    expect(lines[apply + 2]).toMatch(/after {2}\{status: cancelled\} v1 by eu-west-1/);
  });

  it.each([120, 80, 60, 44])('keeps the lanes straight at %i columns', (columns) => {
    const frame = plain(renderToString(<RunView report={concurrent} columns={columns} />, { columns }));
    const grid = gridLines(frame);
    const expected = separators(grid[0]!);
    expect(expected).toHaveLength(4);
    for (const line of grid) {
      expect(separators(line)).toEqual(expected);
      expect([...line].length).toBeLessThanOrEqual(columns);
    }
  });

  it('puts the final items of every region side by side', () => {
    const frame = plain(render(<RunView report={concurrent} columns={120} />).lastFrame());
    expect(frame).toMatch(/final items +all regions agree +after replication drained at 1s/);
    const row = frame.split('\n').find((l) => l.startsWith('= ORDER#1'))!;
    expect(row.match(/\{status: cancelled\} v1 by eu-west-1/g)).toHaveLength(2);
    expect(frame).toMatch(/idempotency records +│ 2 +│ 2/);
  });

  it('counts the records report.records names (a Powertools layer’s) with the idempotency records, not among the items', () => {
    const withPowertools: RunReport = structuredClone(concurrent);
    for (const region of withPowertools.regions) withPowertools.final[region]!['payments#abc'] = { Id: 'payments#abc', status: 'COMPLETED' };
    withPowertools.records = ['payments#abc'];
    const frame = plain(render(<RunView report={withPowertools} columns={120} />).lastFrame());
    expect(frame).toMatch(/idempotency records +│ 3 +│ 3/);
    expect(frame).not.toContain('payments#abc');
  });

  it('marks an item the regions disagree on', () => {
    const diverged: RunReport = structuredClone(concurrent);
    diverged.final['us-east-1']!['ORDER#1'] = { ...diverged.final['us-east-1']!['ORDER#1']!, Data: { status: 'shipped' } };
    const frame = plain(render(<RunView report={diverged} columns={120} />).lastFrame());
    expect(frame).toContain('1 diverged');
    const row = frame.split('\n').find((l) => l.includes('ORDER#1') && l.includes('shipped') && l.includes('cancelled'))!;
    expect(row.startsWith('≠ ORDER#1')).toBe(true);
  });

  it('lists assertions and a passing verdict', () => {
    const frame = plain(render(<RunView report={concurrent} columns={120} />).lastFrame());
    expect(frame).toContain('✓ converged: expected true, got true');
    expect(frame).toContain('✓ count discardedWrites: expected 1, got 1');
    expect(frame).toContain(`concurrent: PASSED (${concurrent.assertions.length} assertions)`);
  });

  it('spells out expected and actual of a failed assertion', async () => {
    const report = await failingReport();
    const frame = plain(render(<RunView report={report} columns={120} />).lastFrame());
    const lines = frame.split('\n');
    const failed = lines.findIndex((l) => l.includes('✗') && l.includes('ORDER#1'));
    expect(failed).toBeGreaterThan(0);
    expect(lines[failed + 1]).toMatch(/expected .*status: shipped/);
    expect(lines[failed + 2]).toMatch(/actual +\{Data: \{status: cancelled\}/);
    expect(frame).toMatch(/wrong-winner: FAILED: 2 of \d+ assertions failed/);
  });

  it('colours each kind of step with its own colour', async () => {
    chalk.level = 3;
    const reports = [concurrent, await reportOf('idempotency.yaml'), await reportOf('clock-skew.yaml'), await reportOf('condition-both-pass.yaml')];
    // The escape code in front of each label, per label.
    const codeOf = new Map<string, string>();
    for (const report of reports) {
      const frame = renderToString(<RunView report={report} columns={160} />, { columns: 160 });
      for (const m of frame.matchAll(/\u001B\[1m\u001B\[([0-9;]+)m([A-Z][A-Z ]+[A-Z])/g)) codeOf.set(m[2]!, m[1]!);
    }
    const kinds = ['EVENT', 'DUPLICATE', 'WRITE', 'COND FAIL', 'SEND', 'APPLY', 'DISCARD', 'REPAIR', 'CHECK'];
    for (const k of kinds) expect(codeOf.get(k), `colour of ${k}`).toBeDefined();
    const codes = kinds.map((k) => codeOf.get(k));
    expect(new Set(codes).size).toBe(kinds.length);
  });
});
