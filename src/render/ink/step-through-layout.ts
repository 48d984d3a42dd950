import { recordTest, type RunReport } from '../../trace/report.js';
import { laneCells, shortRegionNames } from '../lanes.js';
import { statesByStep, type StepState } from '../step-state.js';
import { stepViewOrKind, type StepView } from '../step-view.js';
import { laneLayout, timeColumnWidth, type LaneLayout } from './layout.js';
import { fillItemLines, regionStateHeight } from './RegionState.js';
import { clampLines, fillLines } from './StepRow.js';

// How the stepper's frame divides the terminal: pure arithmetic over the report, the size and the
// current step, so a test can check it (and StepFrame can draw it) without a terminal.

/**
 * Width from which the item state sits beside the timeline rather than under it: there the
 * timeline keeps STEP_DETAIL columns for the wording with compact lanes beside a 34-column panel.
 */
const SIDE_BY_SIDE = 120;
/**
 * Columns the wording of a timeline row should get: enough for a step's key fact (`DISCARD
 * ORDER#1 1.5s@us-east-1 silently dropped`). Full lanes that would leave less go compact.
 */
const STEP_DETAIL = 44;
/** Lines besides the step window and the step panel: lane titles, two ⋮ lines, margin, verdict, keys, one spare. */
const FIXED_LINES = 7;
/** The scenario header is shown only on terminals at least this tall. */
const HEADER_FROM_ROWS = 24;
/**
 * From this height the header has its four lines and the step panel its full size; below it (an
 * 80x24 terminal, the usual size) both are cut down so the items after the step keep the room
 * they need: the header to its title line, the step's wording to 2 lines and the item before and
 * after to one line each (the items panel above shows the item whole).
 */
const FULL_FROM_ROWS = 30;

/** The step panel under the grid: the step's line, its wording, the item before and after. */
export interface PanelCaps {
  /** Lines the step's wording may take. */
  wording: number;
  /** Lines the item before the step may take, and as many the item after. */
  value: number;
}

const FULL_PANEL: PanelCaps = { wording: 3, value: 2 };
const SHORT_PANEL: PanelCaps = { wording: 2, value: 1 };

/** How much of the step panel a terminal of `rows` lines shows. */
export function panelCaps(rows: number): PanelCaps {
  return rows >= FULL_FROM_ROWS ? FULL_PANEL : SHORT_PANEL;
}

/** Lines the scenario header takes with its margin: four and one from FULL_FROM_ROWS, its title and one from HEADER_FROM_ROWS, else none. */
function headerLines(rows: number): number {
  return rows >= FULL_FROM_ROWS ? 5 : rows >= HEADER_FROM_ROWS ? 2 : 0;
}
/** A region's column under the timeline needs this many columns; narrower, the regions go one under the other. */
const REGION_COLUMN = 34;

/** What the stepper derives from a report once: each step as the views word it, the state after it, lane widths. */
export interface StepThroughData {
  steps: StepView[];
  /** `states[i]` is every region's items after step i + 1. */
  states: StepState[];
  short: Record<string, string>;
  /** The time column's width (timeColumnWidth, with room for the ▶ marker). */
  timeWidth: number;
  /** Full lanes only when they hold every label whole ("DISCARD ◂use1"); else markers, the label going to the wording. */
  fullLane: number;
  /** Which ids are idempotency records (recordTest): each told by its id alone in the panel. */
  isRecord: (id: string) => boolean;
}

export function stepThroughData(report: RunReport): StepThroughData {
  const steps = report.trace.map(stepViewOrKind);
  const short = shortRegionNames(report.regions);
  return {
    steps,
    states: statesByStep(report.regions, report.trace),
    short,
    timeWidth: timeColumnWidth(report.trace, true),
    fullLane: longestFullCell(steps, report.regions, short) + 1,
    isRecord: recordTest(report),
  };
}

export interface StepThroughLayout {
  /** The item state sits beside the timeline (a wide terminal), else under it. */
  wide: boolean;
  stateWidth: number;
  timelineWidth: number;
  lanes: LaneLayout;
  /** The step panel under the grid: as tall as the tallest step's, so the frame does not jump while stepping. */
  panelLines: number;
  /** How many lines the panel gives a step's wording and the item before and after it. */
  caps: PanelCaps;
  showHeader: boolean;
  /** The header is its title line only (a terminal under FULL_FROM_ROWS). */
  headerTitleOnly: boolean;
  /** Lines for the body: the step window, and the state panel beside or under it. */
  body: number;
  /** Lines of the state panel under the timeline (0 when wide). */
  stateLinesBelow: number;
  /** The timeline shows steps `first + 1 ..= index`, the last ones up to the current one. */
  first: number;
  /** The regions' item state sits side by side under the timeline, each `columnWidth` wide, the writes in flight below them. */
  regionColumns: boolean;
  columnWidth: number;
  /** Lines of the writes in flight under the region columns. */
  flightLines: number;
}

