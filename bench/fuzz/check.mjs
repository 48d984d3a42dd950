// One fuzz case through the loader and the CLI's in-process entry, with what must hold:
// the loader never throws and locates every problem in the file; the CLI exits 0, 1, 2 or 3,
// never prints a stack trace or an internal error for a user mistake, and never echoes a raw
// control character on stderr (where problems are printed).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const STACK = /\n\s+at \S.*[:(]\d+:\d+\)?/;
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

/** `api`: { loadScenarioText, main }, from dist/ (the bench) or src/ (the test). */
export async function checkCase(c, api, dir, format = 'text') {
  const failures = [];
  const started = performance.now();
  let result;
  try {
    result = api.loadScenarioText(c.text, 'fuzz.yaml');
  } catch (error) {
    return { failures: [`the loader threw: ${error?.stack ?? error}`], ms: performance.now() - started, exit: undefined, problems: 0, valid: false };
  }
  const loadMs = performance.now() - started;
  if (!result.ok) {
    const lines = c.text.split(/\r?\n|\r/).length;
    if (result.problems.length === 0) failures.push('rejected without a problem');
    for (const p of result.problems) {
      if (!(p.line >= 1 && p.line <= lines + 1 && p.col >= 1)) failures.push(`problem at ${p.line}:${p.col} outside the file (${lines} lines): ${p.message}`);
    }
  }
  writeFileSync(join(dir, 'fuzz.yaml'), c.text);
  const out = [];
  const err = [];
  const io = {
    stdout: { write: (s) => (out.push(String(s)), true), isTTY: false, columns: 120 },
    stderr: { write: (s) => (err.push(String(s)), true), isTTY: false },
    env: { NO_COLOR: '1' },
    cwd: dir,
  };
  let exit;
  try {
    exit = await api.main(['run', 'fuzz.yaml', '--format', format], io);
  } catch (error) {
    failures.push(`main threw: ${error?.stack ?? error}`);
  }
  const stderr = err.join('');
  if (exit !== undefined && ![0, 1, 2, 3].includes(exit)) failures.push(`exit ${exit}: ${stderr.slice(0, 2000)}`);
  else if (STACK.test(stderr) || stderr.includes('internal error')) failures.push(`stack trace on stderr: ${stderr.slice(0, 2000)}`);
  if (RAW_CONTROL.test(stderr)) failures.push(`raw control character on stderr: ${JSON.stringify(stderr.slice(0, 300))}`);
  if (result.ok !== (exit === 0 || exit === 1) && exit !== 3) failures.push(`loader said ${result.ok ? 'valid' : 'invalid'} but the CLI exited ${exit}`);
  return { failures, ms: performance.now() - started, loadMs, exit, problems: result.ok ? 0 : result.problems.length, valid: result.ok };
}
