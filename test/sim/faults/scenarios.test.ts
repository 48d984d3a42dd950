import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/pipeline/run-scenario.js';
import { scenarioFromFile } from '../../helpers/scenario.js';

const FILES = ['pause-replication', 'region-outage', 'failover', 'lambda-retries', 'stream-retries', 'dlq-redrive', 'step-functions', 'clock-skew-change'];

describe('the fault scenarios in scenarios/', () => {
  for (const name of FILES) {
    it(`${name}.yaml passes every assertion and invariant, and replays to the same bytes`, async () => {
      const scenario = await scenarioFromFile(`scenarios/${name}.yaml`);
      const first = await runScenario(scenario);
      expect(first.assertions.filter((a) => !a.passed)).toEqual([]);
      expect(first.assertions.some((a) => a.source === 'invariant' && a.name.startsWith('conservation'))).toBe(true);
      expect(JSON.stringify(await runScenario(scenario))).toBe(JSON.stringify(first));
    });
  }
});
