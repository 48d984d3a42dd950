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

const TIME = 8;
const SEPARATOR = 1;

/**
 * Lanes keep a fixed width and the step wording takes what is left, so a narrow terminal
 * shortens cells (the view truncates them) instead of wrapping a row and breaking the lanes.
 * When full lanes would leave the wording less than `wantDetail` columns, the lanes go compact.
 */
export function laneLayout(regions: string[], columns: number, wantDetail = 36): LaneLayout {
  const longest = Math.max(9, ...regions.map((r) => r.length));
  const fixed = (lane: number, flight: number): number => TIME + regions.length * (lane + SEPARATOR) + flight + SEPARATOR * 2;
  // Full lanes hold a label and its origin ("DISCARD ◂use1"); they may shrink a little first.
  for (let lane = Math.max(14, longest + 2), flight = 19; lane >= 12; lane -= 1, flight -= 1) {
    if (columns - fixed(lane, flight) >= wantDetail) return { time: TIME, lane, flight, detail: columns - fixed(lane, flight), compact: false };
  }
  const short = Object.values(shortRegionNames(regions));
  const lane = Math.min(12, Math.max(6, ...short.map((s) => s.length + 2)));
  const flight = Math.min(20, Math.max(10, 2 * (lane - 2) + 2));
  return { time: TIME, lane, flight, detail: Math.max(1, columns - fixed(lane, flight)), compact: true };
}
