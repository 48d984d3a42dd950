import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dynamoUnsupportedReason, runOnDynamoDb } from '../../../src/backends/dynamodb/run.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../../src/backends/dynamodb-local/server.js';
import { loadScenarioFile } from '../../../src/scenario/load.js';
import { runScenario } from '../../../src/sim/run.js';
import type { RunReport } from '../../../src/trace/report.js';

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
// Loaded while the tests are collected, so a scenario the backend cannot run gets a test named
// after the reason.
const scenarios = await Promise.all(
  files.map(async (file) => {
    const loaded = await loadScenarioFile(join(dir, file));
    if (!loaded.ok) throw new Error(`${file} does not load: ${JSON.stringify(loaded.problems)}`);
    return { file, scenario: loaded.scenario, reason: dynamoUnsupportedReason(loaded.scenario) };
  }),
);

const outcomes = (report: RunReport) => report.assertions.map((a) => ({ name: a.name, passed: a.passed }));

describe('differential: in-memory model vs DynamoDB Local', () => {
  let server: DynamoDbLocal;
  beforeAll(async () => {
    server = await startDynamoDbLocal();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('has scenarios the backend can run', () => {
    expect(scenarios.filter((s) => s.reason === undefined).length).toBeGreaterThan(0);
  });

  for (const { file, scenario, reason } of scenarios) {
    if (reason !== undefined) {
      // Listed with its reason, and held to it: the backend refuses the scenario before any request.
      it(`${file} is not run on DynamoDB: ${reason}`, async () => {
        await expect(
          runOnDynamoDb(scenario, { seed: scenario.seed, endpoints: 'http://127.0.0.1:9', local: false, replication: 'emulate', timeScale: 10 }),
        ).rejects.toThrow(reason);
      });
      continue;
    }
    it(`${file}: same final items, counts and assertion outcomes`, async () => {
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
      expect(real.backend).toMatch(/^dynamodb \(custom endpoint, emulate replication/);
    }, 120_000);
  }
});
