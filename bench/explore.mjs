// `geosim explore` throughput (issue 14): runs per second on a scenario the size of
// scenarios/concurrent.yaml (two events on one item, one per region, their times drawn, lags drawn),
// one worker and two worker threads, and the ratio (goal: >= 2,000 runs/s on one worker, two
// workers >= 1.7x); then the time to find and shrink the planted race (a retry inside the lag
// window, test/fixtures/explore/retry-in-lag.yaml; goal under 10 s). The same for a user module
// through the SDK (examples/orders' handler, SQS events). Run after `npm run build`:
//   node bench/explore.mjs [runs=20000]
import { loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parse } from 'yaml';
import { Explorer, inProcessRunner, search, workerRunners } from '../dist/explore/engine.js';
import { failureSignature } from '../dist/explore/failure.js';
import { runInput } from '../dist/explore/run-input.js';
import { lagFloors, pinLags } from '../dist/explore/pin-lags.js';
import { shrink } from '../dist/explore/shrink.js';
import { silenceSdkNodeNotice } from '../dist/backends/dynamodb/sdk-notice.js';

silenceSdkNodeNotice();
const RUNS = Number(process.argv[2] ?? 20000);
const path = (p) => fileURLToPath(new URL(`../${p}`, import.meta.url));

/** concurrent.yaml's two updates with drawn times: every run passes, so the search runs its whole budget. */
const builtIn = {
  name: 'bench-explore',
  regions: ['us-east-1', 'eu-west-1'],
  replication: { lag: { distribution: 'uniform', min: 300, max: 900 } },
  application: { strategy: 'client-lww', idempotency: 'local' },
  steps: [
    { at: { between: [0, 200] }, event: { id: 'evt-1', region: 'us-east-1', key: 'order-1-shipped', item: 'ORDER#1', data: { status: 'shipped' } } },
    { at: { between: [0, 200] }, event: { id: 'evt-2', region: 'eu-west-1', key: 'order-1-cancelled', item: 'ORDER#1', data: { status: 'cancelled' } } },
  ],
  expect: { converged: true, effects: { 'order-1-shipped': 1, 'order-1-cancelled': 1 } },
};

/** The same shape through examples/orders' handler (a user module, the AWS SDK v3, SQS events). */
const userModule = {
  name: 'bench-explore-module',
  regions: ['us-east-1', 'eu-west-1'],
  replication: { lag: { distribution: 'uniform', min: 300, max: 900 } },
  application: { module: './src/orders.ts', handler: 'handler', event: 'sqs', env: { TABLE_NAME: 'GlobalEventTable', ORDER_REGIONS: 'us-east-1,eu-west-1' }, latency: '5ms' },
  steps: [
    { at: { between: [0, 200] }, event: { id: 'order-1', region: 'us-east-1', type: 'OrderPlaced', item: 'ORDER#1', data: { customerId: 'CUSTOMER#7', total: 10 } } },
    { at: { between: [0, 200] }, event: { id: 'order-2', region: 'eu-west-1', type: 'OrderPlaced', item: 'ORDER#2', data: { customerId: 'CUSTOMER#8', total: 30 } } },
  ],
  expect: { converged: true, effects: { 'order-1': 1, 'order-2': 1 } },
};

/** The planted race through the handler: its retry lands in eu-west-1 at some time in five minutes. */
const userRace = {
  ...userModule,
  name: 'bench-explore-module-race',
  steps: [
    { at: 0, event: { id: 'order-1', region: 'us-east-1', type: 'OrderPlaced', item: 'ORDER#1', data: { customerId: 'CUSTOMER#7', total: 30 } } },
    { at: { between: [0, '5m'] }, retry: { of: 'order-1', region: 'eu-west-1' } },
    { at: '6m', event: { id: 'order-2', region: 'us-east-1', type: 'OrderPlaced', item: 'ORDER#2', data: { customerId: 'CUSTOMER#7', total: 5 } } },
  ],
  expect: { converged: true, effects: { 'order-1': 1, 'order-2': 1 } },
};

async function throughput(setup, workers, runs) {
  const runners = workers === 1 ? [inProcessRunner(new Explorer(setup))] : await workerRunners(setup, workers);
  try {
    // Warm up (module loading, JIT) before the clock starts; the same runners then run the budget.
    await search({ runs: Math.min(2000, Math.ceil(runs / 5)) }, runners, 0);
    const start = performance.now();
    const result = await search({ runs, keepGoing: true }, runners, 0);
    const ms = performance.now() - start;
    if (result.failures.length > 0) throw new Error(`${setup.template.name}: a run failed: ${result.failures[0].signature}`);
    return { runsPerS: (result.runs / ms) * 1000, ms };
  } finally {
    await Promise.all(runners.map((r) => r.close()));
  }
}

async function findAndShrink(setup) {
  const explorer = new Explorer(setup);
  const start = performance.now();
  const result = await search({ runs: 20_000 }, [inProcessRunner(explorer)], 0);
  const found = performance.now();
  const failure = result.failures[0];
  if (!failure) throw new Error(`${setup.template.name}: the planted race was not found`);
  const { plan, lags } = await explorer.runRecorded(failure.index);
  const shrunk = await shrink(pinLags(plan.input, lags, Number(plan.input.seed)), failure.signature, (input) => runInput(input, { file: setup.file }), { lagFloors: lagFloors(plan.input) });
  const check = failureSignature(await runInput(shrunk.input, { file: setup.file }));
  if (check !== failure.signature) throw new Error('the shrunk repro does not fail the same way');
  return { index: failure.index, findMs: found - start, shrinkMs: shrunk.ms, shrinkRuns: shrunk.runs, steps: shrunk.input.steps.length };
}

const sides = [
  ['built-in application', { template: builtIn, file: path('bench/explore.yaml'), seed: 1 }, { template: parse(readFileSync(path('test/fixtures/explore/retry-in-lag.yaml'), 'utf8')), file: path('test/fixtures/explore/retry-in-lag.yaml'), seed: 1 }, RUNS],
  ['user module via the SDK', { template: userModule, file: path('examples/orders/bench.yaml'), seed: 1 }, { template: userRace, file: path('examples/orders/bench.yaml'), seed: 1 }, Math.max(100, Math.round(RUNS / 100))],
];

console.log(`node ${process.version}, load average ${loadavg()[0].toFixed(1)}`);
for (const [name, setup, race, runs] of sides) {
  const one = await throughput(setup, 1, runs);
  const two = await throughput(setup, 2, runs);
  const r = await findAndShrink(race);
  console.log(`  ${name}`);
  console.log(`    ${runs} runs: 1 worker ${Math.round(one.runsPerS).toLocaleString('en').padStart(6)} runs/s, 2 workers ${Math.round(two.runsPerS).toLocaleString('en').padStart(6)} runs/s: ${(two.runsPerS / one.runsPerS).toFixed(2)}x`);
  console.log(`    planted race: found at run ${r.index} in ${(r.findMs / 1000).toFixed(2)} s, shrunk in ${(r.shrinkMs / 1000).toFixed(2)} s (${r.shrinkRuns} runs) to ${r.steps} steps`);
  if (name === 'built-in application') {
    console.log(`    goals: >= 2,000 runs/s on one worker: ${one.runsPerS >= 2000 ? 'MET' : 'MISSED'}; two workers >= 1.7x: ${two.runsPerS / one.runsPerS >= 1.7 ? 'MET' : 'MISSED'}; shrink under 10 s: ${r.shrinkMs < 10_000 ? 'MET' : 'MISSED'}`);
  }
}
