// Issue 10 (items 6, 7, 21): every bad input answers in under 5 s. Times `geosim run` end to end on
// hostile files just under the 1 MB limit, against baselines measured in the same run: a valid
// one-event scenario (start-up), a valid scenario of about 1 MB run, and the same file only loaded
// (start-up + reading it; the ratio column compares each bad input with this one). The machine may
// be shared: CPU time (user + system of the child) is printed next to wall time, as it depends less
// on what else runs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LIMIT = 1_048_576;
const dir = mkdtempSync(join(tmpdir(), 'geosim-hostile-'));
const head = 'regions: [us-east-1, eu-west-1]\nsteps:\n';
const event = (i) => `  - { at: ${i}, event: { id: e${i}, region: us-east-1, item: "O#${i % 50}", data: { s: a } } }\n`;
const fill = (prefix, unit, suffix = '') => prefix + unit.repeat(Math.floor((LIMIT - prefix.length - suffix.length - 16) / unit.length)) + suffix;

const valid1MB = (() => {
  let s = head;
  for (let i = 0; s.length < LIMIT - 200; i++) s += event(i);
  return s;
})();
const many = (line) => {
  let s = head;
  for (let i = 0; s.length + line(i).length < LIMIT - 16; i++) s += line(i);
  return s;
};
const LOAD_ONLY = 'baseline: valid, ~1 MB, loaded only';
const files = {
  'baseline: valid, one event': head + event(0),
  'baseline: valid, ~1 MB of events': valid1MB,
  [LOAD_ONLY]: valid1MB,
  'error at the end of ~1 MB': valid1MB.slice(0, -200) + '  - { at: 1, event: { id: bad, region: nowhere } }\n',
  'deep flow nesting': fill('regions: ', '['),
  'deep block nesting': (() => {
    // Each line one space deeper than the last: about 1,400 levels of block mappings in 1 MB.
    let s = '';
    for (let depth = 0; s.length + depth + 3 < LIMIT; depth++) s += `${' '.repeat(depth)}a:\n`;
    return s;
  })(),
  'one mapping of distinct keys': fill('x:\n', 'k' + 'x'.repeat(8) + ': 1\n').replace(/kx{8}/g, () => `k${Math.random().toString(36).slice(2, 10)}`),
  'duplicate keys': fill('x:\n', '  k: 1\n'),
  'broken lines (one YAML error each)': fill(head, '  - {]\n'),
  'anchors, each used once': ('x:\n' + Array.from({ length: 40_000 }, (_, i) => `  a${i}: &a${i} v\n  b${i}: *a${i}\n`).join('')).slice(0, LIMIT - 10).replace(/\n[^\n]*$/, '\n'),
  'one long line': fill('description: "', 'x', '"\n'),
  'binary': Buffer.alloc(LIMIT - 16, 0x7f).fill(0, 100, 101),
  // Thousands of problems of each kind the loader finds after parsing: only 100 are shown.
  'a type error in every step': many((i) => event(i).replace(`at: ${i}`, 'at: later')),
  'an unknown key in every step': many((i) => event(i).replace('data:', 'dta:')),
  'a duplicate event id in every step': many((i) => event(i).replace(`id: e${i}`, 'id: e1')),
  'retries of unknown events': (() => {
    let s = head;
    let i = 0;
    for (; s.length < LIMIT / 2; i++) s += event(i);
    for (let j = 0; s.length < LIMIT - 200; j++) s += `  - { at: ${i}, retry: { of: x${j}, region: us-east-1 } }\n`;
    return s;
  })(),
  'tens of thousands of regions': (() => {
    let s = 'regions: [';
    for (let i = 0; s.length < LIMIT - 300; i++) s += `us-east-${i}, `;
    return s + 'us-east-1]\nsteps:\n' + event(0).replace('us-east-1', 'eu-west-9');
  })(),
};

// The child reports its own CPU time on stderr as it exits (spawnSync gives no resource usage).
const CPU_MARK = 'bench-cpu-ms';
const reportCpu = `data:text/javascript,process.on('exit',()=>{const u=process.cpuUsage();process.stderr.write('\\n${CPU_MARK} '+Math.round((u.user+u.system)/1000)+'\\n')})`;
const loadOnly = (file) => ['--input-type=module', '-e', `const { loadScenarioFile } = await import(${JSON.stringify(new URL('../dist/scenario/load.js', import.meta.url).href)}); await loadScenarioFile(${JSON.stringify(file)});`];

function timeRun(file, args) {
  const runs = [];
  for (let i = 0; i < 3; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ['--import', reportCpu, ...args], { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, NO_COLOR: '1' } });
    const cpu = Number(new RegExp(`${CPU_MARK} (\\d+)`).exec(r.stderr)?.[1] ?? NaN);
    runs.push({ ms: Number(process.hrtime.bigint() - start) / 1e6, cpu, code: r.status });
  }
  const median = (xs) => xs.sort((a, b) => a - b)[1];
  return { ms: median(runs.map((r) => r.ms)), cpu: median(runs.map((r) => r.cpu)), code: runs[2].code };
}

const rows = [];
for (const [name, content] of Object.entries(files)) {
  const file = join(dir, `${name.replace(/\W+/g, '-')}.yaml`);
  writeFileSync(file, content);
  rows.push({ name, size: Buffer.byteLength(content), ...timeRun(file, name === LOAD_ONLY ? loadOnly(file) : ['bin/geosim', 'run', file, '--format', 'json']) });
}
rmSync(dir, { recursive: true, force: true });
const base = rows.find((r) => r.name === LOAD_ONLY);
console.log('hostile input, `geosim run --format json`, median of 3; ratio = wall time / wall time of loading a valid ~1 MB file');
for (const r of rows) {
  console.log(`  ${r.name.padEnd(36)} ${String(r.size).padStart(8)} B  exit ${String(r.code).padStart(2)}  ${r.ms.toFixed(0).padStart(6)} ms wall  ${r.cpu.toFixed(0).padStart(6)} ms cpu  ${(r.ms / base.ms).toFixed(2).padStart(5)}x`);
}
const bad = rows.filter((r) => !r.name.startsWith('baseline'));
const worst = bad.reduce((a, b) => (b.ms > a.ms ? b : a));
console.log(`  worst bad input: ${worst.name}, ${(worst.ms / 1000).toFixed(2)} s (target: under 5 s); exit codes ${[...new Set(bad.map((r) => r.code))].join(', ')}`);
