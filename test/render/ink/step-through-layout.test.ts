import { beforeAll, describe, expect, it } from 'vitest';
import { panelCaps, panelHeight, stepThroughData, stepThroughLayout, type StepThroughData } from '../../../src/render/ink/step-through-layout.js';
import type { RunReport } from '../../../src/trace/report.js';
import { reportOf } from './report-fixtures.js';

let report: RunReport;
let data: StepThroughData;
beforeAll(async () => {
  report = await reportOf('pause-replication.yaml');
  data = stepThroughData(report);
});

describe('stepThroughData', () => {
  it('holds one view and one state per trace step', () => {
    expect(data.steps).toHaveLength(report.trace.length);
    expect(data.states).toHaveLength(report.trace.length);
    expect(data.steps.map((s) => s.seq)).toEqual(report.trace.map((e) => e.seq));
  });
});

describe('stepThroughLayout', () => {
  it('puts the item state beside the timeline from 120 columns, under it below', () => {
    const wide = stepThroughLayout(report, data, { columns: 120, rows: 40 }, 1);
    expect(wide.wide).toBe(true);
    expect(wide.stateLinesBelow).toBe(0);
    expect(wide.timelineWidth).toBe(120 - wide.stateWidth - 2);
    expect(wide.regionColumns).toBe(false);
    const narrow = stepThroughLayout(report, data, { columns: 119, rows: 40 }, 1);
    expect(narrow.wide).toBe(false);
    expect(narrow.timelineWidth).toBe(119);
    expect(narrow.stateLinesBelow).toBeGreaterThanOrEqual(3);
  });

  it('sets the regions side by side under the timeline only when each gets 34 columns', () => {
    expect(report.regions).toHaveLength(2);
    expect(stepThroughLayout(report, data, { columns: 70, rows: 40 }, 1)).toMatchObject({ regionColumns: true, columnWidth: 34 });
    expect(stepThroughLayout(report, data, { columns: 69, rows: 40 }, 1)).toMatchObject({ regionColumns: false, columnWidth: 33 });
  });

  it('shows the scenario header from 24 rows (its title line alone under 30), and takes its lines from the body', () => {
    const full = stepThroughLayout(report, data, { columns: 120, rows: 30 }, 1);
    const title = stepThroughLayout(report, data, { columns: 120, rows: 24 }, 1);
    const none = stepThroughLayout(report, data, { columns: 120, rows: 23 }, 1);
    expect([full.showHeader, full.headerTitleOnly]).toEqual([true, false]);
    expect([title.showHeader, title.headerTitleOnly]).toEqual([true, true]);
    expect(none.showHeader).toBe(false);
    expect(none.body).toBe(title.body - 1 + 2);
  });

  it('cuts the step panel to 2 lines of wording and one each for the item before and after under 30 rows', () => {
    expect(panelCaps(30)).toEqual({ wording: 3, value: 2 });
    expect(panelCaps(29)).toEqual({ wording: 2, value: 1 });
    const short = stepThroughLayout(report, data, { columns: 40, rows: 29 }, 1);
    expect(short.panelLines).toBeLessThanOrEqual(5);
    expect(short.panelLines).toBe(panelHeight(data.steps, 40, panelCaps(29)));
    expect(stepThroughLayout(report, data, { columns: 40, rows: 30 }, 1).panelLines).toBe(panelHeight(data.steps, 40));
  });

  it('shows the last steps up to the current one: the window slides as the stepper moves on', () => {
    const size = { columns: 120, rows: 20 };
    const start = stepThroughLayout(report, data, size, 1);
    expect(start.first).toBe(0);
    const end = stepThroughLayout(report, data, size, report.trace.length);
    // Wide: the window is the body.
    expect(end.first).toBe(report.trace.length - end.body);
    expect(end.first).toBeGreaterThan(0);
  });

  it('keeps a step panel of 4 to 8 lines, the tallest step wrapped at the width', () => {
    const wide = panelHeight(data.steps, 200);
    const narrow = panelHeight(data.steps, 40);
    expect(wide).toBeGreaterThanOrEqual(4);
    expect(narrow).toBeLessThanOrEqual(8);
    expect(narrow).toBeGreaterThanOrEqual(wide);
    expect(stepThroughLayout(report, data, { columns: 40, rows: 30 }, 1).panelLines).toBe(narrow);
    expect(stepThroughLayout(report, data, { columns: 40, rows: 30 }, 1, 6).panelLines).toBe(6);
  });
});
