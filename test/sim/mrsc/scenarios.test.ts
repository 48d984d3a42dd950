import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/pipeline/run-scenario.js';
import type { RunReport } from '../../../src/trace/report.js';
import { scenarioFromFile } from '../../helpers/scenario.js';

const DIR = join(import.meta.dirname, '../../../scenarios');

async function report(name: string, seed?: number): Promise<RunReport> {
  return runScenario(await scenarioFromFile(join(DIR, `${name}.yaml`)), seed === undefined ? {} : { seed });
}

describe('scenarios/mrsc-*.yaml: one per MRSC rule, each passing its assertions', () => {
  const files = readdirSync(DIR).filter((f) => /^mrsc-.*\.yaml$/.test(f));

  it('has the seven rules', () => {
    expect(files.sort()).toEqual(['mrsc-quorum-loss.yaml', 'mrsc-retry-duplicate.yaml', 'mrsc-stale-read.yaml', 'mrsc-transactions.yaml', 'mrsc-witness-outage.yaml', 'mrsc-write-conflict.yaml', 'mrsc-write-latency.yaml']);
  });

  it.each(files)('%s passes under seeds 1, 2 and 3', async (file) => {
    for (const seed of [1, 2, 3]) {
      const r = await report(file.replace(/\.yaml$/, ''), seed);
      expect(r.mode).toBe('mrsc');
      expect(r.assertions.filter((a) => !a.passed)).toEqual([]);
    }
  });

  it('retry-duplicate: the MREC twin (cross-region-retry) applies the charge twice, MRSC once', async () => {
    const mrec = await report('cross-region-retry');
    const mrsc = await report('mrsc-retry-duplicate');
    expect(mrec.counts.effects['charge-1']).toBe(2);
    expect(mrsc.counts.effects['charge-1']).toBe(1);
  });

  it('write-conflict: the refusal and the SDK retry are in the trace, in that order', async () => {
    const r = await report('mrsc-write-conflict');
    const kinds = r.trace.filter((e) => e.kind === 'operation-failed' || e.kind === 'sdk-retry').map((e) => e.kind);
    expect(kinds).toEqual(['operation-failed', 'sdk-retry']);
  });

  it('quorum-loss: a strong read in the cut-off region is refused', async () => {
    const r = await report('mrsc-quorum-loss');
    expect(r.trace.filter((e) => e.kind === 'operation-failed').every((e) => e.kind === 'operation-failed' && e.region === 'us-west-2' && e.error.name === 'InternalServerError')).toBe(true);
  });

  it('transactions: refused with ValidationException; the witness has no replica', async () => {
    const r = await report('mrsc-transactions');
    expect(r.trace.find((e) => e.kind === 'operation-failed')).toMatchObject({ error: { name: 'ValidationException' }, transaction: 'tx1' });
    expect(Object.keys(r.final)).toEqual(['eu-west-1', 'eu-west-2']);
  });

  it('witness-outage: the witness down costs nothing until the replicas are cut apart too; then both refuse writes', async () => {
    const r = await report('mrsc-witness-outage');
    expect(r.trace.filter((e) => e.kind === 'event-outcome').map((e) => e.kind === 'event-outcome' && [e.t, e.eventId, e.outcome])).toEqual([
      [1548, 'added', 'applied'],
      [2659, 'more', 'failed'],
      [3548, 'removed', 'applied'],
      [5048, 'more', 'applied'],
    ]);
    const refused = r.trace.filter((e) => e.kind === 'operation-failed');
    expect(refused.map((e) => e.kind === 'operation-failed' && [e.region, e.error.name])).toEqual(Array(3).fill(['us-east-1', 'InternalServerError']));
    expect(r.trace.find((e) => e.kind === 'fault-started')).toMatchObject({ regions: ['us-west-2'], description: 'us-west-2 (the witness) is down: it confirms no write' });
    expect(Object.keys(r.final)).toEqual(['us-east-1', 'us-east-2']);
    const { perfettoChunks } = await import('../../../src/render/perfetto/chunks.js');
    const doc = JSON.parse([...perfettoChunks([r])].join('')) as { traceEvents: { name: string; args: { name?: string } }[] };
    expect(doc.traceEvents.filter((e) => e.name === 'process_name').map((e) => e.args.name)).toEqual(['us-east-1', 'us-east-2', 'us-west-2 (witness)']);
  });

  it('write-latency: answers at the round trips 24 ms and 70 ms', async () => {
    const r = await report('mrsc-write-latency');
    expect(r.trace.filter((e) => e.kind === 'event-outcome').map((e) => e.t)).toEqual([24, 1570]);
  });
});
