// A team's handler in the middle (issue 13): the same generated workload run twice through the
// model, once by the built-in application (EventProcessor, `local` idempotency: one
// TransactWriteItems per event through the model's API directly) and once by a user module doing
// the same work through the AWS SDK v3 (bench/fixtures/processor.mjs, a DynamoDBClient per region,
// virtual time, 5 ms per SDK call). Prints both, their ratio, and the goal: 10,000 events
// through a user handler in under 10 s. Run after `npm run build`:
//   node bench/user-module.mjs [events=10000]
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { dirname } from 'node:path';
import { performance } from 'node:perf_hooks';
import { run } from '../dist/index.js';
import { silenceSdkNodeNotice } from '../dist/backends/dynamodb/sdk-notice.js';

silenceSdkNodeNotice();
const EVENTS = Number(process.argv[2] ?? 10_000);
const REGIONS = ['us-east-1', 'eu-west-1'];
const here = dirname(fileURLToPath(import.meta.url));

/** One event per virtual ms on average over 1,000 items, alternating regions, 5% retried in the other region. */
function steps(n) {
  const out = [];
  let at = 0;
  for (let i = 0; i < n; i++) {
    at += i % 2;
    const region = REGIONS[i % 2];
    if (i > 100 && i % 20 === 0) out.push({ at, retry: { of: `e${i - 50}`, region: REGIONS[(i + 1) % 2] } });
    else out.push({ at, event: { id: `e${i}`, region, key: `e${i}`, item: `ITEM#${i % 1000}`, data: { n: i } } });
  }
  return out;
}

const workload = steps(EVENTS);
const base = { regions: REGIONS, replication: { lag: { distribution: 'uniform', min: 500, max: 1500 } }, steps: workload };
const sides = {
  'built-in application': { ...base, name: 'bench-built-in', application: { strategy: 'service-lww', idempotency: 'local' } },
  'user module via the SDK': { ...base, name: 'bench-user-module', application: { module: './fixtures/processor.mjs' } },
};

const results = {};
for (const [name, scenario] of Object.entries(sides)) {
  globalThis.gc?.();
  const start = performance.now();
  const cpu = process.cpuUsage();
  const report = await run(scenario, { baseDir: here, maxTraceEvents: 5_000_000 });
  const used = process.cpuUsage(cpu);
  const ms = performance.now() - start;
  const outcomes = report.trace.filter((e) => e.kind === 'event-outcome').length;
  if (outcomes !== report.counts.events) throw new Error(`${name}: ${outcomes} outcomes for ${report.counts.events} events`);
  results[name] = { ms, cpuMs: (used.user + used.system) / 1000, events: report.counts.events, applied: report.counts.applied, duplicates: report.counts.duplicates };
}

console.log(`node ${process.version}, load average ${loadavg()[0].toFixed(1)}; ${EVENTS.toLocaleString('en')} events (5% retried in the other region) over 2 regions`);
for (const [name, r] of Object.entries(results)) {
  console.log(`  ${name.padEnd(26)} ${(r.ms / 1000).toFixed(2).padStart(6)} s wall  ${(r.cpuMs / 1000).toFixed(2).padStart(6)} s cpu  ${Math.round((r.events / r.ms) * 1000).toLocaleString('en').padStart(7)} events/s  (${r.applied} applied, ${r.duplicates} duplicates)`);
}
const builtIn = results['built-in application'];
const user = results['user module via the SDK'];
console.log(`  user module / built-in: ${(user.ms / builtIn.ms).toFixed(1)}x wall, ${(user.cpuMs / builtIn.cpuMs).toFixed(1)}x cpu; ${((user.ms * 1000) / user.events).toFixed(0)} µs per event through the handler`);
const goal = EVENTS >= 10_000 ? `10,000 events through a user handler in under 10 s: ${((user.ms / user.events) * 10_000 / 1000).toFixed(1)} s per 10,000 — ${(user.ms / user.events) * 10_000 < 10_000 ? 'MET' : 'MISSED'}` : '(the goal is stated for 10,000 events)';
console.log(`  ${goal}`);
