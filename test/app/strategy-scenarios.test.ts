import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/pipeline/run-scenario.js';
import type { Scenario } from '../../src/scenario/model.js';
import { conflictFeed } from '../../src/trace/conflict-feed.js';
import type { RunReport } from '../../src/trace/report.js';
import { scenarioFromFile } from '../helpers/scenario.js';

async function run(file: string, strategy?: Scenario['application']['strategy']): Promise<RunReport> {
  const scenario = await scenarioFromFile(file);
  return runScenario(strategy ? { ...scenario, application: { ...scenario.application, strategy } } : scenario);
}

const passed = (r: RunReport) => r.assertions.filter((a) => !a.passed).map((a) => a.name);
const applicationRecords = (r: RunReport) => conflictFeed(r.trace).filter((c) => c.resolvedBy === 'application');

describe('a scenario per strategy tells its story', () => {
  it('lww-item: the service keeps one whole item; the feed shows the lost write and no application resolution', async () => {
    const r = await run('scenarios/strategy-lww-item.yaml');
    expect(passed(r)).toEqual([]);
    expect(conflictFeed(r.trace).some((c) => c.resolvedBy === 'service' && c.lost)).toBe(true);
    expect(applicationRecords(r)).toEqual([]);
    expect(r.counts.merges).toBe(0);
  });

  it('client-lww: the repair consumer writes back the later client write', async () => {
    const r = await run('scenarios/strategy-client-lww.yaml');
    expect(passed(r)).toEqual([]);
    expect(applicationRecords(r).map((c) => c.strategy)).toEqual(['client-lww']);
  });

  it('version: the interleaved increment fails its condition once, retries, and both count', async () => {
    const r = await run('scenarios/strategy-version.yaml');
    expect(passed(r)).toEqual([]);
    expect(r.trace.filter((e) => e.kind === 'event-outcome').map((e) => e.kind === 'event-outcome' && e.attempts)).toEqual([1, 2]);
  });

  for (const strategy of ['lww-attribute', 'automerge', 'counter', 'custom'] as const) {
    it(`${strategy}: a stream consumer merges the replaced version back in (conflict-resolved, nothing lost)`, async () => {
      const r = await run(`scenarios/strategy-${strategy}.yaml`);
      expect(passed(r)).toEqual([]);
      const merges = applicationRecords(r);
      expect(merges.length).toBeGreaterThan(0);
      expect(merges.every((c) => c.strategy === strategy && !c.lost)).toBe(true);
      // the count: merges whose result kept both versions
      expect(r.counts.merges).toBe(merges.filter((c) => JSON.stringify(c.result) !== JSON.stringify(c.versions[0]) && JSON.stringify(c.result) !== JSON.stringify(c.versions[1])).length);
      expect(r.counts.merges).toBeGreaterThan(0);
    });
  }

  it('the lww-attribute workload under lww-item loses the status update', async () => {
    const r = await run('scenarios/strategy-lww-attribute.yaml', 'lww-item');
    expect(r.final['us-east-1']!['ORDER#1']!.Data).toEqual({ note: 'fragile' });
  });
});

describe('concurrent-counter', () => {
  it('counter keeps all 21 views in every region', async () => {
    const r = await run('scenarios/concurrent-counter.yaml');
    expect(passed(r)).toEqual([]);
    for (const region of r.regions) expect(r.final[region]!['PAGE#home']!.Data).toEqual({ views: 21 });
  });

  for (const strategy of ['lww-item', 'client-lww', 'version'] as const) {
    it(`${strategy} loses increments to the table's last-writer-wins`, async () => {
      const r = await run('scenarios/concurrent-counter.yaml', strategy);
      const views = (r.final['us-east-1']!['PAGE#home']!.Data as { views: number }).views;
      expect(views).toBeLessThan(21);
      expect(passed(r)).toContain('us-east-1 PAGE#home');
    });
  }
});
