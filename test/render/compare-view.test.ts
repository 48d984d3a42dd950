import { describe, expect, it } from 'vitest';
import type { CombinationMetrics, Comparison } from '../../src/compare/metrics.js';
import { renderComparisonJson } from '../../src/render/compare-json.js';
import { renderComparisonPretty } from '../../src/render/compare-pretty.js';
import { renderComparison } from '../../src/render/compare-view.js';

function column(strategy: string, final: CombinationMetrics['final'], over: Partial<CombinationMetrics> = {}): CombinationMetrics {
  return {
    mode: 'mrec',
    strategy,
    final,
    outcomes: { events: 4, applied: 4, superseded: 0, duplicates: 0, failed: 0, deadLettered: 0, lost: 0 },
    lostWrites: 0,
    conflicts: { resolved: 1, merged: 0, refused: 0 },
    retries: { total: 0, sdk: 0, version: 0, lambda: 0 },
    writeUnits: { total: 12, local: 8, replicated: 4 },
    latencyMs: { samples: 2, p50: 5, p95: 1500, p99: 1500, max: 1500 },
    assertions: { passed: 3, total: 3, failed: [] },
    passed: true,
    endedAt: 900,
    ...over,
  };
}

const same = { Id: 'COUNTER#1', Data: { n: 3 }, Version: 3, LastUpdatedRegion: 'us-east-1', Timestamp: 1767225600000 };
const comparison: Comparison = {
  scenario: { name: 'counter', file: 'scenarios/counter.yaml' },
  seed: 1,
  regions: ['us-east-1', 'us-east-2'],
  combinations: [
    column('lww-item', { 'us-east-1': { 'COUNTER#1': same, 'IDEMPOTENCY#k': { Id: 'IDEMPOTENCY#k' } }, 'us-east-2': { 'COUNTER#1': same } }, { lostWrites: 2, assertions: { passed: 2, total: 3, failed: ['effects of key k'] }, passed: false }),
    column('counter', { 'us-east-1': { 'COUNTER#1': { ...same, Data: { n: 5 } } }, 'us-east-2': { 'COUNTER#1': { ...same, Data: { n: 4 } } } }, { retries: { total: 3, sdk: 2, version: 1, lambda: 0 }, conflicts: { resolved: 2, merged: 2, refused: 0 }, outcomes: { events: 4, applied: 2, superseded: 1, duplicates: 0, failed: 1, deadLettered: 0, lost: 0 } }),
  ],
};

