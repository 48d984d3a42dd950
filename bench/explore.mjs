// `geosim explore` throughput (issue 14): runs per second on a scenario the size of
// scenarios/concurrent.yaml (two events on one item, one per region, their times drawn, lags drawn),
// one worker and two (this thread and a worker thread, as `--workers 2` runs), and the ratio
// (goal: >= 2,000 runs/s on one worker, two workers >= 1.7x); whole searches of a few sizes as the
// CLI runs them; then the time to find and shrink the planted race (a retry inside the lag
// window, test/fixtures/explore/retry-in-lag.yaml; goal under 10 s). The same for a user module
// through the SDK (examples/orders' handler, SQS events). Run after `npm run build`:
//   node bench/explore.mjs [runs=20000]
import { loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { parse } from 'yaml';
import { Explorer, inProcessRunner, search, searchRunners } from '../dist/explore/engine.js';
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

/**
 * Runs per second of `runs` runs on fresh runners: cold (the first `runs`, V8 still compiling: what
 * a short search gets) and warm (the next `runs`, after each runner's own `warm` runs: what a
 * search of a minute or more gets). V8 optimizes while a runner warms up: `node --trace-opt` shows
 * 434 optimizations in the first 6,000 runs of scenarios/concurrent.yaml and 10 in the next
 * 42,000. Those compile on background threads, which on two cores compete with the second worker,
 * so the cold ratio of two workers to one understates what a long search gets.
 */
async function throughput(setup, workers, runs, warm) {
  // `--workers 2` as the CLI runs it (this thread and a worker thread), the thread started at once
  // to measure what it adds; `bySize` measures the CLI's own choice of when to start it
  const arranged = searchRunners(new Explorer(setup), workers);
  const runners = [...arranged.now, ...(arranged.later ? await arranged.later.start() : [])];
  const timed = async (budget) => {
    const start = performance.now();
    const result = await search({ runs: budget, keepGoing: true }, runners, 0);
    const ms = performance.now() - start;
    if (result.failures.length > 0) throw new Error(`${setup.template.name}: a run failed: ${result.failures[0].signature}`);
    return (result.runs / ms) * 1000;
  };
  try {
    const cold = await timed(runs);
    await timed(warm * workers);
    return { cold, warm: await timed(runs) };
  } finally {
    await arranged.close();
  }
}

/**
 * Wall time of whole searches of `sizes` runs on fresh runners, as `geosim explore --workers K`
 * runs them: the worker thread starts only when the search has seconds left (JOIN_IF_LEFT_MS).
 */
async function wholeSearch(setup, workers, runs) {
  const arranged = searchRunners(new Explorer(setup), workers);
  const start = performance.now();
  try {
    await search({ runs, keepGoing: true }, arranged.now, 0, arranged.later);
    return { ms: performance.now() - start, threads: arranged.threads };
  } finally {
    await arranged.close();
  }
}

/** `wholeSearch` on 1 and on 2 workers, alternated twice per size (this thread is warm by then; a worker thread never is): the faster of each. */
async function bySize(setup, sizes) {
  const out = [];
  for (const runs of sizes) {
    const tries = { 1: [], 2: [] };
    for (const workers of [1, 2, 1, 2]) tries[workers].push(await wholeSearch(setup, workers, runs));
    const best = (list) => list.reduce((a, b) => (b.ms < a.ms ? b : a));
    out.push({ runs, one: best(tries[1]), two: best(tries[2]) });
  }
  return out;
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

// [name, setup, planted race, runs, warm-up runs per runner]
const sides = [
  ['built-in application', { template: builtIn, file: path('bench/explore.yaml'), seed: 1 }, { template: parse(readFileSync(path('test/fixtures/explore/retry-in-lag.yaml'), 'utf8')), file: path('test/fixtures/explore/retry-in-lag.yaml'), seed: 1 }, RUNS, 12_000],
  ['user module via the SDK', { template: userModule, file: path('examples/orders/bench.yaml'), seed: 1 }, { template: userRace, file: path('examples/orders/bench.yaml'), seed: 1 }, Math.max(100, Math.round(RUNS / 100)), 300],
];

console.log(`node ${process.version}, load average ${loadavg()[0].toFixed(1)}`);
const rate = (n) => Math.round(n).toLocaleString('en').padStart(6);
for (const [name, setup, race, runs, warm] of sides) {
  const one = await throughput(setup, 1, runs, warm);
  const two = await throughput(setup, 2, runs, warm);
  const r = await findAndShrink(race);
  console.log(`  ${name}`);
  console.log(`    ${runs} runs, cold: 1 worker ${rate(one.cold)} runs/s, 2 workers ${rate(two.cold)} runs/s: ${(two.cold / one.cold).toFixed(2)}x`);
  console.log(`    ${runs} runs, warm (after ${warm.toLocaleString('en')} runs per worker): 1 worker ${rate(one.warm)} runs/s, 2 workers ${rate(two.warm)} runs/s: ${(two.warm / one.warm).toFixed(2)}x`);
  console.log(`    planted race: found at run ${r.index} in ${(r.findMs / 1000).toFixed(2)} s, shrunk in ${(r.shrinkMs / 1000).toFixed(2)} s (${r.shrinkRuns} runs) to ${r.steps} steps`);
  if (name === 'built-in application') {
    const seconds = (r) => `${(r.ms / 1000).toFixed(2)} s${r.threads ? ` (a thread joined)` : ''}`;
    for (const r of await bySize(setup, [2_000, 20_000, 60_000])) {
      console.log(`    a whole search of ${r.runs.toLocaleString('en')} runs as the CLI runs it: ${seconds(r.one)} on 1 worker, ${seconds(r.two)} on 2 (${(r.one.ms / r.two.ms).toFixed(2)}x)`);
    }
    console.log(`    goals: >= 2,000 runs/s on one worker: ${one.warm >= 2000 ? 'MET' : 'MISSED'}; two workers >= 1.7x (warm): ${two.warm / one.warm >= 1.7 ? 'MET' : 'MISSED'}; shrink under 10 s: ${r.shrinkMs < 10_000 ? 'MET' : 'MISSED'}`);
  }
}
