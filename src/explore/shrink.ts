import { failsTheSameWay, failureDetail, failureSignatures } from './failure.js';
import { UserError } from '../errors.js';
import { durationMs } from '../scenario/schema.js';
import type { RunReport } from '../trace/report.js';
import { linkKey } from './lag-recorder.js';
import { wallNow } from '../sim/virtual-time/real.js';

/** What bounds a shrink. Neither changes which candidates are tried, only how many. */
export interface ShrinkOptions {
  /** Wall-clock ms the shrink may take; it stops before the next run once they are spent. Default none. */
  deadlineMs?: number;
  /** Runs the shrink may make, the check of the input itself included. Default none. */
  maxRuns?: number;
  /** True once the shrink must stop before its next run (the user interrupted explore). */
  stop?: () => boolean;
  /**
   * The least lag of each link by key "from→to" (`lagFloors` of the scenario before its lags were
   * pinned): pinned lags are lowered no further, so the repro's lags are ones the scenario could
   * draw. A link not listed goes down to 0.
   */
  lagFloors?: Record<string, number>;
  /**
   * The least time each step and each fault of the input may take, by index (`timeFloors` of the
   * scenario's ranges: a range's lower bound; a fixed time is not listed and goes down to 0 or to
   * the step before it): times are lowered no further, so the repro's schedule is one the scenario
   * could draw, not an update sent before the window its author declared.
   */
  timeFloors?: TimeFloors;
  /** The clock of the deadline and of `ms` (default the real clock); never used to choose. */
  clock?: () => number;
}

/** Least times by index into the input's `steps` and `faults` (see ShrinkOptions.timeFloors). */
export interface TimeFloors {
  steps?: ReadonlyArray<number | undefined>;
  faults?: ReadonlyArray<number | undefined>;
}

export interface ShrinkResult {
  /** The smallest input found that still fails with the signature. */
  input: Record<string, unknown>;
  /** Runs made, the check of the input itself included. */
  runs: number;
  /** Wall-clock ms the shrink took. */
  ms: number;
  /** What each kept change did, in order, e.g. "dropped steps[3] (event e-7 and its retries)". */
  steps: string[];
  /** True when a whole round of passes improved nothing; false when the deadline or maxRuns cut it short. */
  complete: boolean;
}

/*
 * The input is the object a YAML scenario parses to, unvalidated as far as this module knows
 * (runInput validates every candidate): its parts are read and edited as plain JSON.
 */
type Node = any;
type Input = Record<string, unknown>;
type Path = Array<string | number>;

/**
 * Shrinks a failing concrete scenario input (every range and lag pinned) to a smaller one that
 * fails the same way: greedy passes, each candidate kept only when its run fails that assertion
 * the same way (failureDetail), fails none the input passed, and fails no more event attempts (see sameFailure),
 * repeated until a whole round keeps nothing. The passes, in order:
 * fewer assertions, faults, steps and regions; earlier times; shorter lags; simpler values; no
 * description. Deterministic: the candidates depend only on the input and the runs' reports.
 *
 * @example
 * const { input: repro } = await shrink(failing, signature, (i) => runInput(i, { file }), { lagFloors: lagFloors(template) });
 */
export async function shrink(input: Input, signature: string, run: (input: Input) => Promise<RunReport>, options: ShrinkOptions = {}): Promise<ShrinkResult> {
  const shrinker = new Shrinker(input, signature, run, options);
  const complete = await shrinker.shrink();
  return { input: shrinker.current, runs: shrinker.runs, ms: shrinker.elapsed(), steps: shrinker.steps, complete };
}

class Shrinker {
  current: Node;
  runs = 0;
  readonly steps: string[] = [];
  private report: RunReport | undefined;
  /** The signatures of every assertion the input's run failed, and how many of its events' attempts failed (see sameFailure). */
  private allowed: ReadonlySet<string> = new Set();
  /** How the input failed with the signature (failureDetail): what an item held, how it lost a write. */
  private detail = '';
  private failedOutcomes = 0;
  /** How many Lambda attempts failed in the input's run (an SQS message's failed receive ends as a duplicate, not a failed outcome). */
  private failedAttempts = 0;
  private stopped = false;
  /** options.timeFloors, kept aligned with `current` as steps and faults are dropped. */
  private floors: TimeFloors;
  private readonly clock: () => number;
  private readonly start: number;

  constructor(
    input: Input,
    private readonly signature: string,
    private readonly run: (input: Input) => Promise<RunReport>,
    private readonly options: ShrinkOptions,
  ) {
    this.current = structuredClone(input);
    this.floors = options.timeFloors ?? {};
    this.clock = options.clock ?? (() => wallNow());
    this.start = this.clock();
  }

