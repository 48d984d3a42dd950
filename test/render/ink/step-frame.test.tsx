import { renderToString } from 'ink';
import { render } from 'ink-testing-library';
import { beforeAll, describe, expect, it } from 'vitest';
import { StepFrame } from '../../../src/render/ink/StepFrame.js';
import { StepThrough } from '../../../src/render/ink/StepThrough.js';
import { stepThroughData, type StepThroughData } from '../../../src/render/ink/step-through-layout.js';
import type { RunReport } from '../../../src/trace/report.js';
import { failingReport, plain, reportOf } from './report-fixtures.js';

let report: RunReport;
let data: StepThroughData;
beforeAll(async () => {
  report = await reportOf('pause-replication.yaml');
  data = stepThroughData(report);
});

const frame = (r: RunReport, d: StepThroughData, index: number, columns: number, rows: number, playing = false): string =>
  plain(renderToString(<StepFrame report={r} data={d} index={index} playing={playing} speed={2} columns={columns} rows={rows} />, { columns }));

describe('StepFrame (one frame of the stepper, drawn without a terminal)', () => {
  it.each([
    [120, 24],
    [120, 16],
    [80, 24],
    [60, 20],
  ])('fits a %ix%i terminal and names the step (first, middle, last; step-through.test.tsx presses through every step)', (columns, rows) => {
    for (const index of [1, Math.ceil(report.trace.length / 2), report.trace.length]) {
      const text = frame(report, data, index, columns, rows);
      expect(text.split('\n').length, `step ${index}`).toBeLessThan(rows);
      expect(text).toContain(`step ${index}/${report.trace.length}`);
      for (const line of text.split('\n')) expect(line.length, `step ${index}: ${line}`).toBeLessThanOrEqual(columns);
    }
  });

  it('counts the steps left out above the window and below the current one', () => {
    const text = frame(report, data, 20, 120, 20);
    expect(text).toMatch(/⋮ \d+ earlier steps/);
    expect(text).toContain(`⋮ ${report.trace.length - 20} more`);
  });

  it('ends with the verdict, and the key help says whether it plays', async () => {
    const failing = await failingReport();
    const last = frame(failing, stepThroughData(failing), failing.trace.length, 100, 30, true);
    expect(last).toContain('■ end of trace');
    expect(last).toMatch(/end: wrong-winner FAILED/);
    expect(last).toMatch(/p +pause \(2 steps\/s\)/);
    expect(last).toContain('▶ playing');
    expect(frame(failing, stepThroughData(failing), 1, 100, 30)).not.toContain('end: wrong-winner');
  });

  it('says so for an empty trace', () => {
    const empty: RunReport = { ...report, trace: [] };
    expect(frame(empty, stepThroughData(empty), 0, 80, 24)).toContain('step 0/0: the trace is empty');
  });

  it('is the frame StepThrough shows at that step', async () => {
    const app = render(<StepThrough report={report} speed={2} columns={80} rows={24} />);
    for (let i = 0; i < 5; i++) app.stdin.write(' ');
    let shown = '';
    for (let i = 0; i < 1000 && !shown.includes('step 6/'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      shown = plain(app.lastFrame());
    }
    app.unmount();
    expect(shown).toBe(frame(report, data, 6, 80, 24));
  });
});

describe('the items under the timeline on an 80x24 terminal (the usual size)', () => {
  let failover: RunReport;
  let failoverData: StepThroughData;
  beforeAll(async () => {
    failover = await reportOf('failover.yaml');
    failoverData = stepThroughData(failover);
  });

  it('names every region and the writes in flight, not only "… N more lines"', () => {
    // Step 13 (us-east-1 sends ORDER#1 at 1.5s): each region holds more than fits and two writes are in flight.
    // The panel gave each region one line, "… 6 more lines", which did not say whose items it left out.
    const text = frame(failover, failoverData, 13, 80, 24);
    const items = text.slice(text.indexOf('items after step 13'), text.indexOf('\nstep 13/'));
    expect(items).toMatch(/^us-east-1( {2}… \d+ more lines?)? +eu-west-1( {2}… \d+ more lines?)?$/m);
    expect(items).toMatch(/^in flight \(2\)/m);
    expect(text.split('\n').length).toBeLessThan(24);
  });

  it('gives the regions the line "in flight  (none)" does not need', async () => {
    const witness = await reportOf('mrsc-witness-outage.yaml');
    const text = frame(witness, stepThroughData(witness), 13, 80, 24);
    const items = text.slice(text.indexOf('items after step 13'), text.indexOf('\nstep 13/'));
    expect(items).toMatch(/^us-east-1( {2}… \d+ more lines?)? +us-east-2( {2}… \d+ more lines?)?$/m);
    expect(items).toMatch(/^in flight {2}\(none\)$/m);
  });

  it("shows an item's value, not only a count, once the title-only header and the shorter step panel leave room", async () => {
    // concurrent.yaml step 10: eu-west-1 writes ORDER#1 while us-east-1 holds its own version. The
    // four-line header and an 8-line step panel (half of it blank on most steps) left each region
    // "… 4 more lines" and the writes in flight "… 3 more lines", none of it shown.
    const concurrent = await reportOf('concurrent.yaml');
    const text = frame(concurrent, stepThroughData(concurrent), 10, 80, 24);
    expect(text.split('\n').length).toBeLessThan(24);
    expect(text).toMatch(/^━━ concurrent +scenarios\/concurrent\.yaml$/m);
    expect(text).not.toContain('MREC · seed');
    const items = text.slice(text.indexOf('items after step 10'), text.indexOf('\nstep 10/'));
    expect(items).toContain('{status: shipped} v1');
    expect(items).toContain('{status: cancelled} v1');
    expect(items).toMatch(/^in flight \(3\) {2}… 2 more lines\n {2}IDEMPOTENCY#order-1-shipped use1▸euw1 at 800ms$/m);
    // the step's own lines: its wording, the item before and after, each on one line
    expect(text).toMatch(/^ {2}before \(absent\)\n {2}after {2}\{status: cancelled\} v1 by eu-west-1/m);
    // from 30 rows, the full header and panel
    const tall = frame(concurrent, stepThroughData(concurrent), 10, 80, 30);
    expect(tall).toContain('MREC · seed 1');
    expect(tall.split('\n').length).toBeLessThan(30);
  });
});
