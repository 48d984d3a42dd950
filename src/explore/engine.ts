import { basename, extname } from 'node:path';
import type { LagSpec } from '../scenario/model.js';
import type { LagSource } from '../sim/lag.js';
import type { OverrunNotice } from '../sim/watchdog/index.js';
import { sampleLag } from '../sim/lag.js';
import { linkStreamLabel, Rng } from '../sim/rng.js';
import { limitFlag, type RunReport, type RunStop } from '../trace/report.js';
import { UserError } from '../errors.js';
import { failureSignatures } from './failure.js';
import { linkKey, recordingLagSource } from './lag-recorder.js';
import { runInput } from './run-input.js';
import { CompiledTemplate } from './compiled-template.js';
import { runScenario } from '../pipeline/run-scenario.js';
import { drawRanges, findRanges, fixedMs, pinRanges, type RangePoint } from './ranges.js';
import { wallNow } from '../sim/virtual-time/real.js';

type Input = Record<string, unknown>;

/** The `explore:` section of a scenario, with its defaults (design-14.md). */
export interface ExploreSettings {
  /** Runs when neither --runs nor --time is given. */
  runs: number;
  /** Share of runs drawn by the biased strategies, 0..1. */
  bias: number;
  /** Vary the order of deliveries due at the same ms (replication.simultaneous: seeded). */
  simultaneous: boolean;
  /** Vary lag draws; false keeps the scenario's own seeded draws in every run. */
  lags: boolean;
}

export const EXPLORE_DEFAULTS: ExploreSettings = { runs: 1000, bias: 0.5, simultaneous: true, lags: true };

/** The `explore:` section of a template over the defaults. */
export function exploreSettings(template: Input): ExploreSettings {
  const given = (template.explore ?? {}) as Partial<ExploreSettings>;
  return { ...EXPLORE_DEFAULTS, ...Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) };
}

/** Everything a run of the search depends on besides its index: a worker gets exactly this. */
export interface SearchSetup {
  /** The scenario as its YAML parses, ranges unresolved. */
  template: Input;
  /** The scenario file's path: relative paths in it resolve against its directory. */
  file: string;
  /** --seed of the search. */
  seed: number;
  /** --sync-limit: wall-clock ms one slice of a team's handler may run without yielding (default the runs' own, 10 s). */
  syncLimitMs?: number;
}

/** One run's result as the search keeps it: small, so workers send it cheaply. */
export interface RunOutcome {
  index: number;
  /** failureSignature of the run, when an assertion failed. */
  signature?: string;
  /** The signatures of the other assertions it failed (see failureSignatures): --keep-going reports each. */
  also?: string[];
  /** Indexes (into the template's `sometimes`) of the conditions the run met. */
  hits: number[];
}

/** A run planned from (seed, index) alone: what it runs and how its lags are chosen. */
export interface PlannedRun {
  index: number;
  /** The scenario seed of the concrete input (drives lag draws, fault chances, same-ms order). */
  seed: number;
  biased: boolean;
  /** The concrete input: every range pinned, the run's seed set. */
  input: Input;
  lagSource?: LagSource;
}

/** How far a biased time lands from the time it is placed near, each way (ms). */
export const NEAR_MS = 5;
/** PCT's depth: priority change points per biased run. */
export const CHANGE_POINTS = 2;

/**
 * The explore search over one template: plans run i from (seed, i) only, so any worker, shard or
 * later replay makes the same choices for it, and runs it.
 */
export class Explorer {
  readonly points: RangePoint[];
  readonly settings: ExploreSettings;
  readonly sometimesNames: string[];
  private readonly template: Input;
  /** Times of steps and faults the template fixes (not ranged): anchors for biased times. */
  private readonly fixedTimes: number[];
  private readonly links: Array<[string, string]>;

