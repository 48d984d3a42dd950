import { describe, expect, it } from 'vitest';
import { renderText } from '../../src/render/text.js';
import { runScenario } from '../../src/pipeline/run-scenario.js';
import { scenarioFromYaml } from '../helpers/scenario.js';

/**
 * Issue 10 item 18: the plain view (the default whenever output is piped) spread every lane cell
 * into Math.max and overflowed the stack from about 20,000 steps over two regions (exit 70).
 * The scenario is built here: one put, repeated 30,000 times, one millisecond apart.
 */
describe('renderText on a long run', () => {
  it('renders a 30,000-step run over two regions', async () => {
    const base = scenarioFromYaml(`
name: long-run
regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 100 } }
application: { strategy: service-lww, idempotency: none }
steps:
  - { at: 0, put: { region: us-east-1, item: { Id: "GAUGE#1", level: 0 } } }
`);
    const template = base.steps[0]!;
    if (template.kind !== 'write' || template.op.kind !== 'put') throw new Error('expected a put step');
    const op = template.op;
    const steps = Array.from({ length: 30_000 }, (_, i) => ({ ...template, at: i, index: i, op: { ...op, item: { ...op.item, level: i } } }));
    const report = await runScenario({ ...base, steps }, {});
    expect(report.trace.length).toBeGreaterThanOrEqual(30_000);
    const text = renderText(report);
    expect(text).toContain('long-run');
    // The last writes happen after 29.999 s of virtual time: the time column reads in seconds.
    expect(text).toMatch(/\n +29\.999s │ WRITE/);
  }, 120_000);
});
