import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { Explorer } from '../../src/explore/engine.js';
import { runInput } from '../../src/explore/run-input.js';

// The search makes each run's Scenario from the template compiled once; a repro is the plan's
// concrete input loaded the slow way. They must be the same run, byte for byte.
const ROOT = join(import.meta.dirname, '..', '..');
const FILES = ['scenarios/concurrent.yaml', 'scenarios/explore/retry-in-lag.yaml', 'scenarios/explore/lost-update.yaml', 'test/fixtures/explore/three-ms.yaml', 'scenarios/clock-skew-change.yaml'];

describe('a run of the search is the run of its concrete input', () => {
  it.each(FILES)('%s: the compiled Scenario gives the same report as runInput of the pinned input, biased and uniform runs', async (rel) => {
    const file = join(ROOT, rel);
    const explorer = new Explorer({ template: parse(readFileSync(file, 'utf8')) as Record<string, unknown>, file, seed: 3 });
    for (let i = 0; i < 12; i++) {
      const plan = explorer.plan(i);
      const slow = await runInput(plan.input, { file, ...(plan.lagSource ? { lagSource: plan.lagSource } : {}) });
      expect(JSON.stringify(await explorer.report(i)), `${rel} run ${i}`).toBe(JSON.stringify(slow));
    }
  });
});
