// Runs per second of small scenarios in one process (issue 14): what `geosim explore` pays per run.
// Each scenario is loaded once, then `runScenario` runs it back to back with seed i, as explore does.
// Baseline, measured in the same run: constructing and driving an empty World (one region, no steps)
// with nothing but the pipeline's bare frame: the floor of a run that does no work.
// Goal: concurrent.yaml >= 2,000 runs/s on one core. Best of 3 rounds, in wall and in CPU time (a
// shared machine: the CPU figure is the steadier one there).
// Run after `npm run build`:  node bench/explore-runs.mjs [ms per round=1500]
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { loadScenarioFile } from '../dist/scenario/load.js';
import { runScenario } from '../dist/pipeline/run-scenario.js';
import { EPOCH_MS, Simulation } from '../dist/sim/simulation.js';
import { World } from '../dist/sim/world.js';
import { Rng } from '../dist/sim/rng.js';
import { drive } from '../dist/sim/drive.js';
import { TraceRecorder } from '../dist/trace/recorder.js';

const ROUND_MS = Number(process.argv[2] ?? 1500);
const FILES = ['scenarios/concurrent.yaml', 'scenarios/idempotency.yaml', 'scenarios/cross-region-retry.yaml'];

async function load(file) {
  const r = await loadScenarioFile(file);
  if (!r.ok) throw new Error(`${file}: ${JSON.stringify(r.problems)}`);
  return r.scenario;
}

/** CPU time of this process, µs (steadier than wall time on a shared machine). */
function cpuUs() {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/** Runs `once(i)` back to back for about ROUND_MS; best of 3 rounds; runs per wall second and per CPU second. */
async function rate(once) {
  let seed = 1;
  for (let i = 0; i < 200; i++) await once(seed++); // warm-up: JIT
  let wall = 0;
  let cpu = 0;
  for (let round = 0; round < 3; round++) {
    globalThis.gc?.();
    const start = performance.now();
    const cpuStart = cpuUs();
    let runs = 0;
    while (performance.now() - start < ROUND_MS) {
      for (let k = 0; k < 50; k++) await once(seed++);
      runs += 50;
    }
    wall = Math.max(wall, runs / ((performance.now() - start) / 1000));
    cpu = Math.max(cpu, runs / ((cpuUs() - cpuStart) / 1e6));
  }
  return { wall, cpu };
}

const fmt = (r) => `${Math.round(r.wall).toLocaleString('en').padStart(7)} runs/s ${(1e6 / r.wall).toFixed(1).padStart(7)} µs/run (cpu: ${Math.round(r.cpu).toLocaleString('en').padStart(7)} runs/s ${(1e6 / r.cpu).toFixed(1).padStart(7)} µs/run)`;

// The bare frame: a World over one region and nothing to do, driven to its end.
const empty = await load('scenarios/concurrent.yaml');
const bare = { ...empty, regions: [empty.regions[0]], steps: [], faults: [], expect: {}, replication: { ...empty.replication, links: [] } };
async function emptyWorld(seed) {
  const recorder = new TraceRecorder();
  const world = new World(bare, new Rng(seed), recorder, { epochMs: EPOCH_MS });
  const sim = new Simulation(world, bare, recorder, {});
  await drive(sim, []);
  return world.now;
}

const loadNow = loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`runs per second, one process, scenario loaded once, seed i per run (best of 3 x ${ROUND_MS} ms; load average ${loadNow})`);
const base = await rate(emptyWorld);
console.log(`  ${'baseline (empty World, built and driven)'.padEnd(36)} ${fmt(base)}`);
for (const file of FILES) {
  const scenario = await load(file);
  const r = await rate((seed) => runScenario(scenario, { seed }));
  const goal = file.endsWith('concurrent.yaml') ? `  goal >= 2,000 runs/s: ${r.wall >= 2000 ? 'yes' : 'no'} (wall), ${r.cpu >= 2000 ? 'yes' : 'no'} (cpu)` : '';
  console.log(`  ${file.padEnd(36)} ${fmt(r)}  ${(base.cpu / r.cpu).toFixed(1)}x baseline (cpu)${goal}`);
}
console.log(`  (load average after: ${loadavg().map((l) => l.toFixed(2)).join(' ')})`);
