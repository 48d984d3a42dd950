import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/pipeline/run-scenario.js';
import { formatItem } from '../../../src/render/format-item.js';
import { CHECKPOINT_EVERY, checkpointEvery, reportData, type ReportData } from '../../../src/render/report/data.js';
import { indexHtml, reportHtml, type ReportParts } from '../../../src/render/report/html.js';
import { REPLAY_JS } from '../../../src/render/report/page-script.js';
import { reportParts } from '../../../src/render/report/parts.js';
import { statesByStep } from '../../../src/render/step-state.js';
import type { RunReport } from '../../../src/trace/report.js';
import { scenarioFromFile, scenarioFromYaml } from '../../helpers/scenario.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const run = async (name: string): Promise<RunReport> => runScenario({ ...(await scenarioFromFile(`${ROOT}scenarios/${name}.yaml`)), file: `scenarios/${name}.yaml` });
const parts = (report: RunReport): ReportParts => reportParts(report, { mermaidBundle: '' });

/** The page's inlined step data, decoded as the page decodes it (base64, gunzip, JSON.parse). */
function pageData(html: string): ReportData {
  const b64 = /<script type="application\/octet-stream" id="rp-data">([^<]*)<\/script>/.exec(html)?.[1];
  expect(b64).toBeDefined();
  return JSON.parse(gunzipSync(Buffer.from(b64!, 'base64')).toString('utf8')) as ReportData;
}

/** The page's own replay code (REPLAY_JS), run in Node. */
type Replayer = { steps: number; at(i: number): { items: Map<string, string>[]; flights: Map<number, string> } };
const makeReplayer = new Function(`${REPLAY_JS}; return makeReplayer;`)() as (d: ReportData) => Replayer;

/** What the page shows at step i: items per region as summaries, as step-state.ts replays them. */
function expectedAt(report: RunReport, states: ReturnType<typeof statesByStep>, i: number): Record<string, Record<string, string>> {
  return Object.fromEntries(report.regions.map((r) => [r, Object.fromEntries(Object.entries(states[i]!.items[r] ?? {}).map(([id, item]) => [id, formatItem(item)]))]));
}
function shownAt(report: RunReport, replay: Replayer, i: number): Record<string, Record<string, string>> {
  const state = replay.at(i);
  return Object.fromEntries(report.regions.map((r, k) => [r, Object.fromEntries([...state.items[k]!.entries()].sort(([a], [b]) => (a < b ? -1 : 1)))]));
}

