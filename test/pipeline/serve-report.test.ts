import { describe, expect, it } from 'vitest';
import { serveReport } from '../../src/pipeline/serve-report.js';
import { renderJson } from '../../src/render/json.js';
import { quickStartScenario } from '../../src/serve/quick-start.js';
import { ServeSession } from '../../src/serve/session.js';
import type { Timers } from '../../src/serve/wall-clock-driver.js';

const noTimers: Timers = { set: () => 0, clear: () => {} };

describe('serveReport', () => {
  it("reports a stopped session as geosim run reports a run: final items, counts, the lag as declared", async () => {
    const at = { wall: 0 };
    const scenario = (quickStartScenario('us-east-1,eu-west-1', '300ms') as { ok: true; scenario: never }).scenario;
    const s = new ServeSession(scenario, { seed: 3, timeScale: 2, maxTraceEvents: 100, epochMs: 0, clock: () => at.wall, timers: noTimers });
    await s.endpointFor('us-east-1').handle('PutItem', { TableName: 'GlobalEventTable', Item: { Id: { S: 'A' }, n: { N: '1' } } });
    at.wall = 1000;
    await s.endpointFor('eu-west-1').handle('ListTables', {});
    const report = serveReport(await s.stop());
    expect(report).toMatchObject({ seed: 3, strategy: 'served', backend: 'geosim serve (time scale 2)', assertions: [], regions: ['us-east-1', 'eu-west-1'] });
    expect(report.final).toEqual({ 'us-east-1': { A: { Id: 'A', n: 1 } }, 'eu-west-1': { A: { Id: 'A', n: 1 } } });
    expect(report.counts.replicatedWrites).toBe(1);
    expect(report.lag).toEqual([
      { from: 'us-east-1', to: 'eu-west-1', lag: { distribution: 'fixed', ms: 300 } },
      { from: 'eu-west-1', to: 'us-east-1', lag: { distribution: 'fixed', ms: 300 } },
    ]);
    expect(report.stopped).toBeUndefined();
    // The trace file (renderJson's bytes) words the lag, as it always has.
    expect(renderJson([report], { passed: 1, failed: 0 })).toContain('"lag": [\n        "us-east-1→eu-west-1 fixed 300ms",\n        "eu-west-1→us-east-1 fixed 300ms"\n      ]');
  });
});