  elapsed(): number {
    return Math.round(this.clock() - this.start);
  }

  /** Runs the passes until a round keeps nothing (true) or the budget ends (false). */
  async shrink(): Promise<boolean> {
    const own = await this.runCandidate(this.current);
    if (own === undefined) return false;
    const failed = failureSignatures(own);
    if (!failed.includes(this.signature)) {
      throw new Error(`shrink: the input does not fail with "${this.signature}" (it gives ${failed[0] ?? 'no failure'})`);
    }
    this.allowed = new Set(failed);
    this.detail = failureDetail(own, this.signature)!;
    this.failedOutcomes = own.counts.failed;
    this.failedAttempts = own.counts.lambdaFailures;
    this.report = own;
    const passes = [
      () => this.fewerAssertions(),
      () => this.fewerFaults(),
      () => this.fewerSteps(),
      () => this.fewerRegions(),
      () => this.earlierTimes(),
      () => this.shorterLags(),
      () => this.simplerValues(),
      () => this.tidy(),
    ];
    for (;;) {
      let improved = false;
      for (const pass of passes) {
        if (await pass()) improved = true;
        if (this.stopped) return false;
      }
      if (!improved) return true;
    }
  }

  // ---- running candidates -------------------------------------------------------------------

  /** Runs an input within the budget; undefined when the budget is spent or the input is invalid. */
  private async runCandidate(candidate: Input): Promise<RunReport | undefined> {
    if (this.stopped) return undefined;
    const { maxRuns, deadlineMs } = this.options;
    if ((maxRuns !== undefined && this.runs >= maxRuns) || (deadlineMs !== undefined && this.clock() - this.start >= deadlineMs) || this.options.stop?.() === true) {
      this.stopped = true;
      return undefined;
    }
    this.runs++;
    try {
      return await this.run(candidate);
    } catch (error) {
      // A candidate the loader refuses (a ScenarioError: an edit broke a reference) is simply not smaller.
      if (error instanceof UserError) return undefined;
      throw error;
    }
  }

  /**
   * The candidate's run fails the way the input's did (failsTheSameWay: the assertion, as it
   * failed, and no other the input did not fail) and no more of its events, or of their Lambda
   * attempts, failed: a smaller input the handler refuses (an event's data emptied, an item renamed
   * so the payload lacks the key the handler reads, which a team's handler throws on) fails for
   * another reason, and would make a repro no fix can pass. Attempts count apart from outcomes: an
   * SQS message whose receives failed can still end as a duplicate.
   */
  private sameFailure(report: RunReport): boolean {
    return failsTheSameWay(report, this.signature, this.detail, this.allowed) && report.counts.failed <= this.failedOutcomes && report.counts.lambdaFailures <= this.failedAttempts;
  }

  /** Keeps `candidate` when it fails the same way; `what` is recorded when given. */
  private async attempt(candidate: Input | undefined, what?: string): Promise<boolean> {
    if (candidate === undefined) return false;
    const report = await this.runCandidate(candidate);
    if (report === undefined || !this.sameFailure(report)) return false;
    this.current = candidate;
    this.report = report;
    const kept = survivors.get(candidate);
    if (kept !== undefined) this.floors = keptFloors(this.floors, kept);
    if (what !== undefined) this.steps.push(what);
    return true;
  }

  /**
   * Deletes units of one kind, scanning from the last: after a kept deletion it tries twice as
   * many next, after a refused one it goes back to one. Units are listed in file order, and
   * deleting some never moves the ones before them, so the scan needs no bookkeeping.
   */
  private async deleteUnits<U>(list: (input: Node) => U[], remove: (input: Node, units: U[]) => Node | undefined, describe: (units: U[]) => string): Promise<boolean> {
    let improved = false;
    let end = list(this.current).length;
    let size = 1;
    while (end > 0 && !this.stopped) {
      const listed = list(this.current);
      // A deletion may also end the units before it (the last spare region once two are left).
      end = Math.min(end, listed.length);
      if (end === 0) break;
      const start = Math.max(0, end - size);
      const units = listed.slice(start, end);
      if (await this.attempt(remove(structuredClone(this.current), units), describe(units))) {
        improved = true;
        end = start;
        size *= 2;
      } else if (size > 1) size = 1;
      else end = start;
    }
    return improved;
  }