  constructor(readonly setup: SearchSetup) {
    const name = typeof setup.template.name === 'string' ? setup.template.name : basename(setup.file, extname(setup.file));
    this.template = { ...setup.template, name };
    this.points = findRanges(this.template);
    this.settings = exploreSettings(this.template);
    this.sometimesNames = Array.isArray(this.template.sometimes) ? (this.template.sometimes as Input[]).map((s) => String(s.name)) : [];
    const ranged = new Set(this.points.filter((p) => p.kind === 'time').map((p) => p.path.slice(0, 2).join('.')));
    this.fixedTimes = (['steps', 'faults'] as const).flatMap((list) =>
      ((this.template[list] as Input[] | undefined) ?? []).flatMap((entry, i) => (ranged.has(`${list}.${i}`) ? [] : timeOf(entry?.at))),
    );
    const regions = Array.isArray(this.template.regions) ? (this.template.regions as string[]) : [];
    this.links = regions.flatMap((from) => regions.filter((to) => to !== from).map((to): [string, string] => [from, to]));
  }

  /**
   * Whether runs can differ at all: a range to draw, lags drawn per run, or the order of deliveries
   * due at the same ms. Without any, every run is the same run (same seed, same lags, same order).
   */
  get varies(): boolean {
    return this.points.length > 0 || this.settings.lags || this.settings.simultaneous;
  }

  /** The scenario's name (the file's, when it names none). */
  get name(): string {
    return this.template.name as string;
  }

  /** Run `index`'s choices, from the search seed and the index alone. */
  private choices(index: number): { seed: number; inputSeed: number; biased: boolean; values: Array<number | string>; lagSource?: LagSource } {
    const rng = new Rng(this.setup.seed).stream(`run ${index}`);
    const seed = Math.floor(rng.next() * 2 ** 31);
    const biased = rng.next() < this.settings.bias;
    const values = drawRanges(this.points, rng);
    if (biased) this.placeNear(values, rng);
    const inputSeed = this.settings.lags ? seed : Number(this.template.seed ?? 1);
    const lagSource = !this.settings.lags ? scenarioSeedLags(Number(this.template.seed ?? 1)) : biased ? this.pctLags(rng) : undefined;
    return { seed, inputSeed, biased, values, ...(lagSource ? { lagSource } : {}) };
  }

  /** Run `index` as a concrete input: every range pinned, the run's seed and same-ms order set. */
  plan(index: number): PlannedRun {
    const { seed, inputSeed, biased, values, lagSource } = this.choices(index);
    const input = pinRanges(this.template, values, this.points);
    input.seed = inputSeed;
    const replication = (input.replication ?? {}) as Input;
    if (this.settings.simultaneous && replication.simultaneous === undefined) input.replication = { ...replication, simultaneous: 'seeded' };
    return { index, seed, biased, input, ...(lagSource ? { lagSource } : {}) };
  }

  /**
   * Runs `index` and keeps what the search needs. The Scenario comes from the template compiled
   * once (compiled-template.ts), the same one `runInput(plan(index).input)` would load.
   */
  async run(index: number): Promise<RunOutcome> {
    const report = await this.report(index);
    // A run stopped at a limit settled nothing to judge (geosim run says so with exit 2): the search cannot go on.
    if (report.stopped !== undefined) throw new UserError(stoppedRunMessage(report.stopped, index, this.setup.seed));
    return this.outcome(index, report);
  }

  /** The report of run `index` (the search keeps only its outcome). */
  async report(index: number): Promise<RunReport> {
    const { inputSeed, values, lagSource } = this.choices(index);
    this.compiled ??= new CompiledTemplate(this.template, this.setup.file, this.name, this.points);
    const scenario = this.compiled.scenario(values, inputSeed, this.settings.simultaneous);
    // (a handler's synchronous loop ends the process: its message names the run, which --runs reaches again)
    const options = { ...(lagSource ? { lagSource } : {}), quietConsole: true, runLabel: `explore run ${index} of seed ${this.setup.seed} (rerun with --seed ${this.setup.seed} --runs ${index + 1})`, ...this.limits };
    return scenario !== undefined ? runScenario(scenario, options) : runInput(this.plan(index).input, { file: this.setup.file, ...options });
  }

  private compiled: CompiledTemplate | undefined;

