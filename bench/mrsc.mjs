// MRSC write latency (issue 15): the virtual-time latency of an MRSC write under the default lags
// (replication.lag uniform 500..1500 ms per leg), over N writes spread out so none meets another's
// round trip; three replicas, then two replicas and a witness. A write's latency is its round trip
// to the nearest other region (local-write.answeredAt - t). Also the wall-clock cost of the run.
// Run after `npm run build`:
//   node bench/mrsc.mjs [writes=1000]
import { performance } from 'node:perf_hooks';
import { stringify } from 'yaml';
import { loadScenarioText } from '../dist/scenario/load.js';
import { runScenario } from '../dist/pipeline/run-scenario.js';

const WRITES = Number(process.argv[2] ?? 1000);

const layouts = {
  'three replicas (us-east-1, us-east-2, us-west-2)': { regions: ['us-east-1', 'us-east-2', 'us-west-2'] },
  'two replicas + witness (us-east-1, us-east-2; witness us-west-2)': { regions: ['us-east-1', 'us-east-2'], witness: 'us-west-2' },
};

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

for (const [label, layout] of Object.entries(layouts)) {
  const steps = [];
  for (let i = 0; i < WRITES; i++) {
    // 5 s apart: longer than any round trip (at most 3 s), so no write meets another in flight.
    steps.push({ at: i * 5000, put: { region: layout.regions[i % layout.regions.length], item: { Id: `ITEM#${i}`, n: i } } });
  }
  const yaml = stringify({ name: 'bench-mrsc', mode: 'mrsc', ...layout, application: { strategy: 'service-lww', idempotency: 'none' }, steps });
  const loaded = loadScenarioText(yaml, 'bench-mrsc.yaml');
  if (!loaded.ok) throw new Error(loaded.problems.map((p) => p.message).join('\n'));
  const started = performance.now();
  const report = await runScenario(loaded.scenario);
  const wall = performance.now() - started;
  const latencies = report.trace.filter((e) => e.kind === 'local-write').map((e) => e.answeredAt - e.t).sort((a, b) => a - b);
  if (latencies.length !== WRITES) throw new Error(`expected ${WRITES} writes, found ${latencies.length}`);
  const mean = latencies.reduce((s, x) => s + x, 0) / latencies.length;
  console.log(`${label}: ${WRITES} writes, latency (virtual ms) min ${latencies[0]} p50 ${percentile(latencies, 50)} p95 ${percentile(latencies, 95)} p99 ${percentile(latencies, 99)} max ${latencies.at(-1)} mean ${mean.toFixed(0)}; run took ${wall.toFixed(0)} ms of wall clock`);
}
