// Benchmark of issue 12 (one runner over every backend): every shipped scenario on the model and on
// the DynamoDB substrate (DynamoDB Local, emulated replication), on the built code in dist/ (run
// `npm run build` first). The DynamoDB substrate owns replication and the agenda, so it skips idle
// time: a scenario spanning minutes of its own time (dlq-redrive, 660 s) must take the seconds its
// requests take, not minutes. Figures: wall ms per scenario on each substrate, the DynamoDB/model
// ratio, and the scenario's virtual span over its DynamoDB wall time (how much faster than written).
// DynamoDB Local is started once, before the clock starts. MRSC scenarios are left out and named:
// DynamoDB Local has no multi-Region strong consistency, so `geosim run --backend dynamodb` refuses
// them (exit 2) and there is nothing to compare.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startDynamoDbLocal } from '../dist/backends/dynamodb-local/server.js';
import { loadScenarioFile } from '../dist/scenario/load.js';
import { runOnDynamoDb } from '../dist/pipeline/run-on-dynamodb.js';
import { runScenario } from '../dist/pipeline/run-scenario.js';

const dir = new URL('../scenarios/', import.meta.url).pathname;
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml') && (only.length === 0 || only.some((o) => f.startsWith(o))))
  .sort();

const started = performance.now();
const server = await startDynamoDbLocal();
console.log(`DynamoDB Local started in ${Math.round(performance.now() - started)} ms (not counted below)`);
const rows = [];
const skipped = [];
try {
  for (const file of files) {
    const loaded = await loadScenarioFile(join(dir, file));
    if (!loaded.ok) throw new Error(`${file} does not load`);
    const scenario = loaded.scenario;
    if (scenario.mode === 'mrsc') {
      skipped.push(file);
      continue;
    }
    let t = performance.now();
    const model = await runScenario(scenario);
    const modelMs = performance.now() - t;
    t = performance.now();
    const real = await runOnDynamoDb(scenario, { seed: scenario.seed, endpoints: server.endpoint, local: false, replication: 'emulate', timeScale: 1 });
    const realMs = performance.now() - t;
    const failed = real.assertions.filter((a) => !a.passed).length;
    rows.push({ file, span: real.endedAt, modelMs, realMs, failed, same: real.endedAt === model.endedAt });
  }
} finally {
  await server.stop();
}

const pad = (s, n) => String(s).padStart(n);
console.log(`${'scenario'.padEnd(36)} ${pad('span', 8)} ${pad('model', 8)} ${pad('dynamodb', 9)} ${pad('ddb/model', 10)} ${pad('span/wall', 10)}`);
for (const r of rows) {
  console.log(
    `${r.file.padEnd(36)} ${pad(`${(r.span / 1000).toFixed(1)}s`, 8)} ${pad(`${Math.round(r.modelMs)}ms`, 8)} ${pad(`${Math.round(r.realMs)}ms`, 9)} ${pad(`${(r.realMs / r.modelMs).toFixed(0)}x`, 10)} ${pad(`${(r.span / r.realMs).toFixed(1)}x`, 10)}${r.failed ? `  ${r.failed} FAILED` : ''}${r.same ? '' : '  ended at another instant than the model'}`,
  );
}
if (skipped.length > 0) console.log(`not run on DynamoDB Local (mode: mrsc, which it does not have; geosim run refuses them there): ${skipped.join(', ')}`);
const total = rows.reduce((n, r) => n + r.realMs, 0);
console.log(`all ${rows.length} scenarios on DynamoDB Local: ${(total / 1000).toFixed(1)} s of wall time for ${(rows.reduce((n, r) => n + r.span, 0) / 1000).toFixed(0)} s of their own time`);
process.exitCode = rows.some((r) => r.failed || !r.same) ? 1 : 0;