  /** The run limits the search's runs take (--sync-limit). */
  get limits(): { syncLimitMs?: number } {
    return this.setup.syncLimitMs !== undefined ? { syncLimitMs: this.setup.syncLimitMs } : {};
  }

  /** Runs `index` again, recording the lags every link got: the failure's whole story, for its repro. */
  async runRecorded(index: number): Promise<{ plan: PlannedRun; report: RunReport; lags: Record<string, number[]> }> {
    const plan = this.plan(index);
    const recorder = recordingLagSource(plan.lagSource);
    const report = await runInput(plan.input, { file: this.setup.file, lagSource: recorder.source, ...this.limits });
    return { plan, report, lags: recorder.lags() };
  }

  outcome(index: number, report: RunReport): RunOutcome {
    const [signature, ...also] = failureSignatures(report);
    const hits: number[] = [];
    report.sometimes?.forEach((s, i) => s.hit && hits.push(i));
    if (signature === undefined) return { index, hits };
    return also.length > 0 ? { index, signature, also, hits } : { index, signature, hits };
  }

  /**
   * Biased times: each ranged time, with even odds, moves within ±NEAR_MS of another step's or
   * fault's time (fixed, or drawn in this run), clamped to its range: races live where two things
   * happen close together, and a uniform draw over minutes almost never puts them there.
   */
  private placeNear(values: Array<number | string>, rng: Rng): void {
    const times = this.points.map((p, i) => (p.kind === 'time' ? i : -1)).filter((i) => i >= 0);
    for (const i of times) {
      if (rng.next() < 0.5) continue;
      const anchors = [...this.fixedTimes, ...times.filter((j) => j !== i).map((j) => values[j] as number)];
      if (anchors.length === 0) continue;
      const anchor = anchors[Math.floor(rng.next() * anchors.length)]!;
      const point = this.points[i] as { min: number; max: number };
      const offset = Math.floor(rng.next() * (2 * NEAR_MS + 1)) - NEAR_MS;
      values[i] = Math.min(point.max, Math.max(point.min, anchor + offset));
    }
  }

  /**
   * PCT-style lags (Burckhardt et al., "A randomized scheduler with probabilistic guarantees of
   * finding bugs"): the run ranks the links at random; a higher-ranked link delivers at its
   * distribution's low end, a lower-ranked one at its high end, so one region's writes overtake
   * the other's. At CHANGE_POINTS sends chosen at random, the sending link drops to the lowest rank.
   */
  private pctLags(rng: Rng): LagSource {
    const order = this.links.map(([from, to]) => linkKey(from, to));
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const steps = Array.isArray(this.template.steps) ? this.template.steps.length : 1;
    const expectedSends = Math.max(1, steps * Math.max(1, this.links.length / 2));
    const changes = Array.from({ length: CHANGE_POINTS }, () => Math.floor(rng.next() * expectedSends));
    let sends = 0;
    return {
      lag(from, to, _n, spec, draw) {
        const key = linkKey(from, to);
        if (changes.includes(sends++) && order.includes(key)) order.push(...order.splice(order.indexOf(key), 1));
        const ends = lagEnds(spec);
        if (ends === undefined) return draw();
        const rank = Math.max(0, order.indexOf(key));
        return Math.round(ends[0] + ((ends[1] - ends[0]) * rank) / Math.max(1, order.length - 1));
      },
    };
  }
}

/** The low and high end of a lag distribution (normal: ±2 sd, exponential: 0..3 means); a pinned sequence has none. */
export function lagEnds(spec: LagSpec): [number, number] | undefined {
  switch (spec.distribution) {
    case 'fixed':
      return [spec.ms, spec.ms];
    case 'uniform':
      return [spec.min, spec.max];
    case 'normal':
      return [Math.max(0, Math.round(spec.mean - 2 * spec.stddev)), Math.round(spec.mean + 2 * spec.stddev)];
    case 'exponential':
      return [0, Math.round(3 * spec.mean)];
    case 'sequence':
      return undefined;
  }
}

