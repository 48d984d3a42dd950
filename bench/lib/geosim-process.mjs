// Shared by the benchmarks that time whole `geosim` commands (bench/diagram.mjs, bench/report.mjs).
// In bench/lib/ so that bench/run.mjs, which runs every bench/*.mjs, does not run it as a benchmark.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const bin = join(root, 'bin', 'geosim');

/** Wall ms of one `geosim ARGS` in the repository root (output up to 1 GB kept, then dropped). */
export function timeProcess(args) {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  // Exit 1 (an assertion failed) is still a complete run; 2+ means it did not run.
  if (r.status === null || r.status >= 2) throw new Error(`geosim ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
