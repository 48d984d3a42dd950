import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../src/pipeline/run-scenario.js';
import { formatItem } from '../../src/render/format-item.js';
import { BROWSER_ARGS, findBrowser } from '../../src/render/mermaid/browser.js';
import { statesByStep } from '../../src/render/step-state.js';
import type { RunReport } from '../../src/trace/report.js';
import { geosim } from '../helpers/cli.js';
import { scenarioFromFile } from '../helpers/scenario.js';

/**
 * Issue 16: the report page in a real Chromium, loaded from file:// as a user opens it: no console
 * errors, no request but the page itself, the slider (keys, input, clicks on the drawing) shows the
 * items step-state.ts replays, a discarded write is crossed out, the Mermaid section renders live.
 */
const ROOT = join(import.meta.dirname, '../..');
const browserPath = findBrowser(process.env);
const SCENARIOS = ['concurrent', 'pause-replication', 'lambda-retries'];

describe.skipIf(!browserPath.found)('the HTML report in Chromium (skipped when no Chromium is found; CI installs it)', () => {
  let browser: Browser;
  let out: string;
  const reports = new Map<string, RunReport>();

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), 'geosim-report-browser-'));
    const r = await geosim(['report', ...SCENARIOS.map((s) => `scenarios/${s}.yaml`), '-o', out]);
    expect(r.code).toBeLessThan(2);
    for (const name of SCENARIOS) reports.set(name, await runScenario({ ...(await scenarioFromFile(join(ROOT, 'scenarios', `${name}.yaml`))), file: `scenarios/${name}.yaml` }));
    const { default: puppeteer } = await import('puppeteer');
    browser = await puppeteer.launch({ executablePath: browserPath.found ? browserPath.path : '', args: [...BROWSER_ARGS], headless: true });
  });
  afterAll(async () => {
    await browser?.close();
    rmSync(out, { recursive: true, force: true });
  });

  /** A page with every console error, page error and request recorded, loaded and ready. */
  async function open(name: string): Promise<{ page: Page; url: string; errors: string[]; requests: string[] }> {
    const page = await browser.newPage();
    await page.setViewport({ width: 1400, height: 1000 });
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warn') errors.push(`${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`pageerror: ${(e as Error).message}`));
    page.on('requestfailed', (r) => errors.push(`requestfailed: ${r.url()}`));
    page.on('request', (r) => requests.push(r.url()));
    const url = pathToFileURL(join(out, `${name}.html`)).href;
    await page.goto(url, { waitUntil: 'load' });
    await page.waitForFunction(() => document.body.dataset.ready !== undefined, { timeout: 15_000 });
    expect(await page.evaluate(() => document.body.dataset.ready)).toBe('1');
    return { page, url, errors, requests };
  }
  const foreign = (requests: string[], url: string): string[] => requests.filter((r) => r !== url && !r.startsWith('data:'));

  /** The items the page shows now, per region (id -> summary). */
  async function shown(page: Page): Promise<Record<string, Record<string, string>>> {
    return page.$$eval('#rp-regions .rp-region:not(.rp-flights)', (cols) =>
      Object.fromEntries(
        cols.map((col) => [
          col.querySelector('h4')!.textContent!.replace(/\s+\(empty\)$/, ''),
          Object.fromEntries([...col.querySelectorAll('tr')].map((tr) => {
            // A record shows its id alone (its summary in the title), as the terminal stepper does.
            const id = tr.querySelector<HTMLElement>('.rp-id')!;
            return [id.textContent!, tr.querySelector('.rp-value')?.textContent ?? id.title];
          })),
        ]),
      ),
    );
  }
  function expected(name: string, step: number): Record<string, Record<string, string>> {
    const report = reports.get(name)!;
    const state = statesByStep(report.regions, report.trace)[step]!;
    return Object.fromEntries(report.regions.map((r) => [r, Object.fromEntries(Object.entries(state.items[r] ?? {}).map(([id, item]) => [id, formatItem(item)]))]));
  }
  const stepNo = (page: Page): Promise<string> => page.$eval('#rp-step-no', (e) => e.textContent!);

  it.each(SCENARIOS)('%s loads from file:// with no console error and no request but the page', async (name) => {
    const { page, url, errors, requests } = await open(name);
    expect(errors).toEqual([]);
    expect(foreign(requests, url)).toEqual([]);
    expect(requests).toContain(url);
    await page.close();
  });

  it('the slider moves with keys and input events, and the items shown are those of that step', async () => {
    const { page, errors } = await open('concurrent');
    const n = reports.get('concurrent')!.trace.length;
    expect(await stepNo(page)).toBe(`step 1 of ${n}`);
    expect(await shown(page)).toEqual(expected('concurrent', 0));
    await page.focus('#rp-slider');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await stepNo(page)).toBe(`step 3 of ${n}`);
    expect(await shown(page)).toEqual(expected('concurrent', 2));
    await page.keyboard.down('Shift');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.up('Shift');
    expect(await stepNo(page)).toBe(`step 13 of ${n}`);
    expect(await shown(page)).toEqual(expected('concurrent', 12));
    await page.keyboard.press('End');
    expect(await stepNo(page)).toBe(`step ${n} of ${n}`);
    const last = await shown(page);
    expect(last).toEqual(expected('concurrent', n - 1));
    expect(last['us-east-1']!['ORDER#1']).toContain('cancelled');
    await page.keyboard.press('Home');
    expect(await stepNo(page)).toBe(`step 1 of ${n}`);
    // A mouse or a screen reader moves the range input itself: the page follows its input event.
    await page.$eval('#rp-slider', (el) => {
      (el as HTMLInputElement).value = '6';
      el.dispatchEvent(new Event('input', { bubbles: true }));
    });
    expect(await stepNo(page)).toBe(`step 6 of ${n}`);
    expect(await shown(page)).toEqual(expected('concurrent', 5));
    await page.click('#rp-next');
    expect(await stepNo(page)).toBe(`step 7 of ${n}`);
    await page.click('#rp-prev');
    expect(await stepNo(page)).toBe(`step 6 of ${n}`);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the item a step changes is highlighted, and the step says before → after', async () => {
    const { page } = await open('concurrent');
    const report = reports.get('concurrent')!;
    const write = report.trace.findIndex((e) => e.kind === 'local-write' && e.itemId === 'ORDER#1');
    await page.$eval('#rp-slider', (el, v) => {
      (el as HTMLInputElement).value = String(v);
      el.dispatchEvent(new Event('input', { bubbles: true }));
    }, write + 1);
    expect(await page.$$eval('#rp-regions tr.rp-changed .rp-id', (ids) => ids.map((i) => i.textContent))).toEqual(['ORDER#1']);
    expect(await page.$eval('#rp-step-change', (e) => e.textContent)).toMatch(/\(absent\) → \{status: shipped\}/);
    await page.close();
  });

  it('a discarded write is drawn crossed out, and clicking a mark steps to it', async () => {
    const { page, errors } = await open('concurrent');
    const cross = await page.$('svg.geosim-spacetime .st-discarded .st-cross');
    expect(cross).not.toBeNull();
    const box = await cross!.boundingBox();
    expect(box!.width).toBeGreaterThan(0);
    expect(box!.height).toBeGreaterThan(0);
    expect(await cross!.isVisible()).toBe(true);
    const seq = await page.$eval('svg.geosim-spacetime .st-discarded', (g) => Number(g.getAttribute('data-seq')));
    await page.$eval('svg.geosim-spacetime .st-discarded', (g) => g.dispatchEvent(new MouseEvent('click', { bubbles: true })));
    const step = reports.get('concurrent')!.trace.findIndex((e) => e.seq === seq);
    expect(await stepNo(page)).toBe(`step ${step + 1} of ${reports.get('concurrent')!.trace.length}`);
    expect(await page.$$eval('svg.geosim-spacetime .rp-current', (marks) => marks.map((m) => m.getAttribute('data-seq')))).toContain(String(seq));
    expect(await page.$('svg.geosim-spacetime line.rp-cursor')).not.toBeNull();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opening the Mermaid section renders the diagram live, still with no request', async () => {
    const { page, url, errors, requests } = await open('concurrent');
    await page.click('#rp-mermaid summary');
    await page.waitForSelector('#rp-mermaid-live[data-rendered="1"] svg', { timeout: 30_000 });
    expect(await page.$eval('#rp-mermaid-live svg', (s) => s.textContent)).toContain('us-east-1');
    expect(errors).toEqual([]);
    expect(foreign(requests, url)).toEqual([]);
    await page.close();
  });

  it('a Powertools idempotency record is shown as a record, by its id, in the step panel and the final items (it was shown as data)', async () => {
    const r = await geosim(['report', 'examples/powertools/cross-region-retry.yaml', '-o', `${out}/`]);
    expect(r.code).toBe(0);
    const { page, errors } = await open('cross-region-retry');
    await page.keyboard.press('End');
    const records = await page.$$eval('#rp-regions tr.rp-record .rp-id', (ids) => ids.map((i) => i.textContent));
    expect(records.length).toBeGreaterThan(0);
    expect(records.every((id) => id!.startsWith('payments#'))).toBe(true);
    expect(await page.$$eval('#rp-regions tr:not(.rp-record) .rp-id', (ids) => ids.map((i) => i.textContent))).not.toContainEqual(expect.stringMatching(/^payments#/));
    const final = await page.$$eval('tr.rp-record .rp-id', (ids) => ids.map((i) => i.textContent));
    expect(final.filter((id) => id!.startsWith('payments#')).length).toBeGreaterThan(records.length);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('screenshots of two reports, to look at (paths printed)', async () => {
    for (const name of ['concurrent', 'pause-replication']) {
      const { page } = await open(name);
      await page.keyboard.press('End');
      const path = join(tmpdir(), `geosim-report-${name}.png`);
      await page.screenshot({ path, fullPage: true });
      console.log(`screenshot: ${path}`);
      expect(readFileSync(path).subarray(1, 4).toString()).toBe('PNG');
      await page.close();
    }
  });
});