/** `explore: { lags: false }`: every run draws the lags the scenario's own seed draws. */
function scenarioSeedLags(seed: number): LagSource {
  const root = new Rng(seed);
  const streams = new Map<string, Rng>();
  return {
    lag(from, to, n, spec) {
      const label = linkStreamLabel(from, to);
      let rng = streams.get(label);
      if (rng === undefined) streams.set(label, (rng = root.stream(label)));
      return sampleLag(spec, rng, n);
    },
  };
}

function timeOf(at: unknown): number[] {
  const ms = typeof at === 'number' || typeof at === 'string' ? fixedMs(at) : undefined;
  return ms === undefined ? [] : [ms];
}

/** Which runs a search covers: indexes below `runs` that fall in the shard. */
export interface SearchPlan {
  /** Runs of the whole search (Infinity with a time budget only). */
  runs: number;
  /** 1-based shard k of n: runs i with i % n == k - 1. */
  shard?: { k: number; n: number };
  /** Collect a failure per signature instead of stopping at the first. */
  keepGoing?: boolean;
  /** True once the time budget is spent: no further block starts (blocks already started finish). */
  outOfTime?: () => boolean;
  /** After each block: runs done, and the failures' signatures so far (one per failed assertion, as the summary counts them). */
  onProgress?: (done: number, signatures: ReadonlySet<string>) => void;
  /**
   * With keepGoing: a signature's lowest failing run, told once every run below it is done (so it is
   * the one the result reports, whatever order the workers finished in), lowest index first.
   * `several`: the run failed more than one assertion.
   */
  onFound?: (index: number, signature: string, several: boolean) => void;
}

/**
 * Runs a block of indexes (in order) and returns their outcomes: of a prefix of them when it stops
 * early, after a failure unless told to keep going, or at BLOCK_CAP_MS (the search hands the rest
 * out again).
 */
export interface BlockRunner {
  runBlock(indexes: number[], keepGoing: boolean): Promise<RunOutcome[]>;
  close(): Promise<void>;
  /** Takes a second block while it runs one (a worker thread queues it). */
  pipelined?: boolean;
}

/** What a search found: the runs it counts, failures (lowest index first), hits per `sometimes`. */
export interface SearchResult {
  /**
   * Runs counted: every index of the shard up to the first failure, or that ran before the budget's
   * end (then, with blocks cut at BLOCK_CAP_MS and several runners, a few lower ones may not have).
   */
  runs: number;
  /** The first failure, or with keepGoing the first of each signature, by index. */
  failures: Array<{ index: number; signature: string }>;
  /** Per `sometimes` condition (template order), how many counted runs met it. */
  hits: number[];
  /** Why the search ended. */
  ended: 'runs' | 'time' | 'failure';
}

/**
 * Indexes per block handed to a runner. A lane's first block has `FIRST_BLOCK`; later ones are
 * sized to take about `BLOCK_MS` at the lane's last rate, between `MIN_BLOCK` and `MAX_BLOCK`:
 * fast runs in few messages (at 30,000 runs a second, blocks of 32 were ~1,000 messages a second
 * each way, a few % of two workers' time), slow ones (a team's handler) in blocks short enough for
 * the progress line and for `--time` to stop on time. Which runner runs an index changes nothing.
 */
export const FIRST_BLOCK = 32;
const MIN_BLOCK = 1;
const MAX_BLOCK = 1024;
const BLOCK_MS = 50;
/**
 * Longest a block starts runs for: its size is a guess at first (FIRST_BLOCK), and slow runs (a
 * team's handler over a long scenario, 100 ms a run) would otherwise hold the progress line, the
 * `--time` budget and the judging of worker threads for seconds. Runs it did not start go back to
 * the search, which hands them out again before any later index.
 */
export const BLOCK_CAP_MS = 1000;

/** The next block's size after `size` indexes took `ms`. */
export function nextBlockSize(size: number, ms: number): number {
  const sized = ms > 0 ? Math.round((size * BLOCK_MS) / ms) : MAX_BLOCK;
  return Math.min(MAX_BLOCK, Math.max(MIN_BLOCK, sized));
}