  /**
   * Lowers one number toward `floor` while the failure holds: the floor itself first, then a
   * binary search between the highest value known to pass and the current one.
   */
  private async lower(value: number, floor: number, build: (v: number) => Node | undefined, what: (v: number) => string): Promise<boolean> {
    if (value <= floor || this.stopped) return false;
    let best = value;
    if (await this.attempt(build(floor))) best = floor;
    else {
      let lo = floor;
      while (best - lo > 1 && !this.stopped) {
        const mid = lo + Math.floor((best - lo) / 2);
        if (await this.attempt(build(mid))) best = mid;
        else lo = mid;
      }
    }
    if (best === value) return false;
    this.steps.push(what(best));
    return true;
  }

  // ---- the passes -------------------------------------------------------------------------

  /** Every assertion but the failing one: expect and check entries, read and query expectations. */
  private fewerAssertions(): Promise<boolean> {
    return this.deleteUnits(assertionPaths, (input, paths) => deleteAssertions(input, paths), (paths) => `dropped ${paths.map(pathText).join(', ')}`);
  }

  private fewerFaults(): Promise<boolean> {
    return this.deleteUnits(
      (input) => (Array.isArray(input.faults) ? input.faults.map((_: unknown, i: number) => i) : []),
      (input, indexes) => {
        const kept = input.faults.map((_: unknown, i: number) => i).filter((i: number) => !indexes.includes(i));
        input.faults = kept.map((i: number) => input.faults[i]);
        if (input.faults.length === 0) delete input.faults;
        survivors.set(input, { faults: kept });
        return input;
      },
      (indexes) => `dropped ${indexes.map((i) => `faults[${i}]`).join(', ')}`,
    );
  }

  /** An event goes with its retries and its mentions (redrive lists, Lambda failures, expect.lost). */
  private fewerSteps(): Promise<boolean> {
    return this.deleteUnits(stepUnits, removeSteps, (units) => `dropped ${units.map((u) => u.label).join(', ')}`);
  }

  /** Regions nothing names, with their links, clocks and latencies; two stay. */
  private fewerRegions(): Promise<boolean> {
    return this.deleteUnits(unnamedRegions, removeRegions, (regions) => `dropped region ${regions.join(', ')}`);
  }

  /**
   * Each step's `at` toward the previous step's (file order stays time order), each fault's toward
   * 0; then the schedule from each step's time on, as one (see earlierTogether).
   */
  private async earlierTimes(): Promise<boolean> {
    let improved = false;
    const steps = () => this.current.steps as Node[];
    for (let i = 0; i < steps().length && !this.stopped; i++) {
      if (!isDuration(steps()[i].at) || (i > 0 && !isDuration(steps()[i - 1].at))) continue; // a range left in: not ours to pin
      const floor = Math.max(i === 0 ? 0 : ms(steps()[i - 1].at), this.floors.steps?.[i] ?? 0);
      const at = ms(steps()[i].at);
      const build = (v: number) => edit(this.current, (c) => void (c.steps[i].at = v));
      if (await this.lower(at, floor, build, (v) => `steps[${i}].at ${at} → ${v}`)) improved = true;
    }
    const faults = (): Node[] => this.current.faults ?? [];
    for (let i = 0; i < faults().length && !this.stopped; i++) {
      if (!isDuration(faults()[i].at)) continue;
      const at = ms(faults()[i].at);
      // A fault given `until` keeps its length: the window moves, it does not grow.
      const build = (v: number) =>
        edit(this.current, (c) => {
          const fault = c.faults[i];
          if (fault.until !== undefined) fault.until = ms(fault.until) - (at - v);
          fault.at = v;
        });
      if (await this.lower(at, this.floors.faults?.[i] ?? 0, build, (v) => `faults[${i}].at ${at} → ${v}`)) improved = true;
    }
    if (await this.earlierTogether()) improved = true;
    return improved;
  }

