// Issue 10 (items 6, 7, 21): every bad input answers in under 5 s. Times `geosim run` end to end on
// hostile files just under the 1 MB limit, against two baselines measured in the same run: a valid
// one-event scenario (start-up) and a valid scenario of about 1 MB.
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
const files = {
  'baseline: valid, one event': head + event(0),
  'baseline: valid, ~1 MB of events': valid1MB,
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
};

function timeRun(file) {
  const times = [];
  let code;
  for (let i = 0; i < 3; i++) {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ['bin/geosim', 'run', file, '--format', 'json'], { encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, NO_COLOR: '1' } });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    code = r.status;
  }
  return { ms: times.sort((a, b) => a - b)[1], code };
}

const rows = [];
for (const [name, content] of Object.entries(files)) {
  const file = join(dir, `${name.replace(/\W+/g, '-')}.yaml`);
  writeFileSync(file, content);
  rows.push({ name, size: Buffer.byteLength(content), ...timeRun(file) });
}
rmSync(dir, { recursive: true, force: true });
const base = rows[0].ms;
console.log('hostile input, `geosim run --format json`, median of 3 (wall); ratio vs the one-event start-up');
for (const r of rows) console.log(`  ${r.name.padEnd(36)} ${String(r.size).padStart(8)} B  exit ${r.code}  ${r.ms.toFixed(0).padStart(6)} ms  ${(r.ms / base).toFixed(1).padStart(5)}x`);
const bad = rows.slice(2);
const worst = bad.reduce((a, b) => (b.ms > a.ms ? b : a));
console.log(`  worst bad input: ${worst.name}, ${(worst.ms / 1000).toFixed(2)} s (target: under 5 s); exit codes ${[...new Set(bad.map((r) => r.code))].join(', ')}`);
