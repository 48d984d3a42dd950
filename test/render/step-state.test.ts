import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { statesByStep } from '../../src/render/step-state.js';
import { reportOf } from './ink/report-fixtures.js';

describe('statesByStep (item state per step, from the trace alone)', () => {
  const files = readdirSync('scenarios').filter((f) => f.endsWith('.yaml')).sort();

  it.each(files)('replays %s into the report\'s final items with nothing left in flight', async (file) => {
    const report = await reportOf(file);
    const states = statesByStep(report.regions, report.trace);
    expect(states).toHaveLength(report.trace.length);
    expect(states.at(-1)?.items ?? Object.fromEntries(report.regions.map((r) => [r, {}]))).toEqual(report.final);
    expect(states.at(-1)?.inFlight ?? []).toEqual([]);
  });

  it('tracks a write in flight from its send to its arrival, and the item each step changed', async () => {
    const report = await reportOf('concurrent.yaml');
    const states = statesByStep(report.regions, report.trace);
    const sent = report.trace.findIndex((e) => e.kind === 'replication-sent' && e.itemId === 'ORDER#1' && e.from === 'us-east-1');
    const landed = report.trace.findIndex((e) => e.kind === 'replication-discarded' && e.itemId === 'ORDER#1');
    expect(states[sent - 1]!.inFlight.some((f) => f.itemId === 'ORDER#1' && f.from === 'us-east-1')).toBe(false);
    expect(states[sent]!.inFlight).toContainEqual(expect.objectContaining({ itemId: 'ORDER#1', from: 'us-east-1', to: 'eu-west-1', arrivesAt: 800 }));
    expect(states[landed]!.inFlight.some((f) => f.itemId === 'ORDER#1' && f.from === 'us-east-1')).toBe(false);
    // The discarded write changed nothing: eu-west-1 still holds its own.
    expect(states[landed]!.changed).toBeUndefined();
    expect(states[landed]!.items['eu-west-1']!['ORDER#1']!.Data).toEqual({ status: 'cancelled' });
    expect(states[sent - 1]!.changed).toEqual({ region: 'us-east-1', itemId: 'ORDER#1' });
  });
});
