import { renderToString } from 'ink';
import { beforeAll, describe, expect, it } from 'vitest';
import { stepViewOrKind } from '../../../src/render/step-view.js';
import { RunView } from '../../../src/render/ink/RunView.js';
import { clampLines, fillLines } from '../../../src/render/ink/StepRow.js';
import { renderText } from '../../../src/render/text.js';
import { runScenario } from '../../../src/pipeline/run-scenario.js';
import type { RunReport } from '../../../src/trace/report.js';
import { scenarioFromYaml } from '../../helpers/scenario.js';
import { plain, reportOf } from './report-fixtures.js';

/** Issue 10 item 11: what a narrow or crowded view cuts, and the notation it never explained. */
let concurrent: RunReport;
beforeAll(async () => {
  concurrent = await reportOf('concurrent.yaml');
});

const frameAt = (report: RunReport, columns: number): string => plain(renderToString(<RunView report={report} columns={columns} />, { columns }));

/** The wording column of the grid, grouped by step: a step's first line has a time, the next ones do not. */
function wordingByStep(frame: string): string[][] {
  const lines = frame.split('\n');
  const start = lines.findIndex((l) => /time\s*│/.test(l));
  const end = lines.findIndex((l, i) => i > start && l.startsWith('final items'));
  const steps: string[][] = [];
  for (const line of lines.slice(start + 1, end)) {
    if (!line.includes('│')) continue;
    const cells = line.split('│');
    const wording = cells.slice(4).join('│').replace(/^ /, '').trimEnd();
    if (cells[0]!.trim() !== '') steps.push([wording]);
    // before/after lines are their own matter (indented); only the step's wording counts here.
    else if (!/^ {2}(before|after|\s{7})/.test(wording)) steps[steps.length - 1]!.push(wording);
  }
  return steps;
}

