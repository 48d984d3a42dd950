// Cost of `geosim compare` (issue 15, Performance: "compare of 4 strategies costs under 5x one run"):
//   bin/geosim compare SCENARIO --strategies A,B,C,D --format text   against
//   bin/geosim run SCENARIO --format text                            (both to a pipe)
// as wall time of the process (what a user waits for), median of interleaved runs; and the same
// two in one process (dist/cli/main.js `main`, warm), where node's start-up no longer hides the
// per-combination cost. The strategies: lww-item, client-lww, version, counter where the scenario
// schema lists them, filled up from the rest of its list (fewer if it lists fewer). Target: the
// process ratio under 5x.
// Run after `npm run build`:  node bench/compare.mjs [runs=7] [scenario]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';

const RUNS = Number(process.argv[2] ?? 7);
const root = fileURLToPath(new URL('..', import.meta.url));
process.chdir(root);
// The workload (concurrent-counter, once it exists), else the seed's concurrent updates.
const scenario = process.argv[3] ?? (existsSync('scenarios/concurrent-counter.yaml') ? 'scenarios/concurrent-counter.yaml' : 'scenarios/concurrent.yaml');
const { strategyChoices } = await import(new URL('../dist/compare/choices.js', import.meta.url).href);
const { main } = await import(new URL('../dist/cli/main.js', import.meta.url).href);
// The four where the schema has them (lww-item, client-lww, version, counter), filled up
// from the rest of its list; custom needs a merge module the scenario names.
const listed = strategyChoices().filter((s) => s !== 'custom');
const strategies = [...new Set([...['lww-item', 'client-lww', 'version', 'counter'].filter((s) => listed.includes(s)), ...listed])].slice(0, 4);
const runArgs = ['run', scenario, '--format', 'text'];
const compareArgs = ['compare', scenario, '--strategies', strategies.join(','), '--format', 'text'];

function processMs(args) {
  const start = performance.now();
  const env = { ...process.env, NO_COLOR: '1' };
  const r = spawnSync(process.execPath, ['bin/geosim', ...args], { cwd: root, encoding: 'utf8', env });
  const ms = performance.now() - start;
  // compare exits 0 whatever the assertions; run exits 1 when one fails, which is still a run.
  if (r.status !== 0 && !(args[0] === 'run' && r.status === 1)) throw new Error(`geosim ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

class Sink extends Writable {
  _write(_chunk, _encoding, done) {
    done();
  }
}
async function inProcessMs(args) {
  const start = performance.now();
  const code = await main(args, { stdout: new Sink(), stderr: new Sink(), env: { NO_COLOR: '1' }, cwd: root });
  const ms = performance.now() - start;
  if (code !== 0 && !(args[0] === 'run' && code === 1)) throw new Error(`geosim ${args.join(' ')} exited ${code} in-process`);
  return ms;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

// Warm the file cache and the in-process modules once.
processMs(runArgs);
processMs(compareArgs);
for (let i = 0; i < 3; i++) {
  await inProcessMs(runArgs);
  await inProcessMs(compareArgs);
}
const samples = { run: [], compare: [], runIn: [], compareIn: [] };
for (let i = 0; i < RUNS; i++) {
  samples.run.push(processMs(runArgs));
  samples.compare.push(processMs(compareArgs));
  samples.runIn.push(await inProcessMs(runArgs));
  samples.compareIn.push(await inProcessMs(compareArgs));
}
const load = (await import('node:os')).loadavg()[0];
const ratio = median(samples.compare) / median(samples.run);
const ratioIn = median(samples.compareIn) / median(samples.runIn);
console.log(`geosim compare ${scenario} --strategies ${strategies.join(',')} (${strategies.length} strategies) vs geosim run, median of ${RUNS} (node ${process.version}, load average ${load.toFixed(1)})`);
console.log(`  process:    run ${median(samples.run).toFixed(0).padStart(5)} ms   compare ${median(samples.compare).toFixed(0).padStart(5)} ms   ${ratio.toFixed(2)}x  target < 5x: ${ratio < 5 ? 'ok' : 'OVER'}`);
console.log(`  in-process: run ${median(samples.runIn).toFixed(1).padStart(5)} ms   compare ${median(samples.compareIn).toFixed(1).padStart(5)} ms   ${ratioIn.toFixed(2)}x  (${(ratioIn / strategies.length).toFixed(2)}x per combination)`);
if (ratio >= 5) process.exitCode = 1;