/**
 * The search loop. Blocks of indexes go out in increasing order to the runners (one in-process,
 * or worker threads); after a failure at index f no block past f starts, and the blocks below f
 * all finish, so the first failure is the lowest failing index whatever the number of runners.
 */
export async function search(plan: SearchPlan, runners: BlockRunner[], sometimes: number, later?: LaterRunners): Promise<SearchResult> {
  const { k, n } = plan.shard ?? { k: 1, n: 1 };
  const indexAt = (j: number) => k - 1 + j * n;
  const outcomes: RunOutcome[] = [];
  let nextJ = 0;
  let firstFailure = Infinity;
  let timedOut = false;
  const searchStarted = wallNow();
  /** The later runners' lanes, once `later` judged them worth starting. */
  let joined: Promise<void> | undefined;
  /** Fastest rate of a block so far, runs per ms. */
  let bestRate = 0;
  /** After a block of `runs` runs took `ms`: starts `later` if it judges them worth it. */
  const maybeJoin = (runs: number, ms: number) => {
    // (stopped at its first failure, a search only finishes the blocks below it)
    if (later === undefined || joined !== undefined || (!plan.keepGoing && firstFailure !== Infinity)) return;
    if (runs > 0 && ms > 0) bestRate = Math.max(bestRate, runs / ms);
    if (wallNow() - searchStarted < later.measureMs || bestRate === 0) return;
    // At the fastest block's rate, not the search's so far: runs get several times faster while
    // V8 compiles them, and one block slowed by a pause of the machine must not start a thread
    // for a search about to end.
    const runsLeft = plan.runs === Infinity ? Infinity : Math.max(0, Math.ceil((plan.runs - indexAt(nextJ)) / n));
    if (!later.worth(runsLeft === 0 ? 0 : runsLeft / bestRate)) return;
    // (a thread that fails to start stops the search as a failing lane does)
    joined = stopping(later.start().then((more) => Promise.all(more.flatMap(lanesOf).map(stopping)).then(() => {})));
    // awaited once this thread's lanes end; a failure before that already stopped them (`stopped`)
    joined.catch(() => {});
  };
  // distinct signatures, as the summary counts failures (--keep-going: one per failed assertion)
  const failing = new Set<string>();
  /** Indexes a block stopped before (BLOCK_CAP_MS), lowest first: handed out before any new one. */
  const handedBack: number[] = [];
  const wanted = (index: number) => plan.keepGoing || index < firstFailure;
  // --keep-going: runs done above the prefix of all done (by j), and the signatures told so far
  const doneAhead = new Map<number, RunOutcome>();
  let doneJ = 0;
  const told = new Set<string>();
  const tellFound = (o: RunOutcome) => {
    doneAhead.set(o.index, o);
    for (let next = doneAhead.get(indexAt(doneJ)); next !== undefined; next = doneAhead.get(indexAt(doneJ))) {
      doneAhead.delete(indexAt(doneJ++));
      if (next.signature === undefined) continue;
      const all = [next.signature, ...(next.also ?? [])];
      for (const signature of all) {
        if (told.has(signature)) continue;
        told.add(signature);
        plan.onFound!(next.index, signature, all.length > 1);
      }
    }
  };
  const lane = async (runner: BlockRunner): Promise<void> => {
    let size = FIRST_BLOCK;
    for (;;) {
      if (stopped) return;
      // Out of time, a lane starts nothing new, but still runs what was handed back below a
      // failure found (stopping at it, not with keepGoing): every run below the first failure runs,
      // so it is the lowest failing index, as when every block started finishes.
      const late = plan.outOfTime?.() === true;
      if (late) timedOut = true;
      const indexes: number[] = [];
      const drain = late ? !plan.keepGoing && firstFailure !== Infinity : true;
      while (drain && indexes.length < size && handedBack.length > 0 && wanted(handedBack[0]!)) indexes.push(handedBack.shift()!);
      while (!late && indexes.length < size && indexAt(nextJ) < plan.runs && wanted(indexAt(nextJ))) indexes.push(indexAt(nextJ++));
      if (indexes.length === 0) return;
      const blockStarted = wallNow();
      const got = await runner.runBlock(indexes, plan.keepGoing ?? false);
      const failedLast = got.length > 0 && got[got.length - 1]!.signature !== undefined && !plan.keepGoing;
      // (a worker thread's two lanes each wait for the other's block: their blocks settle at about
      // half of BLOCK_MS of work; a block cut short by a failure says nothing of the rate, one cut
      // at BLOCK_CAP_MS does: its runs were slow)
      if (got.length === indexes.length || (!failedLast && got.length > 0)) size = nextBlockSize(got.length, wallNow() - blockStarted);
      if (!failedLast && got.length < indexes.length) {
        handedBack.push(...indexes.slice(got.length));
        handedBack.sort((a, b) => a - b);
      }
      for (const o of got) {
        outcomes.push(o);
        if (plan.keepGoing && plan.onFound !== undefined) tellFound(o);
        if (o.signature !== undefined) {
          failing.add(o.signature);
          if (plan.keepGoing) for (const s of o.also ?? []) failing.add(s);
          firstFailure = Math.min(firstFailure, o.index);
        }
      }
      plan.onProgress?.(outcomes.length, failing);
      maybeJoin(got.length, wallNow() - blockStarted);
    }
  };
  // Two lanes per worker thread: it gets its next block while it runs one (worker.ts queues them),
  // so it never waits for the main thread; the in-process runner has one lane. A lane that fails
  // stops the others from starting blocks: the in-process one cannot be terminated as a thread
  // can, and would otherwise run the rest of the search after the error was reported.
  let stopped = false;
  const stopping = async (run: Promise<void>): Promise<void> => {
    try {
      await run;
    } catch (error) {
      stopped = true;
      throw error;
    }
  };
  const lanesOf = (runner: BlockRunner) => (runner.pipelined ? [lane(runner), lane(runner)] : [lane(runner)]);
  try {
    await Promise.all(runners.flatMap(lanesOf).map(stopping));
  } finally {
    // Runners that joined late may still be finishing their last blocks, or starting (to find the
    // search over): waited for even after an error, so none starts after its caller closed them.
    if (joined !== undefined) await joined.catch(() => {});
  }
  if (joined !== undefined) await joined;
  outcomes.sort((a, b) => a.index - b.index);
  const counted = plan.keepGoing ? outcomes : outcomes.filter((o) => o.index <= firstFailure);
  const hits = new Array<number>(sometimes).fill(0);
  for (const o of counted) for (const h of o.hits) hits[h]!++;
  const seen = new Set<string>();
  const found: SearchResult['failures'] = [];
  for (const o of counted) {
    if (o.signature === undefined) continue;
    // stopped at its first failure, the search reports the run's first failed assertion; with
    // --keep-going, every assertion's earliest run, one that failed it beside another included
    for (const signature of plan.keepGoing ? [o.signature, ...(o.also ?? [])] : [o.signature]) {
      if (seen.has(signature)) continue;
      seen.add(signature);
      found.push({ index: o.index, signature });
    }
    if (!plan.keepGoing) break;
  }
  const ended = found.length > 0 && !plan.keepGoing ? 'failure' : timedOut ? 'time' : 'runs';
  return { runs: counted.length, failures: found, hits, ended };
}

