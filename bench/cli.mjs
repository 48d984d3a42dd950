// Start-up and render cost of `geosim run` (issue 4): wall time of
//   bin/geosim run scenarios/concurrent.yaml --format text        (stdout a pipe)
//   bin/geosim run scenarios/concurrent.yaml                      (the ink view, through a pseudo-TTY)
// each as a ratio to `node -e 0` measured in the same run, median of several interleaved runs.
// Targets: text at most 4x, pretty at most 8x. The pseudo-TTY is util-linux `script` (or tmux when
// script is missing); its own cost is measured too, as `script -qc "node -e 0"`.
// Run after `npm run build`:  node bench/cli.mjs [runs=9]
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';

const RUNS = Number(process.argv[2] ?? 9);
const root = fileURLToPath(new URL('..', import.meta.url));
const node = process.execPath;
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const quote = (s) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs `argv` once; returns wall ms and what it printed. */
function time(argv, env = {}) {
  // The view's colour must come from the TTY, not from an inherited NO_COLOR or FORCE_COLOR.
  const start = performance.now();
  const clean = { ...process.env, ...env };
  delete clean.NO_COLOR;
  delete clean.FORCE_COLOR;
  const r = spawnSync(argv[0], argv.slice(1), { cwd: root, encoding: 'utf8', env: clean });
  const ms = performance.now() - start;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, out: r.stdout };
}

/** A command line run inside a 120x40 pseudo-terminal. */
function inPty(command) {
  const sized = `stty cols 120 rows 40 2>/dev/null; ${command}`;
  return ['script', '-qec', sized, '/dev/null'];
}

const geosim = [node, 'bin/geosim', 'run', 'scenarios/concurrent.yaml'];
const cases = {
  'node -e 0': [node, '-e', '0'],
  'text (--format text, pipe)': [...geosim, '--format', 'text'],
  // The floor under the pretty view: importing ink 6 and react alone, no geosim code.
  'import ink+react only': [node, '--input-type=module', '-e', "process.env.NODE_ENV='production'; await import('ink')"],
};
if (has('script')) {
  cases['pty: script -qc "node -e 0"'] = inPty(`${quote(node)} -e 0`);
  cases['pretty (ink, pseudo-TTY)'] = inPty(geosim.map(quote).join(' '));
} else {
  console.log('util-linux `script` not found: the pretty view is not measured (apt-get install bsdutils).');
}

// Warm the file cache once, and check the pretty run really drew the ink view.
for (const [name, argv] of Object.entries(cases)) {
  const { out } = time(argv);
  if (name.startsWith('pretty') && !/in flight/.test(out)) throw new Error(`the pretty run did not draw the lane view:\n${out.slice(0, 400)}`);
  if (name.startsWith('pretty') && !/\u001b\[/.test(out)) throw new Error('the pretty run printed no colour: is it really on a TTY?');
}

const samples = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
for (let i = 0; i < RUNS; i++) for (const [name, argv] of Object.entries(cases)) samples[name].push(time(argv).ms);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const base = median(samples['node -e 0']);
const targets = { 'text (--format text, pipe)': 4, 'pretty (ink, pseudo-TTY)': 8 };
const load = (await import('node:os')).loadavg()[0];
console.log(`geosim run scenarios/concurrent.yaml — wall time, median of ${RUNS} runs (node ${process.version}, load average ${load.toFixed(1)})`);
for (const [name, xs] of Object.entries(samples)) {
  const m = median(xs);
  const target = targets[name];
  const verdict = target === undefined ? '' : m / base <= target ? `  target ≤ ${target}x: ok` : `  target ≤ ${target}x: OVER`;
  console.log(`  ${name.padEnd(30)} ${m.toFixed(0).padStart(6)} ms  ${(m / base).toFixed(2).padStart(5)}x node -e 0${verdict}`);
}
