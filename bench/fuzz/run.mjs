// `npm run fuzz [-- --runs N --seed S]`: the loader and CLI fuzz of issue 10. Mutated scenario files
// (bench/fuzz/cases.mjs) go through loadScenarioText and the CLI's in-process main(argv, io), valid
// ones are run. Prints cases, problems reported, the exit code histogram, crashes (an exception
// escaping, an exit code outside 0-3, a stack trace or raw control character on stderr), hangs
// (a case over 5 s) and the slowest case. Failing cases are written to a directory to replay with
// `geosim run`. Exit 1 when anything crashed or hung. Run after `npm run build`.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { cases, seedFiles } from './cases.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = arg('runs', 10_000);
const SEED = arg('seed', 1);
const HANG_MS = 5_000;
/** A case still running after this is stopped (and counted as a hang). */
const KILL_MS = 60_000;

const root = fileURLToPath(new URL('../..', import.meta.url));
const all = cases(seedFiles(root), RUNS, SEED);
const outDir = mkdtempSync(join(tmpdir(), 'geosim-fuzz-found-'));

let worker;
let ready;
function startWorker() {
  worker = new Worker(new URL('./worker.mjs', import.meta.url));
  ready = new Promise((resolve) => worker.once('message', resolve));
}

function runOne(index) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      worker.removeAllListeners('message');
      void worker.terminate();
      startWorker();
      resolve({ index, failures: [], ms: KILL_MS, exit: undefined, problems: 0, killed: true });
    }, KILL_MS);
    worker.once('message', (r) => {
      clearTimeout(timer);
      resolve(r);
    });
    worker.postMessage({ index, c: all[index], format: index % 3 === 0 ? 'json' : 'text' });
  });
}

startWorker();
const exits = new Map();
let problems = 0;
let rejected = 0;
let valid = 0;
const crashes = [];
const hangs = [];
let slowest = { ms: -1 };
const started = Date.now();
for (let i = 0; i < all.length; i++) {
  await ready;
  const r = await runOne(i);
  const key = r.killed ? 'killed' : String(r.exit);
  exits.set(key, (exits.get(key) ?? 0) + 1);
  problems += r.problems;
  if (r.valid) valid++;
  else rejected++;
  const c = all[i];
  if (r.ms > slowest.ms) slowest = { ms: r.ms, index: i, seed: c.seed, mutations: c.mutations };
  if (r.failures.length > 0 || r.ms > HANG_MS || r.killed) {
    const file = join(outDir, `case-${i}.yaml`);
    mkdirSync(outDir, { recursive: true });
    writeFileSync(file, c.text);
    const entry = { index: i, file, seed: c.seed, mutations: c.mutations, ms: Math.round(r.ms), failures: r.failures.map((f) => f.split('\n').slice(0, 6).join('\n')) };
    if (r.failures.length > 0) crashes.push(entry);
    if (r.ms > HANG_MS || r.killed) hangs.push(entry);
  }
  if ((i + 1) % 1000 === 0) console.error(`… ${i + 1} cases, ${crashes.length} crashes, ${hangs.length} hangs, ${Math.round((Date.now() - started) / 1000)}s`);
}
await worker.terminate();

console.log(`fuzz seed ${SEED}: ${all.length} cases in ${Math.round((Date.now() - started) / 1000)}s`);
console.log(`  loader: ${valid} valid, ${rejected} rejected with ${problems} problems reported`);
console.log(`  exit codes: ${[...exits].sort().map(([k, v]) => `${k}: ${v}`).join(', ')}`);
console.log(`  crashes: ${crashes.length}`);
console.log(`  hangs (over ${HANG_MS / 1000}s): ${hangs.length}`);
console.log(`  slowest case: ${Math.round(slowest.ms)}ms (#${slowest.index}, ${slowest.seed}: ${slowest.mutations?.join('; ')})`);
for (const c of [...crashes, ...hangs].slice(0, 20)) {
  console.log(`\n#${c.index} ${c.seed} [${c.mutations.join('; ')}] ${c.ms}ms → ${c.file}`);
  for (const f of c.failures) console.log(`  ${f.replace(/\n/g, '\n  ')}`);
}
if (crashes.length || hangs.length) console.log(`\nfailing cases written to ${outDir}`);
process.exitCode = crashes.length || hangs.length ? 1 : 0;