/**
 * Longest the in-process runner runs without letting the event loop turn, in geosim's own thread:
 * worker threads' answers (and their next blocks) and a Ctrl-C wait for that turn. A run's
 * promises settle as microtasks, which never let a message or a signal in.
 */
const YIELD_MS = 5;

/**
 * A runner in this thread: the one-worker case, the first of several, and what each worker thread
 * runs. `yieldToEventLoop`: in geosim's own thread, it lets messages and signals in every `YIELD_MS`.
 */
export function inProcessRunner(explorer: Explorer, options: { yieldToEventLoop?: boolean } = {}): BlockRunner {
  const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    async runBlock(indexes, keepGoing) {
      const out: RunOutcome[] = [];
      const started = wallNow();
      let since = started;
      for (const index of indexes) {
        const o = await explorer.run(index);
        out.push(o);
        if (o.signature !== undefined && !keepGoing) break;
        // (the rest go back to the search: see BLOCK_CAP_MS)
        if (wallNow() - started >= BLOCK_CAP_MS) break;
        if (options.yieldToEventLoop && wallNow() - since >= YIELD_MS) {
          await turn();
          since = wallNow();
        }
      }
      return out;
    },
    close: async () => {},
  };
}

/** Runners a search starts only once it is worth it (see `searchRunners`). */
export interface LaterRunners {
  /** How long the search runs before it judges its rate and asks `worth`. */
  measureMs: number;
  /** Whether runners started now would pay for their start, with about `remainingMs` of the search left at its fastest block's rate (Infinity: no end in runs). */
  worth(remainingMs: number): boolean;
  start(): Promise<BlockRunner[]>;
}

