import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { javaAvailable } from '../helpers/dynamodb-local.js';

// Issue 13 item 7: the examples a team would recognise (examples/), their own handlers run
// unchanged, in the model and on DynamoDB Local, agreeing.
const EXAMPLES = ['examples/orders/lost-increments.yaml', 'examples/orders/fixed.yaml', 'examples/orders/retry-in-lag.yaml', 'examples/powertools/cross-region-retry.yaml'];

interface Verdicts {
  passed: number;
  failed: number;
  scenarios: Array<{ name: string; assertions: Array<{ name: string; passed: boolean }> }>;
}

function runExamples(extra: string[]): Verdicts {
  const r = spawnSync(process.execPath, ['bin/geosim', 'run', ...EXAMPLES, '--format', 'json', ...extra], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  expect(r.stderr).toMatch(/4 passed, 0 failed/);
  expect(r.status).toBe(0);
  const out = JSON.parse(r.stdout) as { passed: number; failed: number; scenarios: Array<{ scenario: { name: string }; assertions: Array<{ name: string; passed: boolean }> }> };
  return { passed: out.passed, failed: out.failed, scenarios: out.scenarios.map((s) => ({ name: s.scenario.name, assertions: s.assertions.map((a) => ({ name: a.name, passed: a.passed })) })) };
}

describe('the examples', () => {
  it('pass in the model', () => {
    const model = runExamples([]);
    expect(model.scenarios.map((s) => s.name)).toEqual(['orders-lost-increments', 'orders-fixed', 'orders-retry-in-lag', 'powertools-cross-region-retry']);
  });

  it.skipIf(!javaAvailable())('pass on DynamoDB Local with the same assertions as in the model (skipped when Java 17 is not installed; CI installs it)', () => {
    const model = runExamples([]);
    const local = runExamples(['--backend', 'dynamodb', '--local']);
    expect(local.scenarios).toEqual(model.scenarios);
  }, 180_000);
});