  /**
   * Two steps that race only within a few ms of each other hold each other up when moved one at a
   * time (each may come no closer to the previous step than the race allows: a round gained the
   * race's width, and a race late in a long window spent the whole --shrink-time creeping). Moved
   * together the race keeps its distances: for each time a step is at, earliest first, the steps and
   * faults at that time or later go as one toward the latest step time before it (0 for the first),
   * no further than any of them may go (its range's start, 0).
   */
  private async earlierTogether(): Promise<boolean> {
    // (a fault without `at` starts at 0)
    const timed = (list: unknown, optional: boolean): list is Node[] => Array.isArray(list) && list.every((x: Node) => isMap(x) && (isDuration(x.at) || (optional && x.at === undefined)));
    // a range left in, or a step without a time: not ours to move
    if (!timed(this.current.steps, false) || (this.current.faults !== undefined && !timed(this.current.faults, true))) return false;
    let improved = false;
    // (by rank among the step times as they are now: a group moved earlier may have joined the one before it)
    for (let k = 0; !this.stopped; k++) {
      const steps = (this.current.steps as Node[]).map((s) => ms(s.at));
      const faults = ((this.current.faults ?? []) as Node[]).map((f) => (f.at === undefined ? 0 : ms(f.at)));
      const times = [...new Set(steps)].sort((a, b) => a - b);
      if (k >= times.length) break;
      const start = times[k]!;
      const group = steps.flatMap((t, i) => (t >= start ? [i] : []));
      const previous = k > 0 ? times[k - 1]! : 0;
      // a fault between the step before and the group (a window around the race) goes with it, and
      // stays after that step; one that cannot move (at 0, at its range's start) stays behind
      const movedFaults = faults.flatMap((t, i) => (t > Math.max(previous, this.floors.faults?.[i] ?? 0) ? [i] : []));
      let floor = previous;
      for (const i of group) floor = Math.max(floor, start - (steps[i]! - (this.floors.steps?.[i] ?? 0)));
      for (const i of movedFaults) floor = Math.max(floor, start - (faults[i]! - Math.max(previous, this.floors.faults?.[i] ?? 0)));
      const build = (v: number) =>
        edit(this.current, (c) => {
          const by = start - v;
          for (const i of group) c.steps[i].at = steps[i]! - by;
          for (const i of movedFaults) {
            const fault = c.faults[i];
            // a fault given `until` keeps its length: the window moves with the race
            if (fault.until !== undefined) fault.until = ms(fault.until) - by;
            fault.at = faults[i]! - by;
          }
        });
      const moved = group.length + movedFaults.length;
      if (await this.lower(start, floor, build, (v) => `${moved} steps and faults from ${start} → ${v}`)) improved = true;
    }
    return improved;
  }

  /**
   * Pinned lags (`sequence` links): cut to the writes the link carried (a link that carried none
   * loses its entry), then each value toward the link's floor, all at once first.
   */
  private async shorterLags(): Promise<boolean> {
    let improved = false;
    const links = (): Node[] => this.current.replication?.links ?? [];
    for (let l = 0; l < links().length && !this.stopped; l++) {
      const link = links()[l];
      if (link.lag?.distribution !== 'sequence') continue;
      const key = linkKey(link.from, link.to);
      const sent = (this.report?.trace ?? []).filter((e) => e.kind === 'replication-sent' && e.from === link.from && e.to === link.to).length;
      if (sent === 0) {
        const dropped = edit(this.current, (c) => {
          c.replication.links.splice(l, 1);
          if (c.replication.links.length === 0) delete c.replication.links;
        });
        if (await this.attempt(dropped, `dropped the lags of ${key} (it carried no write)`)) {
          improved = true;
          l--;
        }
        continue;
      }
      const values = (): number[] => links()[l].lag.ms.map(ms);
      const setLags = (list: number[]) => edit(this.current, (c) => void (c.replication.links[l].lag.ms = trimRepeats(list)));
      const used = trimRepeats(values().slice(0, sent));
      if (used.length < values().length && (await this.attempt(setLags(used), `${key} lags cut to the ${sent} writes it carried`))) improved = true;
      const floor = Math.max(0, this.options.lagFloors?.[key] ?? 0);
      if (values().some((v) => v > floor) && (await this.attempt(setLags(values().map(() => floor)), `${key} lags all ${floor}`))) {
        improved = true;
        continue;
      }
      for (let j = 0; j < values().length && !this.stopped; j++) {
        const before = values()[j]!;
        const build = (v: number) => setLags(values().map((x, k) => (k === j ? v : x)));
        if (await this.lower(before, floor, build, (v) => `${key} lag of write ${j} ${before} → ${v}`)) improved = true;
      }
    }
    return improved;
  }

  /** Fewer data attributes, shorter strings, items renamed A, B, ... (their prefix kept: ORDER#A) and events e1, e2, ... */
  private async simplerValues(): Promise<boolean> {
    // an attribute a failed item expectation names keeps its values: the repro's events still
    // send what the expectation asks for (the write that was lost), not `{}`
    const named = namedAttributes(this.report);
    const simplifiable = (paths: Path[]) => paths.filter((path) => !path.slice(4).some((p) => typeof p === 'string' && named.has(p)));
    let improved = await this.deleteUnits((input) => simplifiable(dataAttributePaths(input)), (input, paths) => deletePaths(input, paths), (paths) => `dropped ${paths.map(pathText).join(', ')}`);
    for (const path of simplifiable(stringDataPaths(this.current))) {
      if (this.stopped) break;
      const text = getPath(this.current, path) as string;
      const build = (n: number) => edit(this.current, (c) => setPath(c, path, [...text].slice(0, n).join('')));
      if (await this.lower([...text].length, 1, build, (n) => `${pathText(path)} "${text}" → "${[...text].slice(0, n).join('')}"`)) improved = true;
    }
    const items = itemIds(this.current);
    if (await this.rename('items', items, (i) => shorterItemName(items[i]!, i), renameItems)) improved = true;
    if (await this.rename('events', eventIds(this.current), (i) => `e${i + 1}`, renameEvents)) improved = true;
    return improved;
  }

