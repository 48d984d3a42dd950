import { stringify } from 'yaml';
import type { DataMerge } from '../app/merges.js';
import { countTrace } from '../check/counts.js';
import { evaluateSometimes } from '../check/sometimes.js';
import { UserError } from '../errors.js';
import { loadScenarioObject } from '../scenario/load.js';
import { formatProblems } from '../scenario/problems.js';
import type { LagSource } from '../sim/lag.js';
import { endOfRunAssertions, finalState, reportHeader } from '../check/end-of-run.js';
import { stepChecks } from '../check/step-checks.js';
import type { Scenario } from '../scenario/model.js';
import { drive } from '../sim/drive.js';
import { Rng } from '../sim/rng.js';
import { EPOCH_MS, Simulation } from '../sim/simulation.js';
import type { Substrate } from '../sim/substrate.js';
import { World } from '../sim/world.js';
import { SCENARIO_TABLE } from '../sim/replica.js';
import { limitAssertion } from './limit-assertion.js';
import { startUserModule } from './user-module-run.js';
import type { TraceEvent } from '../trace/events.js';
import { byCodeUnits, type Item } from '../trace/item.js';
import { TraceRecorder } from '../trace/recorder.js';
import { placedAtSetting, SETTING_LOCATIONS } from '../scenario/setting-locations.js';
import type { RunReport, RunStop } from '../trace/report.js';
import type { SyncLoopError } from '../sim/watchdog/index.js';

/**
 * Default virtual-time horizon of a run, after its last scripted step or fault: 10 years. A scenario
 * may declare delays of up to a year each (MAX_TIME_MS) that chain (a lag, then a consumer delay,
 * then a lag); the horizon only stops work that never ends, and the trace limit stops fast loops.
 */
export const DEFAULT_HORIZON_MS = 3650 * 86_400_000;
/** Default limit on trace events per run: with small items about 175 MB of trace in the model and 335 MB as JSON (README, Run limits). */
export const DEFAULT_MAX_TRACE_EVENTS = 500_000;

export interface RunOptions {
  /** Overrides the scenario's seed. */
  seed?: number;
  /** Virtual ms after which nothing runs (default DEFAULT_HORIZON_MS). */
  horizon?: number;
  /** The run stops once its trace holds this many events (default DEFAULT_MAX_TRACE_EVENTS). */
  maxTraceEvents?: number;
  /** Wall-clock ms one slice of a team's handler may run without yielding (default DEFAULT_SYNC_LIMIT_MS). */
  syncLimitMs?: number;
  /** What sets syncLimitMs, named where a handler's synchronous loop stops the process: `--sync-limit` (default), `syncLimitMs` for the library's run(). */
  syncLimitName?: string;
  /** Which run this is, named where a handler's synchronous loop stops the process (geosim explore). */
  runLabel?: string;
  /** Decides each replicated write's lag in the model (geosim explore); default the links' distributions. */
  lagSource?: LagSource;
  /**
   * A team's module gets a console that prints nothing (geosim explore: thousands of runs, and a
   * shrink that tries inputs the handler rejects, would each print its logs). Default false.
   */
  quietConsole?: boolean;
  /** Where a team's module's console writes, when not quiet (default the process's stderr: never stdout, which carries geosim's output). */
  moduleLog?: NodeJS.WritableStream;
  /** The custom strategy's merge function, already loaded (tests, compare); default: loaded from application.merge. */
  mergeFunction?: DataMerge;
  /**
   * A slice of a team's handler ran past --sync-limit: geosim cannot interrupt it and exits 2 once
   * this returns. Called synchronously, from inside the stuck slice, with the run's report as it
   * stood (`stopped` at `sync-limit`, its trace so far, its limit assertion failed), for the
   * caller to print what it has (geosim run's output of the scenarios that ran) with synchronous
   * writes. In the model only, where the watchdog runs.
   */
  onSyncLimit?: (stopped: RunReport) => void;
}

/**
 * Runs a scenario in the in-memory model: every step at its virtual time, then replication (and
 * stream consumers) until nothing is left in flight; then the end-of-run expectations.
 */
