import type { StepView } from './step-view.js';

/** The name of the extra lane that holds replicated writes between two regions. */
export const FLIGHT_LANE = 'in flight';

/**
 * Where a step sits in the lane grid, shared by the text and terminal views: one cell per region
 * lane plus one for replication in flight. A cell holds the step's label and, for a replicated
 * write, where it comes from; the full wording stays in the step's text.
 */
export interface LaneCells {
  /** One entry per region, in the report's order; '' where the step does not touch the region. */
  regions: string[];
  flight: string;
}

/**
 * Short region codes for cells, the way AWS people write them: us-east-1 → use1,
 * ap-southeast-2 → aps2. Names that do not shorten uniquely are kept whole.
 */
export function shortRegionNames(regions: string[]): Record<string, string> {
  const short = regions.map((r) => {
    const parts = r.split('-');
    if (parts.length < 2) return r;
    return parts[0]! + parts.slice(1, -1).map((p) => p[0] ?? '').join('') + parts[parts.length - 1]!;
  });
  const unique = new Set(short).size === regions.length;
  return Object.fromEntries(regions.map((r, i) => [r, unique ? short[i]! : r]));
}

/**
 * The cells of one step. `compact` cells carry only where the step happens (● here, ◂use1 from
 * us-east-1, use1▸euw1 in flight) for narrow lanes; the label then goes with the wording.
 */
export function laneCells(step: StepView, regions: string[], short: Record<string, string>, compact = false): LaneCells {
  const name = (r: string): string => short[r] ?? r;
  if (step.inFlight) {
    const route = `${name(step.from ?? '?')}▸${name(step.region)}`;
    return { regions: regions.map(() => ''), flight: compact ? route : `${step.label} ${route}` };
  }
  // A step with no region concerns every region at once (a scenario check), or those it names (a
  // fault of a link: its two ends; one may be MRSC's witness, which has no lane).
  const origin = step.from ? `◂${name(step.from)}` : '';
  const cell = compact ? origin || '●' : `${step.label}${origin ? ` ${origin}` : ''}`;
  const touches = (r: string): boolean => (step.region === '' ? step.regions === undefined || step.regions.includes(r) : r === step.region);
  return { regions: regions.map((r) => (touches(r) ? cell : '')), flight: '' };
}