describe('compare views', () => {
  it('text: a column per combination, diverged regions per row, = for a region holding what the one above holds, no escape codes', () => {
    const text = renderComparison(comparison);
    expect(text).not.toMatch(/\u001b\[/);
    expect(text).toContain('━━ compare counter  (scenarios/counter.yaml)');
    const rows = text.split('\n');
    const row = (label: string) => rows.find((l) => l.startsWith(label))!;
    expect(row('lost writes')).toMatch(/^lost writes +│ 2 +│ 0$/);
    // how the events ended: a superseded or failed event is what a strategy or a mode costs (no row said it)
    expect(row('events')).toMatch(/^events +│ 4 \(applied 4\) +│ 4 \(applied 2, superseded 1, failed 1\)$/);
    expect(row('retries')).toMatch(/│ 0 +│ 3 \(sdk 2, conditional 1\)$/);
    expect(row('conflicts')).toMatch(/│ 1 +│ 2 \(merged 2\)$/);
    expect(row('latency p50')).toMatch(/│ 5ms +│ 5ms$/);
    expect(row('        p95')).toMatch(/│ 1\.5s +│ 1\.5s$/);
    expect(row('assertions')).toMatch(/│ 2\/3 FAILED +│ 3\/3 passed$/);
    // lww-item converged (the second region shows =), counter did not; idempotency records are not items.
    expect(row('    us-east-1')).toMatch(/│ \{n: 3\} v3 by us-east-1 +│ \{n: 5\} v3 by us-east-1$/);
    expect(row('    us-east-2')).toMatch(/│ = +│ \{n: 4\} v3 by us-east-1$/);
    expect(text).not.toContain('IDEMPOTENCY');
    expect(text).not.toContain('ts 00:00');
    expect(text).toContain('✘ mrec · lww-item: failed effects of key k');
    for (const line of rows) expect([...line].length).toBeLessThanOrEqual(100);
  });

  it('one row for every region when every column converged', () => {
    const converged: Comparison = { ...comparison, combinations: [comparison.combinations[0]!] };
    expect(renderComparison(converged)).toMatch(/\n {4}every region +│ \{n: 3\} v3 by us-east-1\n/);
  });

  it('pretty: the same table in colour, at the terminal width', () => {
    const pretty = renderComparisonPretty(comparison, { columns: 120, colorLevel: 1 });
    expect(pretty).toMatch(/\u001b\[3[1-3]m/);
    expect(pretty.replace(/\u001b\[[0-9;]*m/g, '')).toBe(renderComparison(comparison, { width: 120 }));
    expect(renderComparisonPretty(comparison, { columns: 120, colorLevel: 0 })).not.toMatch(/\u001b\[/);
  });

  it('pretty: no line wider than the terminal from 30 columns up (the layout stayed 60 wide; the title and seed lines never wrapped); below 30, 30', () => {
    const plain = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');
    const long: Comparison = { ...comparison, scenario: { name: 'counter-with-a-longer-name', file: 'scenarios/some/deeper/directory/counter-with-a-longer-name.yaml' }, witness: 'us-west-2' };
    for (const shown of [comparison, long]) {
      for (let columns = 30; columns <= 130; columns++) {
        const lines = plain(renderComparisonPretty(shown, { columns, colorLevel: 1 })).split('\n');
        expect(lines.filter((line) => [...line].length > columns), `${columns} columns`).toEqual([]);
      }
      expect(Math.max(...plain(renderComparisonPretty(shown, { columns: 20, colorLevel: 0 })).split('\n').map((line) => [...line].length))).toBeLessThanOrEqual(30);
    }
    // a title that does not fit wraps under its text, as does the seed line
    expect(plain(renderComparisonPretty(long, { columns: 60, colorLevel: 1 })).split('\n').slice(0, 4)).toEqual([
      '━━ compare counter-with-a-longer-name',
      '   (scenarios/some/deeper/directory/',
      '   counter-with-a-longer-name.yaml)',
      '   seed 1 · regions us-east-1, us-east-2 + witness us-west-2',
    ]);
    // where everything fits, the lines are the text view's at that width
    expect(plain(renderComparisonPretty(comparison, { columns: 80, colorLevel: 1 }))).toBe(renderComparison(comparison, { width: 80 }));
  });

  it('json: every measure per combination, final items in canonical order', () => {
    const doc = JSON.parse(renderComparisonJson(comparison));
    expect(doc).toMatchObject({ geosim: 1, scenario: comparison.scenario, seed: 1, regions: ['us-east-1', 'us-east-2'] });
    expect(doc.combinations.map((c: CombinationMetrics) => [c.strategy, c.lostWrites, c.passed])).toEqual([['lww-item', 2, false], ['counter', 0, true]]);
    expect(Object.keys(doc.combinations[0].final['us-east-1']['COUNTER#1'])).toEqual(['Id', 'Data', 'LastUpdatedRegion', 'Timestamp', 'Version']);
    expect(doc.combinations[1].latencyMs).toEqual({ samples: 2, p50: 5, p95: 1500, p99: 1500, max: 1500 });
    expect('witness' in doc).toBe(false);
  });

  it('names MRSC’s witness beside the regions, in the text header and the JSON', () => {
    const withWitness: Comparison = { ...comparison, witness: 'us-west-2' };
    expect(renderComparison(withWitness, { width: 120 }).split('\n')[1]).toBe('   seed 1 · regions us-east-1, us-east-2 + witness us-west-2 · 2 combinations');
    expect(JSON.parse(renderComparisonJson(withWitness))).toMatchObject({ regions: ['us-east-1', 'us-east-2'], witness: 'us-west-2' });
  });
});