export async function runScenario(given: Scenario, options: RunOptions = {}): Promise<RunReport> {
  const seed = options.seed ?? given.seed;
  const scenario = drawnForSeed(given, seed);
  const recorder = new TraceRecorder();
  const world = new World(scenario, new Rng(seed), recorder, {
    epochMs: EPOCH_MS,
    indexLagMs: scenario.indexLagMs ?? 0,
    ttlDelayMs: scenario.ttlDelayMs ?? 0,
    // An MRSC write answers after its round trip: its caller waits in the run's time.
    continuations: (scenario.application.requestLatency ?? 0) > 0 || scenario.mode === 'mrsc',
    // A team's handler waits on its own timers and promises: the agenda runs it until it is quiet.
    quiescent: scenario.application.module !== undefined,
    ...(scenario.replication.simultaneous ? { simultaneous: scenario.replication.simultaneous } : {}),
    ...(options.lagSource ? { lagSource: options.lagSource } : {}),
  });
  return simulate(scenario, seed, world, recorder, 'memory', options);
}

/**
 * The run pipeline on any substrate: simulate (steps and agenda within the run's limits), count,
 * check, report. A run that still has work due after its horizon, or whose trace reaches its size
 * limit, stops there: its report carries `stopped` and one failed assertion instead of the
 * end-of-run ones, which would judge a world that never settled.
 */
export async function simulate(scenario: Scenario, seed: number, substrate: Substrate, recorder: TraceRecorder, backend: string, options: RunOptions): Promise<RunReport> {
  try {
    return await simulateRun(scenario, seed, substrate, recorder, backend, options);
  } catch (error) {
    // a team's module that does not load is a mistake at a setting of the file: placed at its line
    throw placedAtSetting(scenario, error);
  }
}

async function simulateRun(scenario: Scenario, seed: number, substrate: Substrate, recorder: TraceRecorder, backend: string, options: RunOptions): Promise<RunReport> {
  const ref = scenario.application.module;
  let sim: Simulation | undefined;
  // A handler stuck past --sync-limit ends the process: the run is reported as it stood, at once.
  const { onSyncLimit } = options;
  const lastWords =
    onSyncLimit && substrate instanceof World
      ? (error: SyncLoopError) => {
          const stop: RunStop = { limit: 'sync-limit', at: substrate.now, syncLimit: error.limitMs, handler: error.label };
          const tables = scenario.tables === undefined ? undefined : declaredTablesOf(scenario, (table) => substrate.snapshotNow(table));
          onSyncLimit(assembleReport(scenario, seed, backend, substrate, recorder, sim, finalState(substrate.snapshotNow(), scenario.regions), tables, stop));
        }
      : undefined;
  const user = ref ? await startUserModule(ref, substrate, { ...options, ...(lastWords ? { lastWords } : {}) }) : undefined;
  const mergeSpec = scenario.application.merge;
  const mergeFunction = options.mergeFunction ?? (mergeSpec && !ref ? await (await import('../app/merge-module.js')).loadMergeFunction(mergeSpec) : undefined);
  let stopped: RunStop | undefined;
  try {
    sim = new Simulation(substrate, scenario, recorder, { checks: stepChecks, traceSoFar: () => recorder.events, ...(user ? { userModule: user.code } : {}), ...(mergeFunction ? { mergeFunction } : {}) });
    stopped = await drive(sim, scenario.steps, {
      horizon: options.horizon ?? DEFAULT_HORIZON_MS,
      scriptedEnd: scriptedEnd(scenario),
      maxTraceEvents: options.maxTraceEvents ?? DEFAULT_MAX_TRACE_EVENTS,
      traceSize: () => recorder.events.length,
    });
  } finally {
    user?.stop();
  }
  const done = sim;
  const final = finalState(await done.snapshot(), scenario.regions);
  const tables = scenario.tables === undefined ? undefined : await declaredTables(done, scenario);
  return assembleReport(scenario, seed, backend, substrate, recorder, done, final, tables, stopped);
}

/**
 * The report of a run from its trace, final items and tables: the end-of-run assertions, or the
 * one failed limit assertion of a run that stopped (`sim` is undefined when a handler got stuck
 * before the simulation was made). Synchronous: a run stuck past --sync-limit is reported from
 * inside the stuck slice.
 */
