import { formatTime } from '../format-time.js';
import { shortRegionNames } from '../lanes.js';

/** Column widths of the lane grid for a terminal `columns` wide. */
export interface LaneLayout {
  time: number;
  /** Width of each region lane, without its separator. */
  lane: number;
  flight: number;
  /** What is left for the step's wording; may be small on a narrow terminal. */
  detail: number;
  /**
   * Narrow terminal: lanes are titled with short region names and hold only a marker (● for a
   * step there, ◂use1 for a write arriving from us-east-1); the label moves to the wording.
   */
  compact: boolean;
}

const SEPARATOR = 1;

/**
 * Width of the time column (with its right padding) for a trace's times: room for the longest
 * time (`10s`, `8m22.345s`), plus `▶ ` in front when the column `marks` the current step, so the
 * marker never pushes a time out of its column. At least 8, the width of `▶ 100ms `.
 */
export function timeColumnWidth(steps: ReadonlyArray<{ t: number }>, marks: boolean): number {
  let longest = 0;
  for (const { t } of steps) longest = Math.max(longest, formatTime(t).length);
  return Math.max(7, longest + (marks ? 2 : 0)) + 1;
}

/**
 * Lanes keep a fixed width and the step wording takes what is left, so a narrow terminal
 * shortens cells (the view truncates them) instead of wrapping a row and breaking the lanes.
 * When full lanes would leave the wording less than `wantDetail` columns, the lanes go compact.
 * `time` is the time column's width (timeColumnWidth). Full lanes may shrink down to `minLane`
 * (cutting the longest labels) before they go compact.
 */
export function laneLayout(regions: string[], columns: number, wantDetail = 36, time = 8, minLane = 12): LaneLayout {
  const longest = regions.reduce((n, r) => Math.max(n, r.length), 9);
  const fixed = (lane: number, flight: number): number => time + regions.length * (lane + SEPARATOR) + flight + SEPARATOR * 2;
  // Full lanes hold a label and its origin ("DISCARD ◂use1"); they may shrink a little first.
  for (let lane = Math.max(14, longest + 2, minLane), flight = 19; lane >= minLane; lane -= 1, flight -= 1) {
    if (columns - fixed(lane, flight) >= wantDetail) return { time, lane, flight, detail: columns - fixed(lane, flight), compact: false };
  }
  const short = Object.values(shortRegionNames(regions));
  const lane = Math.min(12, short.reduce((n, s) => Math.max(n, s.length + 2), 6));
  const flight = Math.min(20, Math.max(10, 2 * (lane - 2) + 2));
  return { time, lane, flight, detail: Math.max(1, columns - fixed(lane, flight)), compact: true };
}