  /** Renames every id at once in first-use order, or, if that changes the failure, one at a time. */
  private async rename(what: string, ids: string[], nameOf: (i: number) => string, apply: (input: Node, names: Map<string, string>) => void): Promise<boolean> {
    const names = new Map(ids.map((id, i) => [id, nameOf(i)] as const).filter(([id, name]) => id !== name));
    if (names.size === 0) return false;
    const all = edit(this.current, (c) => apply(c, names));
    if (await this.attempt(all, `renamed ${what} ${[...names].map(([a, b]) => `${a} → ${b}`).join(', ')}`)) return true;
    let improved = false;
    for (const [from, to] of names) {
      if (this.stopped) break;
      if (ids.includes(to)) continue; // taken by another id, which keeps its name
      if (await this.attempt(edit(this.current, (c) => apply(c, new Map([[from, to]]))), `renamed ${from} → ${to}`)) improved = true;
    }
    return improved;
  }

  /** No description; the name says it is a repro; a Lambda failure's coin pinned where it can be. */
  private async tidy(): Promise<boolean> {
    let improved = false;
    // A chance below 1 is a coin drawn from the seed: a repro that fails as well when every
    // matching attempt fails holds the choice itself, not in a seed that `--seed` would change.
    const faults: Node[] = Array.isArray(this.current.faults) ? this.current.faults : [];
    for (const [i, fault] of faults.entries()) {
      if (this.stopped) break;
      const chance = fault?.lambdaFailure?.probability;
      if (typeof chance !== 'number' || chance >= 1) continue;
      if (await this.attempt(edit(this.current, (c) => void delete c.faults[i].lambdaFailure.probability), `faults[${i}] probability ${chance} → 1`)) improved = true;
    }
    if (this.current.description !== undefined && (await this.attempt(edit(this.current, (c) => void delete c.description), 'dropped the description'))) improved = true;
    const name = this.current.name;
    if (typeof name === 'string' && !name.endsWith('-repro') && (await this.attempt(edit(this.current, (c) => void (c.name = `${name}-repro`)), `named ${name}-repro`))) improved = true;
    return improved;
  }
}

// ---- reading and editing inputs ---------------------------------------------------------------

const ms = (v: unknown): number => durationMs(v as number | string);
const isDuration = (v: unknown): v is number | string => typeof v === 'number' || typeof v === 'string';

function edit(input: Node, change: (copy: Node) => void): Node {
  const copy = structuredClone(input);
  change(copy);
  return copy;
}

function isMap(v: unknown): v is Record<string, Node> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function getPath(input: Node, path: Path): unknown {
  return path.reduce((node: Node, key) => node?.[key], input);
}

function setPath(input: Node, path: Path, value: unknown): void {
  const parent = getPath(input, path.slice(0, -1)) as Node;
  parent[path[path.length - 1]!] = value;
}

/** Deletes each path (array entries from the last, so indexes stay right). */
function deletePaths(input: Node, paths: Path[]): Node {
  const ordered = [...paths].sort((a, b) => comparePaths(b, a));
  for (const path of ordered) {
    const parent = getPath(input, path.slice(0, -1)) as Node;
    const key = path[path.length - 1]!;
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else if (isMap(parent)) delete parent[key];
  }
  return input;
}

function comparePaths(a: Path, b: Path): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return a.length - b.length;
}

function pathText(path: Path): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : /^[A-Za-z_][\w-]*$/.test(k) ? `${i === 0 ? '' : '.'}${k}` : `[${JSON.stringify(k)}]`)).join('');
}

/** Drops trailing values equal to the last one before them: a sequence repeats its last value anyway. */
function trimRepeats(list: number[]): number[] {
  let end = list.length;
  while (end > 1 && list[end - 1] === list[end - 2]) end--;
  return list.slice(0, end);
}

