import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOnDynamoDb } from '../../../src/pipeline/run-on-dynamodb.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../../src/backends/dynamodb-local/server.js';
import { loadScenarioFile } from '../../../src/scenario/load.js';
import { runScenario } from '../../../src/pipeline/run-scenario.js';
import { renderJson } from '../../../src/render/json.js';
import type { RunReport } from '../../../src/trace/report.js';
import { scenarioFromYaml } from '../../helpers/scenario.js';
import { HOME_RECORD_IN_DOWN_REGION } from '../../helpers/outage-scenarios.js';
import { interleavingYaml } from '../../helpers/request-latency-scenario.js';

/**
 * The model checked against a real implementation of the DynamoDB API: every scenario in
 * scenarios/ runs in the in-memory model and on DynamoDB Local (emulated replication), and must end
 * with the same items in every region, the same counts and the same assertion outcomes. Items hold
 * nothing geosim cannot control (client times are virtual), so they are compared as they are.
 */
const dir = new URL('../../../scenarios/', import.meta.url).pathname;
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
// MRSC scenarios run only in the model: DynamoDB Local has no MRSC (geosim run refuses them there);
// so do those with ttlDelay (DynamoDB deletes expired items on its own clock).
const scenarios = (
  await Promise.all(
    files.map(async (file) => {
      const loaded = await loadScenarioFile(join(dir, file));
      if (!loaded.ok) throw new Error(`${file} does not load: ${JSON.stringify(loaded.problems)}`);
      return { file, scenario: loaded.scenario };
    }),
  )
).filter(({ scenario }) => scenario.mode !== 'mrsc' && scenario.ttlDelayMs === undefined);

const outcomes = (report: RunReport) => report.assertions.map((a) => ({ name: a.name, passed: a.passed }));

/**
 * The report as `--format json` prints it (items in the canonical order), assertions as bytes and
 * trace events as a sorted list: events at one instant may come in another order on DynamoDB (a
 * write's replication-sent is noted when its stream record is read, after the write's event ends).
 */
function printed(report: RunReport): { assertions: string[]; trace: string[] } {
  const doc = JSON.parse(renderJson([report], { passed: 0, failed: 0 })) as { scenarios: Array<{ assertions: unknown[]; trace: Array<Record<string, unknown>> }> };
  const run = doc.scenarios[0]!;
  return { assertions: run.assertions.map((a) => JSON.stringify(a)), trace: run.trace.map(({ seq: _seq, ...e }) => JSON.stringify(e)).sort() };
}

describe('differential: in-memory model vs DynamoDB Local', () => {
  let server: DynamoDbLocal;
  beforeAll(async () => {
    server = await startDynamoDbLocal();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('covers every shipped scenario', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(19);
  });

  for (const { file, scenario } of scenarios) {
    it(`${file}: same final items, counts, assertions and trace events`, async () => {
      const model = await runScenario(scenario, { seed: scenario.seed });
      const real = await runOnDynamoDb(scenario, {
        seed: scenario.seed,
        endpoints: server.endpoint,
        local: false,
        replication: 'emulate',
        timeScale: 10,
      });
      expect(real.final).toEqual(model.final);
      expect(real.counts).toEqual(model.counts);
      expect(outcomes(real)).toEqual(outcomes(model));
      // what a user reads: the same assertions (actual items in the same order) and the same events
      expect(printed(real)).toEqual(printed(model));
      // the run's time is virtual on both (idle time skipped): they end at the same instant
      expect(real.endedAt).toBe(model.endedAt);
      expect(real.backend).toBe('dynamodb (custom endpoint, emulate replication, idle time skipped)');
    }, 120_000);
  }

  it('a request another region’s Lambda sends to a region that is down is refused on DynamoDB as in the model (it went through to the real table)', async () => {
    const scenario = scenarioFromYaml(HOME_RECORD_IN_DOWN_REGION);
    const model = await runScenario(scenario, { seed: scenario.seed });
    const real = await runOnDynamoDb(scenario, { seed: scenario.seed, endpoints: server.endpoint, local: false, replication: 'emulate', timeScale: 10 });
    expect(model.trace.filter((e) => e.kind === 'request-rejected')).toHaveLength(1);
    expect(printed(real)).toEqual(printed(model));
    expect(real.final).toEqual(model.final);
  }, 60_000);

  it('application.requestLatency: invocations interleave the same way on DynamoDB (continuations on its agenda)', async () => {
    const scenario = scenarioFromYaml(interleavingYaml('20ms'));
    const model = await runScenario(scenario, { seed: scenario.seed });
    const real = await runOnDynamoDb(scenario, { seed: scenario.seed, endpoints: server.endpoint, local: false, replication: 'emulate', timeScale: 1 });
    const writes = (r: RunReport) => r.trace.filter((e) => e.kind === 'local-write').map((e) => [e.t, e.region, e.itemId, 'cause' in e ? e.cause : undefined]);
    expect(writes(real)).toEqual(writes(model));
    expect(real.final).toEqual(model.final);
    expect(outcomes(real)).toEqual(outcomes(model));
  }, 60_000);
});