/** How long a search runs before it judges its rate (and so whether later runners are worth starting): V8 has compiled most of the hot code by then. */
const JOIN_MEASURE_MS = 1000;
/**
 * Least time a search must have left for worker threads to join it. A thread costs its start
 * (about 0.2 s: loading the code, a cold JIT) and, on two cores, slows this thread while its V8
 * compiles and collects in the background: measured on scenarios/concurrent.yaml, two runners
 * took as long as one over 30,000 runs (2.8 s) and 1.5x less over 60,000 (7.5 s).
 */
export const JOIN_IF_LEFT_MS = 3000;

/** The runners of `--workers K`: this thread now, and K - 1 worker threads when a search has enough left for them. */
export interface SearchRunners {
  now: BlockRunner[];
  later?: LaterRunners;
  /** Worker threads started so far, and when they were ready to run (wallNow()). */
  readonly threads: number;
  readonly joinedAt: number | undefined;
  /** Closes every runner started. */
  close(): Promise<void>;
}

/**
 * The runners of `--workers K`: this thread, which starts at once, and K - 1 worker threads,
 * which start once the search has been measured to have `JOIN_IF_LEFT_MS` or more left (by its
 * runs, and by `leftMs`, the time budget's rest). K threads from the start made every search
 * under a few seconds slower than one thread. Results do not depend on which runner runs a draw.
 */
export function searchRunners(explorer: Explorer, workers: number, leftMs: () => number = () => Infinity): SearchRunners {
  // (geosim's own thread lets the event loop turn: for worker threads' messages, and for Ctrl-C)
  if (workers <= 1) return { now: [inProcessRunner(explorer, { yieldToEventLoop: true })], threads: 0, joinedAt: undefined, close: async () => {} };
  const started: BlockRunner[] = [];
  let joinedAt: number | undefined;
  return {
    now: [inProcessRunner(explorer, { yieldToEventLoop: true })],
    get threads() {
      return started.length;
    },
    get joinedAt() {
      return joinedAt;
    },
    later: {
      measureMs: JOIN_MEASURE_MS,
      worth: (remainingMs) => Math.min(remainingMs, leftMs()) >= JOIN_IF_LEFT_MS,
      async start() {
        const threads = await workerRunners(explorer.setup, workers - 1);
        joinedAt = wallNow();
        started.push(...threads);
        return threads;
      },
    },
    close: async () => void (await Promise.all(started.map((r) => r.close()))),
  };
}

/**
 * Where the worker threads' code is: next to this module once built (dist/explore/worker.js).
 * Run from the TypeScript sources (the test suite), the built copy in dist/ (npm run build).
 */
export function workerScript(): URL {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('../../dist/explore/worker.js', here) : new URL('./worker.js', here);
}