describe('fillLines', () => {
  it('wraps at spaces and never cuts a word that fits on a line', () => {
    expect(fillLines('WRITE ORDER#1 0ms@us-east-1 in tx1 for evt-1', 25)).toEqual(['WRITE ORDER#1', '0ms@us-east-1 in tx1 for', 'evt-1']);
    expect(fillLines('EVENT evt-2 key order-1-cancelled → ORDER#1', 25)).toEqual(['EVENT evt-2 key', 'order-1-cancelled →', 'ORDER#1']);
  });

  it('breaks a word longer than a line after - # @ / or .', () => {
    expect(fillLines('WRITE IDEMPOTENCY#order-1-shipped 0ms@us-east-1', 25)).toEqual(['WRITE IDEMPOTENCY#order-', '1-shipped 0ms@us-east-1']);
    expect(fillLines('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 10)).toEqual(['aaaaaaaaaa', 'aaaaaaaaaa', 'aaaaaaaaaa']);
  });

  it('breaks a value of 400 KB with no space into lines of the width, nothing lost (its lines are worked out from its characters once)', () => {
    const value = `data=${'x'.repeat(400_000)}`;
    const lines = fillLines(`after ${value}`, 60);
    expect(lines.length).toBe(6668);
    expect(lines.every((l) => l.length <= 60)).toBe(true);
    expect(lines.join('')).toBe(`after ${value}`.replace(' ', ''));
    const cjk = fillLines(`after ${'注'.repeat(40_000)}`, 60);
    expect(cjk.length).toBe(1335);
    expect(cjk.slice(1, -1).every((l) => l === '注'.repeat(30))).toBe(true);
    expect(cjk.at(-1)).toBe('注'.repeat(10));
  });

  it('clampLines keeps the ellipsis inside the width', () => {
    expect(clampLines(['one two three', 'four five six', 'seven'], 2, 13)).toEqual(['one two three', 'four five …']);
  });
});

describe('the terminal view keeps the key fact', () => {
  it('at 120 columns the DISCARD row says first that the write was dropped, and why', () => {
    const discard = wordingByStep(frameAt(concurrent, 120)).find((s) => s[0]!.startsWith('ORDER#1 0ms@us-east-1 silently'))!;
    expect(discard.join(' ')).toContain('ORDER#1 0ms@us-east-1 silently dropped: loses to 100ms@eu-west-1 (older)');
  });

  it('at 120 columns the final items are shown whole', () => {
    const frame = frameAt(concurrent, 120);
    const lines = frame.split('\n');
    const row = lines.findIndex((l) => l.startsWith('= ORDER#1'));
    const cells = [lines[row]!, lines[row + 1]!].map((l) => l.split('│').map((c) => c.trim()));
    for (const column of [1, 2]) expect(`${cells[0]![column]} ${cells[1]![column]}`.trim()).toBe('{status: cancelled} v1 by eu-west-1 ts 00:00:00.100');
  });

  it('at 60 columns wraps the wording at word boundaries', () => {
    const steps = concurrent.trace.map(stepViewOrKind);
    const wordings = wordingByStep(frameAt(concurrent, 60));
    expect(wordings).toHaveLength(steps.length);
    wordings.forEach((lines, i) => {
      const full = `${steps[i]!.label} ${steps[i]!.text}`;
      for (let j = 0; j + 1 < lines.length; j++) {
        const [a, b] = [lines[j]!, lines[j + 1]!.replace(/ ?…$/, '')];
        // Either the break is at a space, or inside a word too long for any line, after - # @ / .
        const atSpace = full.includes(`${a} ${b.split(' ')[0]}`);
        expect(atSpace || /[-#@/.]$/.test(a), `step ${i + 1}: "${a}" | "${b}"`).toBe(true);
      }
    });
  });
});

describe('the final items of the terminal view lose nothing', () => {
  it('wraps an item id too long for its column, so ids that differ at the end stay told apart', async () => {
    const report = await runScenario(
      scenarioFromYaml(`
regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 100 } }
application: { strategy: service-lww, idempotency: none }
steps:
  - { at: 0, put: { region: us-east-1, item: { Id: "ORDER#customer-12345-region-us-east-1-order-0001", n: 1 } } }
  - { at: 0, put: { region: us-east-1, item: { Id: "ORDER#customer-12345-region-us-east-1-order-0002", n: 2 } } }
`),
      {},
    );
    const frame = frameAt(report, 120);
    const lines = frame.split('\n');
    const at = lines.findIndex((l) => l.startsWith('final items'));
    const ids = lines.slice(at + 2, at + 12).map((l) => l.split('│')[0]!.replace(/^[=≠] /, '').trim()).join('');
    expect(ids).toContain('ORDER#customer-12345-region-us-east-1-order-0001');
    expect(ids).toContain('ORDER#customer-12345-region-us-east-1-order-0002');
  });

  it('at 80 columns breaks a value longer than its column instead of dropping its middle', async () => {
    const report = await reportOf('concurrent-counter.yaml');
    const frame = frameAt(report, 80);
    const lines = frame.split('\n');
    const at = lines.findIndex((l) => l.startsWith('final items'));
    // each region's column of the first item, read back whole: the cells' words joined without the wrapping
    const column = (i: number) => lines.slice(at + 2).filter((l) => l.includes('│')).map((l) => (l.split('│')[i] ?? '').trim()).join('');
    for (const region of [1, 2, 3]) expect(column(region).replace(/\s/g, '')).toContain('VersionVector={us-east-1:');
  });
});

describe('the notation legend', () => {
  it('is one line under the header of the plain view', () => {
    const lines = renderText(concurrent).split('\n');
    const lag = lines.findIndex((l) => l.startsWith('   lag '));
    expect(lines[lag + 1]).toBe('   key: 1.5s@us-east-1 = write stamp (virtual time@region) · v2 = Version · by = writer · ts = client timestamp');
  });

  it('is under the header of the terminal view', () => {
    const frame = frameAt(concurrent, 120);
    expect(frame).toMatch(/\n {3}key: {2}1\.5s@us-east-1 = write stamp \(virtual time@region\) {2}v2 = Version {2}by = writer {2}ts = client timestamp\n/);
  });
});

describe('long times', () => {
  it('read as 8m22.345s, not 502345ms, in the plain and terminal views', async () => {
    const report = await runScenario(
      scenarioFromYaml(`
name: long-times
regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 100 } }
application: { strategy: service-lww, idempotency: none }
steps:
  - { at: 502345, put: { region: us-east-1, item: { Id: "A#1", n: 1 } } }
expect: { converged: true }
`),
      {},
    );
    for (const view of [renderText(report), frameAt(report, 120)]) {
      expect(view).not.toMatch(/\d{4,}ms/);
      expect(view).toMatch(/8m22\.345s │/);
      expect(view).toContain('A#1 8m22.345s@us-east-1');
      expect(view).toContain('arrives at 8m22.445s');
    }
  });
});
