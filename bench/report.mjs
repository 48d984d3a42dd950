#!/usr/bin/env node
// Benchmark of `geosim report` (issue 16), on the built code in dist/ (run `npm run build` first).
//
// 1. Wall time of `geosim report scenarios -o DIR` as a ratio to `geosim run scenarios --format
//    json` on the same scenarios, median of RUNS alternating runs of each. Target: <= 2x.
// 2. A long run (a generated scenario of N events, ~118k trace events for N = 15000): the report's
//    size (target < 10 MB), the time `geosim report` takes for it, and the time Chromium takes to
//    open it from file:// until the page says it is ready (data decoded, first step drawn;
//    `document.body.dataset.ready`). Target: < 3 s. Skipped when no Chromium is found.
//
// Usage: node bench/report.mjs [--runs N] [--events N]   (GEOSIM_BENCH_RUNS also sets the runs)
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { median, root, timeProcess } from './lib/geosim-process.mjs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const runs = arg('--runs', Number(process.env.GEOSIM_BENCH_RUNS ?? 5));
const events = arg('--events', 15000);
const scenarios = readdirSync(join(root, 'scenarios')).filter((f) => /\.ya?ml$/.test(f));

/** The long scenario: N events over 2 regions, 500 items, 5% retries of a recent key elsewhere. */
function bigScenario(n) {
  let out = `name: big\nseed: 1\nregions: [us-east-1, eu-west-1]\nreplication:\n  lag: { distribution: uniform, min: 300, max: 900 }\napplication:\n  strategy: client-lww\n  idempotency: local\nsteps:\n`;
  let s = 7;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  let at = 0;
  for (let i = 0; i < n; i++) {
    at += Math.floor(rnd() * 20);
    const region = rnd() < 0.5 ? 'us-east-1' : 'eu-west-1';
    const j = i > 10 && rnd() < 0.05 ? i - 1 - Math.floor(rnd() * 10) : i;
    out += `  - at: ${at}\n    event: { id: e${i}, region: ${region}, key: k${j}, item: "ITEM#${j % 500}", data: { v: ${j} } }\n`;
  }
  return out;
}

const work = mkdtempSync(join(tmpdir(), 'geosim-bench-report-'));
try {
  const reportMs = [];
  const runMs = [];
  timeProcess(['run', 'scenarios', '--format', 'json']); // warm the file cache
  for (let i = 0; i < runs; i++) {
    runMs.push(timeProcess(['run', 'scenarios', '--format', 'json']));
    reportMs.push(timeProcess(['report', 'scenarios', '-o', join(work, 'all')]));
  }
  const ratio = median(reportMs) / median(runMs);
  console.log(`geosim report, ${scenarios.length} scenarios: median ${median(reportMs).toFixed(0)} ms over ${runs} runs`);
  console.log(`geosim run --format json, same scenarios: median ${median(runMs).toFixed(0)} ms`);
  console.log(`ratio report/run: ${ratio.toFixed(2)}x (target <= 2x) ${ratio <= 2 ? 'OK' : 'OVER TARGET'}`);

  const big = join(work, 'big.yaml');
  writeFileSync(big, bigScenario(events));
  const page = join(work, 'big.html');
  const bigMs = timeProcess(['report', big, '-o', page, '--max-file-size', '10MB']);
  const bigRunMs = timeProcess(['run', big, '--format', 'json', '--max-file-size', '10MB']);
  const bytes = statSync(page).size;
  console.log(`long run (${events} events): report ${(bytes / 1_048_576).toFixed(2)} MB (target < 10 MB) ${bytes < 10 * 1_048_576 ? 'OK' : 'OVER TARGET'}`);
  console.log(`long run: geosim report ${bigMs.toFixed(0)} ms, geosim run --format json ${bigRunMs.toFixed(0)} ms (${(bigMs / bigRunMs).toFixed(2)}x)`);

  const { findBrowser, BROWSER_ARGS } = await import(pathToFileURL(join(root, 'dist/render/mermaid/browser.js')).href);
  const found = findBrowser(process.env);
  if (!found.found) {
    console.log('open in Chromium: skipped (no Chromium found)');
  } else {
    const { default: puppeteer } = await import('puppeteer');
    const browser = await puppeteer.launch({ executablePath: found.path, args: [...BROWSER_ARGS], headless: true });
    try {
      const openMs = [];
      let steps = '';
      for (let i = 0; i < 3; i++) {
        const tab = await browser.newPage();
        const started = process.hrtime.bigint();
        await tab.goto(pathToFileURL(page).href, { waitUntil: 'domcontentloaded' });
        await tab.waitForFunction(() => document.body.dataset.ready !== undefined, { timeout: 120_000, polling: 10 });
        openMs.push(Number(process.hrtime.bigint() - started) / 1e6);
        steps = await tab.$eval('#rp-step-no', (e) => e.textContent);
        if ((await tab.evaluate(() => document.body.dataset.ready)) !== '1') throw new Error('the page did not decode its data');
        // A jump to the end replays at most one checkpoint's steps.
        const jump = process.hrtime.bigint();
        await tab.keyboard.press('End');
        await tab.waitForFunction(() => /^step (\d+) of \1$/.test(document.getElementById('rp-step-no').textContent), { timeout: 60_000, polling: 10 });
        if (i === 0) console.log(`long run: jump to the last step ${(Number(process.hrtime.bigint() - jump) / 1e6).toFixed(0)} ms`);
        await tab.close();
      }
      const open = median(openMs);
      console.log(`long run: open in Chromium until ready (${steps}): median ${open.toFixed(0)} ms of 3 (target < 3000 ms) ${open < 3000 ? 'OK' : 'OVER TARGET'}`);
    } finally {
      await browser.close();
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
