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
/** The step panel under the grid: the step's line, its wording (up to 3 lines), the item before and after (2 each). */
const WORDING_LINES = 3;
const VALUE_LINES = 2;
/** The scenario header (4 lines and a margin) is shown only on terminals at least this tall. */
const HEADER_FROM_ROWS = 24;
const HEADER_LINES = 5;
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
  showHeader: boolean;
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
  panelLines: number = panelHeight(data.steps, size.columns),
): StepThroughLayout {
  const wide = size.columns >= SIDE_BY_SIDE;
  // The panel wraps its lines, so it can stay narrow and leave the timeline room for wording.
  const stateWidth = Math.min(60, Math.max(34, Math.floor(size.columns * 0.28)));
  const timelineWidth = wide ? size.columns - stateWidth - 2 : size.columns;
  const lanes = laneLayout(report.regions, timelineWidth, STEP_DETAIL, data.timeWidth, data.fullLane);

  // Height budget: ink clears the whole screen on a frame as tall as the terminal, so stay under.
  const showHeader = size.rows >= HEADER_FROM_ROWS;
  const body = Math.max(4, size.rows - FIXED_LINES - panelLines - (showHeader ? HEADER_LINES : 0));
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
  return { wide, stateWidth, timelineWidth, lanes, panelLines, showHeader, body, stateLinesBelow, first, regionColumns: !(wide || columnWidth < REGION_COLUMN), columnWidth, flightLines };
}

/** The current step's wording under the grid, wrapped at spaces to the panel's width. */
export function wordingLines(text: string, width: number): string[] {
  const inner = Math.max(8, width - 3);
  return clampLines(fillLines(text, inner), WORDING_LINES, inner);
}

/** `  before {…}` / `  after  {…}`, wrapped under the value. */
export function valueLines(name: string, value: string, width: number): string[] {
  const inner = Math.max(8, width - 10);
  return clampLines(fillItemLines(value, inner), VALUE_LINES, inner).map((line, i) => `${i === 0 ? `  ${name.padEnd(7)}` : ' '.repeat(9)}${line}`);
}

/** Lines the panel gives a step under its first line (check lines: 2). */
export function stepLines(step: StepView, width: number): number {
  const change = step.change ? valueLines('before', step.change.before, width).length + valueLines('after', step.change.after, width).length : 2;
  return wordingLines(step.text, width).length + change;
}

/** The panel's height: its first line and the most any step needs under it. */
export function panelHeight(steps: StepView[], width: number): number {
  const most = 1 + WORDING_LINES + 2 * VALUE_LINES;
  let tallest = 4;
  for (const step of steps) {
    tallest = Math.max(tallest, 1 + stepLines(step, width));
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
