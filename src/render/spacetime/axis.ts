/**
 * The space-time diagram's time axis: virtual time → y, piecewise linear.
 *
 * One scale for the whole run, chosen from the replication lag (a typical replicated write drops
 * LAG_PX, so the slope of an arrow reads as its lag), with two corrections so any run reads:
 * - distinct times never closer than MIN_STEP (a line of text): a gap drawn smaller is widened,
 *   so order is always visible and an arrival is always strictly below its send;
 * - a gap that would be taller than BREAK_PX (a retry 3 days later, a long pause) is drawn as a
 *   fixed BREAK_HEIGHT break, which the diagram marks with a zig-zag and the skipped duration.
 * A short run is stretched to MIN_BODY; a long one is squeezed to MAX_BODY (then, and only then,
 * distinct times may come closer than MIN_STEP).
 */
export interface AxisPoint {
  t: number;
  y: number;
}

export interface AxisBreak {
  /** The times on either side of the skipped stretch. */
  from: number;
  to: number;
  y0: number;
  y1: number;
}

export interface Axis {
  /** Breakpoints, increasing in t and y: y(t) interpolates between them and clamps at the ends. */
  points: AxisPoint[];
  breaks: AxisBreak[];
  /** y of the last time. */
  bottom: number;
}

export const LAG_PX = 100;
export const MIN_STEP = 16;
export const BREAK_PX = 2.5 * LAG_PX;
export const BREAK_HEIGHT = 48;
export const MIN_BODY = 360;
export const MAX_BODY = 60_000;

/** Lays out `times` (any order, repeats allowed) from y = `top`; `typicalMs` is the replication lag to scale by. */
export function buildAxis(times: number[], typicalMs: number, top: number): Axis {
  const ts = [...new Set(times)].sort((a, b) => a - b);
  if (ts.length === 0) return { points: [{ t: 0, y: top }], breaks: [], bottom: top };
  const scale = LAG_PX / (typicalMs > 0 ? typicalMs : 1000);
  const gaps: { g: number; h: number; isBreak: boolean }[] = [];
  for (let i = 1; i < ts.length; i++) {
    const g = ts[i]! - ts[i - 1]!;
    const isBreak = g * scale > BREAK_PX;
    gaps.push({ g, isBreak, h: isBreak ? BREAK_HEIGHT : g * scale });
  }
  const fixed = gaps.filter((x) => x.isBreak).length * BREAK_HEIGHT;
  const natural = gaps.reduce((sum, x) => sum + (x.isBreak ? 0 : x.h), 0);
  // A short run stretched (at most 3x, so a lone arrow does not become a cliff), a long one squeezed.
  let factor = 1;
  if (natural > 0 && natural + fixed < MIN_BODY) factor = Math.min(3, (MIN_BODY - fixed) / natural);
  for (const x of gaps) if (!x.isBreak) x.h = Math.max(MIN_STEP, x.h * factor);
  const total = gaps.reduce((sum, x) => sum + x.h, 0);
  if (total > MAX_BODY) {
    const stretchy = total - fixed;
    const squeeze = (MAX_BODY - fixed) / stretchy;
    for (const x of gaps) if (!x.isBreak) x.h *= squeeze;
  }
  const points: AxisPoint[] = [{ t: ts[0]!, y: top }];
  const breaks: AxisBreak[] = [];
  let y = top;
  gaps.forEach((x, i) => {
    const y0 = y;
    y += x.h;
    points.push({ t: ts[i + 1]!, y });
    if (x.isBreak) breaks.push({ from: ts[i]!, to: ts[i + 1]!, y0, y1: y });
  });
  return { points, breaks, bottom: y };
}

/** y of virtual time t on the axis (binary search; linear between breakpoints, clamped at the ends). */
export function yAt(points: AxisPoint[], t: number): number {
  const first = points[0]!;
  const last = points[points.length - 1]!;
  if (t <= first.t) return first.y;
  if (t >= last.t) return last.y;
  let lo = 0;
  let hi = points.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (points[mid]!.t <= t) lo = mid;
    else hi = mid;
  }
  const a = points[lo]!;
  const b = points[hi]!;
  return a.y + ((t - a.t) / (b.t - a.t)) * (b.y - a.y);
}

/**
 * The 90th percentile of positive numbers (rounded up), or undefined when there are none: the
 * lag to scale by is a slow one, so a slow replicated write is not torn by a break while a few
 * quick ones (a 1 ms link) do not blow the scale up.
 */
export function typicalPositive(values: number[]): number | undefined {
  const v = values.filter((x) => x > 0).sort((a, b) => a - b);
  return v.length ? v[Math.ceil(0.9 * (v.length - 1))] : undefined;
}
