import { durationMs, isBetween, isOneOf } from '../scenario/schema.js';
import type { Rng } from '../sim/rng.js';

/**
 * "What may vary" in a scenario (issue 14): the places that hold a range instead of a value. One
 * implementation for both `geosim run` (draws each once from the seed, stream 'ranges') and
 * `geosim explore` (draws per run, uniform or biased): find the ranges, choose values, pin them.
 */
export interface RangePoint {
  /** Where the range is in the input, e.g. ['steps', 3, 'at']. */
  path: (string | number)[];
  /** How reports name it: "steps[3].at", "faults[0].skew", "steps[5].retry.region". */
  label: string;
  kind: 'time' | 'region' | 'skew';
  /** time and skew: the inclusive bounds in whole ms. */
  min?: number;
  max?: number;
  /** region: the choices, in the file's order. */
  options?: string[];
}

/** The stream of the seed `geosim run` draws ranges from, so no other draw shifts. */
export const RANGES_STREAM = 'ranges';

/**
 * The ranges of a scenario input (the object its YAML parses to), in file order: steps and faults
 * in the order the file gives its sections, each entry's keys in their written order. The input is
 * expected to be valid (loaded); anything else is skipped, not reported.
 */
export function findRanges(input: Record<string, unknown>): RangePoint[] {
  const points: RangePoint[] = [];
  for (const section of Object.keys(input)) {
    if (section !== 'steps' && section !== 'faults') continue;
    const list = input[section];
    if (!Array.isArray(list)) continue;
    list.forEach((entry: unknown, i) => {
      if (!isRecord(entry)) return;
      for (const key of Object.keys(entry)) {
        const value = entry[key];
        if (key === 'at' && isBetween(value)) points.push(timePoint([section, i, 'at'], `${section}[${i}].at`, 'time', value.between));
        else if (section === 'steps' && (key === 'event' || key === 'retry') && isRecord(value) && isOneOf(value.region)) {
          points.push({ path: [section, i, key, 'region'], label: `${section}[${i}].${key}.region`, kind: 'region', options: [...value.region.oneOf] });
        } else if (section === 'faults' && key === 'clockSkew' && isRecord(value) && isBetween(value.skew)) {
          points.push(timePoint([section, i, key, 'skew'], `${section}[${i}].skew`, 'skew', value.skew.between));
        }
      }
    });
  }
  return points;
}

function timePoint(path: RangePoint['path'], label: string, kind: 'time' | 'skew', [lo, hi]: [number | string, number | string]): RangePoint {
  return { path, label, kind, min: Math.ceil(durationMs(lo)), max: Math.floor(durationMs(hi)) };
}

/**
 * A deep copy of `input` with each range replaced by its value (`values[k]` for `points[k]`, as
 * findRanges returns them): the concrete input one run stands for. Times are whole ms numbers.
 */
export function pinRanges(input: Record<string, unknown>, values: ReadonlyArray<number | string>, points: RangePoint[] = findRanges(input)): Record<string, unknown> {
  if (values.length !== points.length) throw new Error(`pinRanges: ${points.length} ranges, ${values.length} values`);
  // Copied along the paths it changes only (every step and fault object, and what holds a range):
  // explore pins an input per run, and a deep copy of the whole scenario cost more than the run.
  const copy: Record<string, unknown> = { ...input };
  for (const section of ['steps', 'faults']) {
    const list = input[section];
    if (Array.isArray(list)) copy[section] = list.map((entry: unknown) => (isRecord(entry) ? { ...entry } : entry));
  }
  points.forEach((point, k) => {
    let parent = copy as Record<string | number, unknown>;
    for (const [depth, step] of point.path.slice(0, -1).entries()) {
      // below a step or fault object: copy what is about to change
      if (depth >= 2) parent[step] = { ...(parent[step] as Record<string, unknown>) };
      parent = parent[step] as Record<string | number, unknown>;
    }
    parent[point.path[point.path.length - 1]!] = values[k]!;
  });
  if (points.some((p) => p.kind === 'time')) retriesAfterTheirEvents(copy);
  return copy;
}

/**
 * A client retries what it sent: a retry drawn earlier than its event is sent at the event's time
 * (after it, steps keep file order at equal times), so every pinned input is one `geosim run` takes.
 */
function retriesAfterTheirEvents(input: Record<string, unknown>): void {
  const steps = input.steps;
  if (!Array.isArray(steps)) return;
  const sentAt = new Map<string, number>();
  for (const step of steps as Array<Record<string, unknown>>) {
    if (!isRecord(step) || (typeof step.at !== 'number' && typeof step.at !== 'string')) continue;
    const at = durationMs(step.at);
    const event = step.event;
    if (isRecord(event) && typeof event.id === 'string' && !sentAt.has(event.id)) sentAt.set(event.id, at);
    const retry = step.retry;
    if (isRecord(retry) && typeof retry.of === 'string') {
      const original = sentAt.get(retry.of);
      if (original !== undefined && at < original) step.at = original;
    }
  }
}

/**
 * The least time of each step and fault, by index, as the shrinker takes them
 * (ShrinkOptions.timeFloors): a ranged one's range's lower bound, and a time the template fixes is
 * its own least, so a repro keeps every time inside the window it was drawn from and every fixed
 * time where the scenario put it (it moved a step at 2s to 1201 ms, or a check at 400 ms to 51: no
 * schedule the scenario could have drawn).
 */
export function timeFloors(points: readonly RangePoint[], template: Readonly<Record<string, unknown>>): { steps: Array<number | undefined>; faults: Array<number | undefined> } {
  const floors = { steps: [] as Array<number | undefined>, faults: [] as Array<number | undefined> };
  for (const section of ['steps', 'faults'] as const) {
    const entries = template[section];
    if (!Array.isArray(entries)) continue;
    entries.forEach((entry: unknown, i) => {
      const at = isRecord(entry) ? entry.at : undefined;
      floors[section][i] = at === undefined ? 0 : typeof at === 'number' || typeof at === 'string' ? fixedMs(at) : undefined;
    });
  }
  for (const point of points) {
    const [section, index, key] = point.path;
    if (point.kind !== 'time' || key !== 'at' || (section !== 'steps' && section !== 'faults')) continue;
    floors[section][index as number] = point.min;
  }
  return floors;
}

/** A fixed time in ms, or undefined when it is not one (the loader has refused such a file already). */
export function fixedMs(at: number | string): number | undefined {
  try {
    return durationMs(at);
  } catch {
    return undefined;
  }
}

/** One value per point, uniform: a whole ms within [min, max], or one of the options. */
export function drawRanges(points: readonly RangePoint[], rng: Rng): Array<number | string> {
  return points.map((point) => {
    if (point.kind === 'region') return point.options![Math.floor(rng.next() * point.options!.length)]!;
    return point.min! + Math.floor(rng.next() * (point.max! - point.min! + 1));
  });
}

/** The values a pinned input holds at each range's place, by label, as a report shows them. */
export function drawnByLabel(points: readonly RangePoint[], pinned: Record<string, unknown>): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const point of points) {
    let value: unknown = pinned;
    for (const step of point.path) value = (value as Record<string | number, unknown>)[step];
    out[point.label] = value as number | string;
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