/** Spreadsheet column names: A..Z, AA, AB, ... */
/**
 * An item's shorter name: its prefix up to `#` kept (`ORDER#1` → `ORDER#A`), since the event names
 * its resource after it (`event.order`), which a team's handler reads; a name without one, a letter.
 */
function shorterItemName(id: string, i: number): string {
  const hash = id.indexOf('#');
  return hash < 0 ? letterName(i) : `${id.slice(0, hash + 1)}${letterName(i)}`;
}

function letterName(i: number): string {
  let name = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

// ---- assertions ---------------------------------------------------------------------------

/** The paths of one expectation block's entries (converged, each item, each count, ...). */
function expectationEntries(block: Node, base: Path): Path[] {
  if (!isMap(block)) return [];
  const paths: Path[] = [];
  if (block.converged !== undefined) paths.push([...base, 'converged']);
  for (const id of Object.keys(block.items ?? {})) paths.push([...base, 'items', id]);
  for (const [region, items] of Object.entries(block.regions ?? {})) for (const id of Object.keys(items ?? {})) paths.push([...base, 'regions', region, id]);
  for (const name of Object.keys(block.counts ?? {})) paths.push([...base, 'counts', name]);
  for (const key of Object.keys(block.effects ?? {})) paths.push([...base, 'effects', key]);
  for (const key of Object.keys(block.atLeast ?? {})) paths.push([...base, 'atLeast', key]);
  return paths;
}

function assertionPaths(input: Node): Path[] {
  const paths: Path[] = [];
  (input.steps ?? []).forEach((step: Node, i: number) => {
    if (step.check) paths.push(...expectationEntries(step.check, ['steps', i, 'check']));
    for (const action of ['read', 'query']) if (step[action]?.expect !== undefined) paths.push(['steps', i, action, 'expect']);
  });
  paths.push(...expectationEntries(input.expect, ['expect']));
  (input.expect?.lost ?? []).forEach((_: unknown, i: number) => paths.push(['expect', 'lost', i]));
  // Part V's keys: `geosim run` never fails on them, so a repro needs neither.
  if (input.sometimes !== undefined) paths.push(['sometimes']);
  if (input.explore !== undefined) paths.push(['explore']);
  return paths;
}

/** Deletes assertion entries, then the blocks they leave empty (a check with nothing left goes). */
function deleteAssertions(input: Node, paths: Path[]): Node {
  deletePaths(input, paths);
  const prune = (block: Node) => {
    for (const key of ['items', 'counts', 'effects', 'atLeast']) if (isMap(block[key]) && Object.keys(block[key]).length === 0) delete block[key];
    if (isMap(block.regions)) {
      for (const [region, items] of Object.entries(block.regions)) if (isMap(items) && Object.keys(items).length === 0) delete block.regions[region];
      if (Object.keys(block.regions).length === 0) delete block.regions;
    }
    if (Array.isArray(block.lost) && block.lost.length === 0) delete block.lost;
  };
  if (isMap(input.expect)) {
    prune(input.expect);
    if (Object.keys(input.expect).length === 0) delete input.expect;
  }
  const steps: Node[] = input.steps ?? [];
  const kept = steps.flatMap((step, i) => {
    if (!isMap(step.check)) return [i];
    prune(step.check);
    return Object.keys(step.check).some((k) => k !== 'name') ? [i] : [];
  });
  input.steps = kept.map((i) => steps[i]);
  survivors.set(input, { steps: kept });
  return input;
}

// ---- steps --------------------------------------------------------------------------------

interface StepUnit {
  /** The step this unit is listed by (file order). */
  index: number;
  /** Event ids whose every mention goes with the unit. */
  events: string[];
  label: string;
}

const stepKind = (step: Node): string => Object.keys(step).find((k) => k !== 'at') ?? 'step';

function stepUnits(input: Node): StepUnit[] {
  return (input.steps ?? []).map((step: Node, index: number): StepUnit => {
    if (step.event) return { index, events: [step.event.id], label: `steps[${index}] (event ${step.event.id} and its retries)` };
    return { index, events: [], label: `steps[${index}] (${stepKind(step)})` };
  });
}

/**
 * Which steps and faults a removal kept, by their index before it (unlisted: all of them), for the
 * candidate it made: the shrinker keeps its time floors aligned with what is left.
 */
const survivors = new WeakMap<Node, { steps?: number[]; faults?: number[] }>();

/** The floors of what a removal kept, in their new order. */
function keptFloors(floors: TimeFloors, kept: { steps?: number[]; faults?: number[] }): TimeFloors {
  const out: TimeFloors = {};
  const steps = kept.steps === undefined ? floors.steps : kept.steps.map((i) => floors.steps?.[i]);
  const faults = kept.faults === undefined ? floors.faults : kept.faults.map((i) => floors.faults?.[i]);
  if (steps !== undefined) out.steps = steps;
  if (faults !== undefined) out.faults = faults;
  return out;
}

function removeSteps(input: Node, units: StepUnit[]): Node | undefined {
  const indexes = new Set(units.map((u) => u.index));
  const events = new Set(units.flatMap((u) => u.events));
  const mentions = (id: string) => events.has(id);
  const steps = input.steps as Node[];
  const keptSteps = steps.flatMap((step, i) => {
    if (indexes.has(i) || (step.retry && mentions(step.retry.of))) return [];
    if (Array.isArray(step.redrive?.events)) {
      step.redrive.events = step.redrive.events.filter((id: string) => !mentions(id));
      if (step.redrive.events.length === 0) return [];
    }
    return [i];
  });
  input.steps = keptSteps.map((i) => steps[i]);
  if (input.steps.length === 0) return undefined;
  const kept: { steps: number[]; faults?: number[] } = { steps: keptSteps };
  if (Array.isArray(input.faults)) {
    const faults = input.faults as Node[];
    kept.faults = faults.flatMap((f, i) => (f.lambdaFailure?.event !== undefined && mentions(f.lambdaFailure.event) ? [] : [i]));
    input.faults = kept.faults.map((i) => faults[i]);
    if (input.faults.length === 0) delete input.faults;
  }
  survivors.set(input, kept);
  if (Array.isArray(input.expect?.lost)) {
    input.expect.lost = input.expect.lost.filter((id: string) => !mentions(id));
    if (input.expect.lost.length === 0) delete input.expect.lost;
    if (Object.keys(input.expect).length === 0) delete input.expect;
  }
  return input;
}

// ---- regions ------------------------------------------------------------------------------

/** The sections that merely describe a region; any other mention (a step, a fault, an expectation) names it. */
const REGION_SETTINGS = new Set(['regions', 'replication', 'clocks', 'application', 'name', 'description']);

function unnamedRegions(input: Node): string[] {
  const regions: string[] = Array.isArray(input.regions) ? input.regions : [];
  if (regions.length <= 2) return [];
  const named = new Set<string>();
  const walk = (node: unknown) => {
    if (typeof node === 'string') named.add(node);
    else if (Array.isArray(node)) node.forEach(walk);
    else if (isMap(node))
      for (const [k, v] of Object.entries(node)) {
        named.add(k);
        walk(v);
      }
  };
  for (const [key, value] of Object.entries(input)) if (!REGION_SETTINGS.has(key)) walk(value);
  return regions.filter((r) => !named.has(r));
}

function removeRegions(input: Node, gone: string[]): Node | undefined {
  const drop = new Set(gone);
  input.regions = input.regions.filter((r: string) => !drop.has(r));
  if (input.regions.length < 2) return undefined;
  if (Array.isArray(input.replication?.links)) {
    input.replication.links = input.replication.links.filter((l: Node) => !drop.has(l.from) && !drop.has(l.to));
    if (input.replication.links.length === 0) delete input.replication.links;
  }
  if (isMap(input.clocks)) {
    for (const r of gone) delete input.clocks[r];
    if (Object.keys(input.clocks).length === 0) delete input.clocks;
  }
  if (isMap(input.application?.latency)) for (const r of gone) delete input.application.latency[r];
  return input;
}

// ---- values -------------------------------------------------------------------------------

/** The attribute names, at any depth, of the item expectations a run failed (none for other assertions). */
function namedAttributes(report: RunReport | undefined): Set<string> {
  const names = new Set<string>();
  const walk = (node: unknown) => {
    if (!isMap(node)) return;
    for (const [k, v] of Object.entries(node)) {
      names.add(k);
      walk(v);
    }
  };
  for (const a of report?.assertions ?? []) if (!a.passed) walk(a.expected);
  return names;
}

function dataAttributePaths(input: Node): Path[] {
  const paths: Path[] = [];
  (input.steps ?? []).forEach((step: Node, i: number) => {
    if (isMap(step.event?.data)) for (const key of Object.keys(step.event.data)) paths.push(['steps', i, 'event', 'data', key]);
  });
  return paths;
}

/** Every string in the events' data longer than one character, in file order. */
function stringDataPaths(input: Node): Path[] {
  const paths: Path[] = [];
  const walk = (node: unknown, path: Path) => {
    if (typeof node === 'string' && [...node].length > 1) paths.push(path);
    else if (Array.isArray(node)) node.forEach((v, i) => walk(v, [...path, i]));
    else if (isMap(node)) for (const [k, v] of Object.entries(node)) walk(v, [...path, k]);
  };
  (input.steps ?? []).forEach((step: Node, i: number) => {
    if (isMap(step.event?.data)) walk(step.event.data, ['steps', i, 'event', 'data']);
  });
  return paths;
}

/** The item ids a step names directly (not inside expressions), with a setter for each. */
function itemSlots(step: Node): Array<[holder: Node, key: string]> {
  const slots: Array<[Node, string]> = [];
  // An event's and a short read's `item`, a put's `item.Id`, a short update's or delete's `id`, a DynamoDB-syntax `key.Id`.
  const keyed = (op: Node, action: string) => {
    if (!isMap(op)) return;
    if (typeof op.item === 'string') slots.push([op, 'item']);
    if (isMap(op.item) && typeof op.item.Id === 'string') slots.push([op.item, 'Id']);
    if ((action === 'update' || action === 'delete') && typeof op.id === 'string') slots.push([op, 'id']);
    if (isMap(op.key) && typeof op.key.Id === 'string') slots.push([op.key, 'Id']);
  };
  for (const action of ['event', 'read', 'put', 'update', 'delete']) keyed(step[action], action);
  for (const op of step.transact?.ops ?? []) for (const action of ['put', 'update', 'delete']) keyed(op[action], action);
  return slots;
}

function expectationBlocks(input: Node): Node[] {
  const blocks = (input.steps ?? []).filter((s: Node) => isMap(s.check)).map((s: Node) => s.check);
  if (isMap(input.expect)) blocks.push(input.expect);
  return blocks;
}

function itemIds(input: Node): string[] {
  const ids: string[] = [];
  const add = (id: string) => ids.includes(id) || ids.push(id);
  for (const step of input.steps ?? []) {
    for (const [holder, key] of itemSlots(step)) add(holder[key]);
    if (isMap(step.check)) blockItemIds(step.check).forEach(add);
  }
  if (isMap(input.expect)) blockItemIds(input.expect).forEach(add);
  return ids;
}

function blockItemIds(block: Node): string[] {
  return [...Object.keys(block.items ?? {}), ...Object.values(block.regions ?? {}).flatMap((items) => Object.keys(items ?? {}))];
}

/** A map with its keys renamed, in the same order. */
function renameKeys(map: Node, names: Map<string, string>): Node {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [names.get(k) ?? k, v]));
}