/**
 * The frame at step `index` (0 for an empty trace) on a terminal of `size`. It always fits the
 * terminal's height (ink clears the screen on every frame that does not), so only the last steps
 * up to the current one are shown. `panelLines` may be passed in when the caller keeps it per width.
 */
export function stepThroughLayout(
  report: RunReport,
  data: StepThroughData,
  size: { columns: number; rows: number },
  index: number,
  panelLines: number = panelHeight(data.steps, size.columns, panelCaps(size.rows)),
): StepThroughLayout {
  const caps = panelCaps(size.rows);
  const wide = size.columns >= SIDE_BY_SIDE;
  // The panel wraps its lines, so it can stay narrow and leave the timeline room for wording.
  const stateWidth = Math.min(60, Math.max(34, Math.floor(size.columns * 0.28)));
  const timelineWidth = wide ? size.columns - stateWidth - 2 : size.columns;
  const lanes = laneLayout(report.regions, timelineWidth, STEP_DETAIL, data.timeWidth, data.fullLane);

  // Height budget: ink clears the whole screen on a frame as tall as the terminal, so stay under.
  const header = headerLines(size.rows);
  const body = Math.max(4, size.rows - FIXED_LINES - panelLines - header);
  const stateLinesBelow = wide ? 0 : Math.max(3, Math.floor(body / 2));
  const windowSize = Math.max(2, wide ? body : body - stateLinesBelow - 2);
  const first = Math.max(0, index - windowSize);

  // Under the timeline, the regions sit side by side when each gets a panel's width, the writes in flight below them.
  const state = index > 0 ? data.states[index - 1] : undefined;
  const columnWidth = Math.floor((size.columns - 2 * (report.regions.length - 1)) / Math.max(1, report.regions.length));
  const regionLines = Math.max(...report.regions.map((region) => regionStateHeight(report.regions, state, columnWidth, { region }, data.isRecord)));
  // The writes in flight take what they need of what the regions leave, two lines when the regions
  // need more, but never so much that a region keeps only one line (its name and nothing it holds).
  const flightNeeded = regionStateHeight(report.regions, state, size.columns, 'in flight', data.isRecord);
  const flightLines = Math.max(1, Math.min(flightNeeded, Math.max(stateLinesBelow - regionLines, Math.min(2, stateLinesBelow - 2))));
  return { wide, stateWidth, timelineWidth, lanes, panelLines, caps, showHeader: header > 0, headerTitleOnly: header === 2, body, stateLinesBelow, first, regionColumns: !(wide || columnWidth < REGION_COLUMN), columnWidth, flightLines };
}

/** The current step's wording under the grid, wrapped at spaces to the panel's width. */
export function wordingLines(text: string, width: number, caps: PanelCaps = FULL_PANEL): string[] {
  const inner = Math.max(8, width - 3);
  return clampLines(fillLines(text, inner), caps.wording, inner);
}

/** `  before {…}` / `  after  {…}`, wrapped under the value. */
export function valueLines(name: string, value: string, width: number, caps: PanelCaps = FULL_PANEL): string[] {
  const inner = Math.max(8, width - 10);
  return clampLines(fillItemLines(value, inner), caps.value, inner).map((line, i) => `${i === 0 ? `  ${name.padEnd(7)}` : ' '.repeat(9)}${line}`);
}

/** Lines the panel gives a step under its first line (check lines: 2). */
export function stepLines(step: StepView, width: number, caps: PanelCaps = FULL_PANEL): number {
  const change = step.change ? valueLines('before', step.change.before, width, caps).length + valueLines('after', step.change.after, width, caps).length : 2;
  return wordingLines(step.text, width, caps).length + change;
}

/** The panel's height: its first line and the most any step needs under it. */
export function panelHeight(steps: StepView[], width: number, caps: PanelCaps = FULL_PANEL): number {
  const most = 1 + caps.wording + 2 * caps.value;
  let tallest = 4;
  for (const step of steps) {
    tallest = Math.max(tallest, 1 + stepLines(step, width, caps));
    if (tallest >= most) break;
  }
  return tallest;
}

/** The widest lane cell a full-lane grid would show for these steps (`DISCARD ◂use1`). */
function longestFullCell(steps: StepView[], regions: string[], short: Record<string, string>): number {
  let longest = 0;
  for (const step of steps) for (const cell of laneCells(step, regions, short, false).regions) longest = Math.max(longest, cell.length);
  return longest;
}