describe('reportHtml', () => {
  it('puts the verdict first, then the assertions with expected and actual, failed first', async () => {
    const report = await run('concurrent');
    const failing: RunReport = { ...report, assertions: [...report.assertions, { source: 'expectation', name: 'eu-west-1 ORDER#9', passed: false, expected: { status: 'x' }, actual: null, detail: 'missing' }] };
    const html = reportHtml(failing, parts(failing));
    const verdict = html.indexOf('id="rp-verdict"');
    expect(verdict).toBeGreaterThan(0);
    expect(verdict).toBeLessThan(html.indexOf('id="rp-assertions"'));
    expect(html).toContain(`FAILED: 1 of ${failing.assertions.length} assertions failed`);
    const rows = html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>')).split('</tr>').filter((r) => r.includes('<td'));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('FAIL');
    expect(rows[0]).toContain('eu-west-1 ORDER#9');
    expect(rows[0]).toContain('{status: x}');
    expect(rows[0]).toContain('missing');
    // More than 8 passed: they fold under the failed one, each still there.
    const folded = html.slice(html.indexOf('id="rp-passed-assertions"'));
    expect(folded).toContain(`<summary>${report.assertions.length} assertions passed</summary>`);
    expect(folded.match(/<td>ok<\/td>/g)).toHaveLength(report.assertions.length);
    const passing = reportHtml(report, parts(report));
    expect(passing).toContain(`PASSED (${report.assertions.length} assertions)`);
    expect(passing).toContain('rp-verdict rp-pass');
    expect(passing).toContain(`<summary>all ${report.assertions.length} assertions passed</summary>`);
    // A few passed ones stay in the table.
    const few = reportHtml({ ...report, assertions: report.assertions.slice(0, 3) }, parts(report));
    expect(few).toContain('id="rp-assertions"');
    expect(few).not.toContain('rp-passed-assertions');
  });

  it('says a run stopped at a limit', async () => {
    const report = await run('concurrent');
    const html = reportHtml({ ...report, stopped: { limit: 'trace-events', at: 500, maxTraceEvents: 10 } }, parts(report));
    expect(html).toContain('Stopped at a limit at 500ms');
    expect(html).toContain('rp-verdict rp-fail');
  });

  it('shows the sections in order: header, assertions, space-time, steps, final, Mermaid', async () => {
    const report = await run('concurrent');
    const html = reportHtml(report, parts(report));
    const order = ['<header>', 'id="assertions"', 'class="geosim-spacetime"', 'id="rp-slider"', 'id="final"', 'id="rp-mermaid"'].map((s) => html.indexOf(s));
    expect(order.every((p) => p > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(html).toContain('<summary>Mermaid sequence diagram (for comparison)</summary>');
    // The Mermaid source as written, lines and all (the live render reads it back).
    expect(html).toContain(`<pre id="rp-mermaid-source">%% Generated by geosim diagram from scenarios/concurrent.yaml, seed 1. Do not edit.\nsequenceDiagram\n`);
  });

  it('is the same bytes for the same report, and references nothing outside the page', async () => {
    const report = await run('concurrent');
    const html = reportHtml(report, parts(report));
    expect(reportHtml(report, parts(report))).toBe(html);
    expect(html).not.toMatch(/\b(src|href)="(https?:)?\/\//);
    expect(html).toContain("default-src 'none'");
  });

  it('HTML-escapes every scenario string: a <script> in an id or a value stays text', async () => {
    const scenario = scenarioFromYaml(`name: "<script>alert(1)</script>"
description: "</script><img src=x onerror=alert(2)>"
seed: 1
regions: [us-east-1, eu-west-1]
replication:
  lag: { distribution: fixed, ms: 500 }
application: { strategy: client-lww, idempotency: local }
steps:
  - at: 0
    event: { id: "<b>e1</b>", region: us-east-1, key: k1, item: "<script>x</script>", data: { v: "</script><script>alert(3)</script>" } }
expect:
  converged: true
`);
    const report = await runScenario({ ...scenario, file: 'evil.yaml' });
    const html = reportHtml(report, parts(report));
    // The page's own scripts only: the data and the page script (no bundle here).
    expect(html.match(/<script/g)).toHaveLength(2);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>e1');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    // Inside the step data the strings arrive whole, and the page shows them as text.
    const data = pageData(html);
    expect(data.s).toContain('<script>x</script>');
    const replay = makeReplayer(data);
    expect([...replay.at(data.t.length - 1).items[1]!.keys()]).toContain('<script>x</script>');
  });

  it('inlines the Mermaid bundle when given, else says the live render was left out', async () => {
    const report = await run('concurrent');
    expect(reportHtml(report, { ...parts(report), mermaidBundle: 'QUJD' })).toContain('<script type="application/octet-stream" id="rp-mermaid-bundle">QUJD</script>');
    const without = reportHtml(report, parts(report));
    expect(without).not.toContain('id="rp-mermaid-bundle"');
    expect(without).toContain('The live render was left out');
  });
});

describe('the inlined step data', () => {
  it.each(['concurrent', 'pause-replication', 'lambda-retries', 'coalescing'])('%s: the page replays the same items as step-state.ts at every step', async (name) => {
    const report = await run(name);
    const data = pageData(reportHtml(report, parts(report)));
    expect(data.t).toHaveLength(report.trace.length);
    const replay = makeReplayer(data);
    const states = statesByStep(report.regions, report.trace);
    for (let i = 0; i < report.trace.length; i++) {
      expect(shownAt(report, replay, i)).toEqual(expectedAt(report, states, i));
      expect(replay.at(i).flights.size).toBe(states[i]!.inFlight.length);
    }
    // Back to the start after the forward walk: from the checkpoint again.
    expect(shownAt(report, replay, 0)).toEqual(expectedAt(report, states, 0));
  });

  it('jumps through checkpoints: a long run replays the same items at sample steps', async () => {
    const steps = Array.from({ length: 500 }, (_, i) => `  - at: ${i * 7}\n    event: { id: e${i}, region: ${i % 2 ? 'eu-west-1' : 'us-east-1'}, key: k${i}, item: "ITEM#${i % 40}", data: { v: ${i} } }`).join('\n');
    const scenario = scenarioFromYaml(`name: long\nseed: 1\nregions: [us-east-1, eu-west-1]\nreplication:\n  lag: { distribution: uniform, min: 300, max: 900 }\napplication: { strategy: client-lww, idempotency: local }\nsteps:\n${steps}\n`);
    const report = await runScenario({ ...scenario, file: 'long.yaml' });
    expect(report.trace.length).toBeGreaterThan(3 * CHECKPOINT_EVERY);
    const data = reportData(report, []);
    // The run holds ~1000 items: checkpoints further apart than the least.
    expect(data.every).toBeGreaterThan(CHECKPOINT_EVERY);
    const states = statesByStep(report.regions, report.trace);
    const last = report.trace.length - 1;
    expect(shownAt(report, makeReplayer(data), last)).toEqual(expectedAt(report, states, last));
    // With the least interval, jumps cross several checkpoints.
    const replay = makeReplayer({ ...(JSON.parse(JSON.stringify(data)) as ReportData), every: CHECKPOINT_EVERY });
    for (const i of [0, CHECKPOINT_EVERY - 1, CHECKPOINT_EVERY, CHECKPOINT_EVERY + 1, 2 * CHECKPOINT_EVERY + 17, report.trace.length - 1, 5, 2 * CHECKPOINT_EVERY + 3, CHECKPOINT_EVERY + 1]) {
      expect(shownAt(report, replay, i)).toEqual(expectedAt(report, states, i));
    }
  });

  it('words each step as the views do: label, time, text, change', async () => {
    const report = await run('concurrent');
    const data = reportData(report, [{ t: 0, y: 10 }]);
    const discard = report.trace.findIndex((e) => e.kind === 'replication-discarded');
    expect(data.s[data.label[discard]!]).toBe('DISCARD');
    expect(data.text[discard]).toContain('silently dropped');
    const write = report.trace.findIndex((e) => e.kind === 'local-write' && e.itemId === 'ORDER#1');
    expect(data.s[data.after[write]!]).toContain('status: shipped');
    expect(data.s[data.time[write]!]).toBe('0ms');
    expect(data.axis).toEqual([0, 10]);
  });
});

describe('checkpointEvery', () => {
  it('keeps at least 1000 steps between checkpoints, more for a run of many items (about sqrt(steps × items))', () => {
    expect(checkpointEvery(500, 10)).toBe(1000);
    expect(checkpointEvery(118_000, 30_000)).toBe(59_498);
  });
});

describe('indexHtml', () => {
  it('lists every run with its verdict, failed assertions and a link', async () => {
    const ok = await run('concurrent');
    const bad: RunReport = { ...ok, scenario: { ...ok.scenario, name: 'bad <one>' }, assertions: [{ source: 'expectation', name: 'converged', passed: false, expected: true, actual: false }] };
    const html = indexHtml([
      { href: 'concurrent.html', report: ok },
      { href: 'bad.html', report: bad },
    ]);
    expect(html).toContain('1 passed, 1 failed');
    expect(html).toContain('<a href="concurrent.html">concurrent</a>');
    expect(html).toContain('<a href="bad.html">bad &lt;one&gt;</a>');
    expect(html).toContain('<li>converged</li>');
    expect(html).toContain('FAILED: 1 of 1 assertions failed');
  });
});

describe('a run with tables of its own (a scenario’s tables:, a serve session’s)', () => {
  const table = (name: string) => `  - { TableName: ${name}, BillingMode: PAY_PER_REQUEST, KeySchema: [{ AttributeName: pk, KeyType: HASH }], AttributeDefinitions: [{ AttributeName: pk, AttributeType: S }] }`;
  const yaml = `
regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 100 } }
tables:
${table('Orders')}
${table('Audit')}
steps:
  - { at: 0, put: { region: us-east-1, table: Orders, item: { pk: o-1, status: new } } }
  - { at: 0, put: { region: us-east-1, table: Audit, item: { pk: o-1, by: audit } } }
  - { at: 50, delete: { region: us-east-1, table: Audit, key: { pk: o-1 } } }
`;

  it('lists every table’s final items under its name (only the first table’s were listed), and steps through each table’s items apart (one id in two tables was one item)', async () => {
    const report = await runScenario(scenarioFromYaml(yaml));
    expect(report.assertions.filter((a) => !a.passed)).toEqual([]);
    const html = reportHtml(report, parts(report));
    const final = html.slice(html.indexOf('<section id="final">'), html.indexOf('<h2>Counts</h2>'));
    expect(final).toContain('<h3>Orders</h3>');
    expect(final).toContain('<h3>Audit</h3>');
    expect(final).toContain('status=new');
    // stepping: Audit o-1 deleted leaves Orders o-1 where it was
    const states = statesByStep(report.regions, report.trace);
    expect(Object.keys(states.at(-1)!.items['us-east-1']!)).toEqual(['o-1']);
    const replay = makeReplayer(pageData(html));
    for (let i = 0; i < replay.steps; i++) expect(shownAt(report, replay, i)).toEqual(expectedAt(report, states, i));
    const afterAudit = report.trace.findIndex((e) => e.kind === 'local-write' && e.table === 'Audit');
    expect(Object.keys(states[afterAudit]!.items['us-east-1']!).sort()).toEqual(['Audit o-1', 'o-1']);
    // Mermaid names the table of a write as of a read (a write of Audit o-1 read as the first table's o-1)
    expect(parts(report).mermaid).toContain('t=50ms delete Audit o-1 (deleted)');
  });
});
