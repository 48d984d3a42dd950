import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../src/pipeline/run-scenario.js';
import { scenarioFromFile } from './helpers/scenario.js';

// Issue 10 item 23: every shipped scenario tells its story whatever the seed (`geosim run
// scenarios --seed N` must pass for any N), so CI runs them all under several seeds.
const SEEDS = [1, 2, 7, 42, 1234];
const files = readdirSync('scenarios')
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('shipped scenarios pass for any seed', () => {
  it('finds the shipped scenarios', () => {
    expect(files.length).toBeGreaterThanOrEqual(18);
  });

  it.each(files)('%s', async (file) => {
    const scenario = await scenarioFromFile(`scenarios/${file}`);
    for (const seed of SEEDS) {
      const report = await runScenario(scenario, { seed });
      const failed = report.assertions.filter((a) => !a.passed).map((a) => `${a.name}: expected ${JSON.stringify(a.expected)}, got ${JSON.stringify(a.actual)}`);
      expect({ seed, failed }).toEqual({ seed, failed: [] });
    }
  });
});