function renameItems(input: Node, names: Map<string, string>): void {
  // An expected item's own `Id` attribute names it too.
  const expected = (item: Node) => {
    if (isMap(item) && typeof item.Id === 'string') item.Id = names.get(item.Id) ?? item.Id;
  };
  const renamed = (items: Node) => {
    Object.values(items).forEach(expected);
    return renameKeys(items, names);
  };
  for (const step of input.steps ?? []) {
    for (const [holder, key] of itemSlots(step)) holder[key] = names.get(holder[key]) ?? holder[key];
    expected(step.read?.expect);
  }
  for (const block of expectationBlocks(input)) {
    if (isMap(block.items)) block.items = renamed(block.items);
    if (isMap(block.regions)) for (const region of Object.keys(block.regions)) if (isMap(block.regions[region])) block.regions[region] = renamed(block.regions[region]);
  }
}

function eventIds(input: Node): string[] {
  return (input.steps ?? []).filter((s: Node) => isMap(s.event)).map((s: Node) => s.event.id);
}

/** Renames events everywhere they are named; an event whose key defaulted to its id has its effects key renamed too. */
function renameEvents(input: Node, names: Map<string, string>): void {
  const rename = (id: string) => names.get(id) ?? id;
  const keyNames = new Map<string, string>();
  for (const step of input.steps ?? []) {
    if (isMap(step.event)) {
      if (step.event.key === undefined && names.has(step.event.id)) keyNames.set(step.event.id, rename(step.event.id));
      step.event.id = rename(step.event.id);
    }
    if (isMap(step.retry)) step.retry.of = rename(step.retry.of);
    if (Array.isArray(step.redrive?.events)) step.redrive.events = step.redrive.events.map(rename);
  }
  for (const fault of input.faults ?? []) if (typeof fault.lambdaFailure?.event === 'string') fault.lambdaFailure.event = rename(fault.lambdaFailure.event);
  if (Array.isArray(input.expect?.lost)) input.expect.lost = input.expect.lost.map(rename);
  for (const block of expectationBlocks(input)) if (isMap(block.effects)) block.effects = renameKeys(block.effects, keyNames);
}
