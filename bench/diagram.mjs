#!/usr/bin/env node
// Benchmark of `geosim diagram` (issue 5), on the built code in dist/ (run `npm run build` first).
//
// 1. Time to write the .mmd of every scenario in scenarios/ (`geosim diagram`, a whole process),
//    as a ratio to `geosim run scenarios --format json` on the same scenarios. Target: <= 1.5x.
//    Median of RUNS alternating runs of each, so machine noise hits both alike.
// 2. Mean SVG render time per diagram when every diagram (scenarios + architecture) is rendered
//    in ONE browser session, and the browser launch + close that the session costs once.
//
// Usage: node bench/diagram.mjs [--runs N]      (GEOSIM_BENCH_RUNS also sets N)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { median, root, timeProcess } from './lib/geosim-process.mjs';

const argRuns = process.argv.indexOf('--runs');
const runs = Number(argRuns > 0 ? process.argv[argRuns + 1] : (process.env.GEOSIM_BENCH_RUNS ?? 7));
const scenarios = readdirSync(join(root, 'scenarios')).filter((f) => /\.ya?ml$/.test(f));

const out = mkdtempSync(join(tmpdir(), 'geosim-bench-diagram-'));
try {
  const diagramMs = [];
  const runMs = [];
  timeProcess(['run', 'scenarios', '--format', 'json']); // warm the file cache
  for (let i = 0; i < runs; i++) {
    runMs.push(timeProcess(['run', 'scenarios', '--format', 'json']));
    diagramMs.push(timeProcess(['diagram', 'scenarios', '--out', out]));
  }
  const ratio = median(diagramMs) / median(runMs);
  console.log(`geosim diagram (mmd), ${scenarios.length} scenarios + architecture: median ${median(diagramMs).toFixed(0)} ms over ${runs} runs`);
  console.log(`geosim run --format json, same scenarios:           median ${median(runMs).toFixed(0)} ms`);
  console.log(`ratio diagram/run: ${ratio.toFixed(2)}x (target <= 1.5x) ${ratio <= 1.5 ? 'OK' : 'OVER TARGET'}`);

  // Rendering: every .mmd just written, in one browser session.
  const { renderDiagrams } = await import(pathToFileURL(join(root, 'dist/render/mermaid/render.js')).href);
  const { findBrowser } = await import(pathToFileURL(join(root, 'dist/render/mermaid/browser.js')).href);
  const browser = findBrowser(process.env);
  if (!browser.found) {
    console.log('SVG rendering: skipped, no Chromium/Chrome found (apt-get install chromium or set PUPPETEER_EXECUTABLE_PATH)');
  } else {
    const jobs = readdirSync(out)
      .filter((f) => f.endsWith('.mmd'))
      .sort()
      .map((f) => ({ name: f.replace(/\.mmd$/, ''), source: readFileSync(join(out, f), 'utf8'), format: 'svg' }));
    // An empty session measures what launching and closing the browser costs.
    const { default: puppeteer } = await import('puppeteer');
    const { BROWSER_ARGS } = await import(pathToFileURL(join(root, 'dist/render/mermaid/browser.js')).href);
    let started = performance.now();
    const b = await puppeteer.launch({ executablePath: browser.path, headless: true, args: [...BROWSER_ARGS] });
    await b.close();
    const launchMs = performance.now() - started;
    started = performance.now();
    const images = await renderDiagrams(jobs, { env: process.env });
    const totalMs = performance.now() - started;
    const perPage = images.map((i) => i.ms);
    console.log(`SVG render, ${jobs.length} diagrams in one browser session (${browser.path}, 4 pages at a time):`);
    console.log(`  session total ${totalMs.toFixed(0)} ms, mean ${(totalMs / jobs.length).toFixed(0)} ms per diagram (browser launch+close alone ${launchMs.toFixed(0)} ms)`);
    console.log(`  per-page render time (pages overlap): mean ${(perPage.reduce((a, b) => a + b, 0) / perPage.length).toFixed(0)} ms, max ${Math.max(...perPage).toFixed(0)} ms`);
  }
} finally {
  rmSync(out, { recursive: true, force: true });
}

// Keep the machine facts next to the figures.
console.log(`node ${process.version}, ${execFileSync('nproc', { encoding: 'utf8' }).trim()} cores`);