function assembleReport(
  scenario: Scenario,
  seed: number,
  backend: string,
  substrate: Substrate,
  recorder: TraceRecorder,
  sim: Simulation | undefined,
  final: RunReport['final'],
  tables: RunReport['tables'],
  stopped: RunStop | undefined,
): RunReport {
  const trace = inTimeOrder(recorder.events);
  const counts = countTrace(trace);
  const sometimes = scenario.sometimes ? evaluateSometimes(scenario.sometimes, { items: final, counts }) : undefined;
  // The header's fields, then the run's, in this order; added to the header object rather than
  // spread into a new one (V8 builds `{ ...header, trace, ... }` on a slow path).
  const report = reportHeader(scenario, seed, backend) as RunReport;
  report.trace = trace;
  report.final = final;
  const records = sim ? [...sim.powertoolsRecordIds(scenario.tables?.[0]?.name ?? SCENARIO_TABLE)].sort(byCodeUnits) : [];
  if (records.length > 0) report.records = records;
  if (tables !== undefined) report.tables = tables;
  report.counts = counts;
  report.assertions = [...(sim?.assertions ?? []), ...(stopped ? [limitAssertion(stopped)] : endOfRunAssertions(scenario, { trace, final, counts, ...(tables !== undefined ? { tables } : {}) }))];
  if (sometimes) report.sometimes = sometimes;
  report.endedAt = substrate.now;
  if (stopped) report.stopped = stopped;
  return report;
}

/** report.tables: every declared table's final items, tables in declaration order. */
async function declaredTables(sim: Simulation, scenario: Scenario): Promise<Record<string, Record<string, Record<string, Item>>>> {
  const snapshots = new Map<string, Record<string, Record<string, Item>>>();
  for (const table of scenario.tables ?? []) snapshots.set(table.name, await sim.snapshot(table.name));
  return declaredTablesOf(scenario, (table) => snapshots.get(table)!);
}

/** report.tables from each table's snapshot. */
function declaredTablesOf(scenario: Scenario, snapshot: (table: string) => Record<string, Record<string, Item>>): Record<string, Record<string, Record<string, Item>>> {
  const out = Object.create(null) as Record<string, Record<string, Record<string, Item>>>;
  for (const table of scenario.tables ?? []) out[table.name] = finalState(snapshot(table.name), scenario.regions);
  return out;
}

/**
 * A scenario with ranges is drawn when it loads, from the seed it was loaded with (`--seed` or its
 * own); run with another seed (the library's `run(file, { seed })`), it is drawn again for that one.
 */
function drawnForSeed(scenario: Scenario, seed: number): Scenario {
  const ranges = scenario.ranges;
  if (ranges === undefined || ranges.seed === seed) return scenario;
  const loaded = loadScenarioObject(ranges.template, scenario.file, (data) => stringify(data), { seed });
  if (!loaded.ok) throw new UserError(formatProblems(loaded.problems));
  // the settings are where the file has them, whatever was drawn (setting-locations.ts)
  const drawn: Scenario = { ...loaded.scenario, name: scenario.name, file: scenario.file };
  const locations = scenario[SETTING_LOCATIONS];
  if (locations !== undefined) drawn[SETTING_LOCATIONS] = locations;
  return drawn;
}

/**
 * The trace in the run's time order, numbered from 1. The model emits in that order already; a real
 * backend notes some events after the fact (a stream record read later names the write's own time),
 * so they are put in place, keeping the order of events at the same instant.
 */
function inTimeOrder(events: TraceEvent[]): TraceEvent[] {
  let ordered = true;
  for (let i = 1; i < events.length && ordered; i++) ordered = events[i - 1]!.t <= events[i]!.t;
  if (ordered) return events;
  const sorted = events.map((e, i) => ({ e, i })).sort((a, b) => a.e.t - b.e.t || a.i - b.i);
  return sorted.map(({ e }, i) => ({ ...e, seq: i + 1 }) as TraceEvent);
}

/** The scenario's last scripted moment: its latest step, or a fault's start or end. */
function scriptedEnd(scenario: Scenario): number {
  let end = 0;
  for (const step of scenario.steps) end = Math.max(end, step.at);
  for (const fault of scenario.faults ?? []) end = Math.max(end, fault.at, fault.until ?? 0);
  return end;
}