/** `count` worker threads, each loading the template once, once every one is ready to run; run them with `search`, then close them. */
export async function workerRunners(setup: SearchSetup, count: number): Promise<BlockRunner[]> {
  const { Worker } = await import('node:worker_threads');
  const { OVERRUN_CHANNEL, SyncLoopError } = await import('../sim/watchdog/index.js');
  const threads = Array.from({ length: count }, () => {
    const worker = new Worker(workerScript(), { workerData: setup });
    let nextId = 0;
    const pending = new Map<number, { resolve: (o: RunOutcome[]) => void; reject: (e: Error) => void; indexes: number[] }>();
    // Ready once the thread has loaded geosim and the scenario (worker.ts says so): a block sent
    // before would wait in its queue while this thread, already running, could have run it.
    let markReady!: () => void;
    let failReady!: (e: Error) => void;
    const ready = new Promise<void>((resolve, reject) => ((markReady = resolve), (failReady = reject)));
    const failAll = (error: Error) => {
      failReady(error);
      for (const p of pending.values()) p.reject(error);
      pending.clear();
    };
    worker.on('message', (reply: { ready?: true; id: number; outcomes?: RunOutcome[]; error?: { name: string; message: string; stack?: string } }) => {
      if (reply.ready) return markReady();
      const p = pending.get(reply.id);
      if (p === undefined) return;
      pending.delete(reply.id);
      if (reply.outcomes) p.resolve(reply.outcomes);
      else {
        // A run's input with problems is the user's to fix (exit 2); anything else is a bug (exit 70).
        const e = reply.error!;
        const error = e.name === 'ScenarioError' || e.name === 'UserError' ? new UserError(e.message) : Object.assign(new Error(e.message), { stack: e.stack });
        p.reject(error);
      }
    });
    // A team's handler stuck in a synchronous loop in that thread: its watchdog cannot interrupt a
    // worker thread and tells it here. The search stops as a run does in this thread (exit 2,
    // the --sync-limit message), naming the block it was in, and the stuck thread is stopped.
    const overruns = new BroadcastChannel(OVERRUN_CHANNEL);
    overruns.unref();
    overruns.onmessage = (event) => {
      const notice = (event as { data: OverrunNotice }).data;
      if (notice.threadId !== worker.threadId) return;
      const block = pending.values().next().value?.indexes ?? [];
      const runs = block.length === 0 ? 'a run' : `one of runs ${block[0]}-${block[block.length - 1]}`;
      failAll(new SyncLoopError(`explore: ${runs} (--workers 1 names its handler and event)`, notice.ranMs, notice.limitMs, '--sync-limit'));
      void worker.terminate();
    };
    worker.on('exit', () => overruns.close());
    worker.on('error', failAll);
    worker.on('exit', (code) => failAll(new Error(`an explore worker thread exited (code ${code})`)));
    const runner: BlockRunner = {
      pipelined: true,
      runBlock(indexes, keepGoing) {
        return new Promise<RunOutcome[]>((resolve, reject) => {
          const id = nextId++;
          pending.set(id, { resolve, reject, indexes });
          worker.postMessage({ id, indexes, keepGoing });
        });
      },
      async close() {
        await worker.terminate();
      },
    };
    return { runner, ready };
  });
  try {
    await Promise.all(threads.map((t) => t.ready));
  } catch (error) {
    await Promise.all(threads.map((t) => t.runner.close()));
    throw error;
  }
  return threads.map((t) => t.runner);
}

/** Why the search stopped at a run that hit one of geosim run's limits, and what the user can do. */
function stoppedRunMessage(stop: RunStop, index: number, seed: number): string {
  const what =
    stop.limit === 'horizon'
      ? `work was still due at ${stop.nextDue}ms, more than ${stop.horizon}ms after its last scripted step or fault (a retry loop that never ends?)`
      : stop.limit === 'trace-events'
        ? `its trace passed ${stop.maxTraceEvents} events with work still due`
        : `${stop.handler} ran past ${stop.syncLimit}ms without yielding`;
  const flag = limitFlag(stop);
  return `geosim: explore run ${index} of seed ${seed} stopped at its limit: ${what}. A run stopped there settled nothing to judge, so the search cannot go on: make the scenario smaller, or run one draw with geosim run ${flag} (explore keeps geosim run's default limits)`;
}
