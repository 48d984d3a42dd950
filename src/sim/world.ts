import type { Item } from '../app/item.js';
import type { TableErrorInfo } from '../app/table-errors.js';
import type { TransactOutcome, WriteOp, WriteOutcome } from '../app/table-port.js';
import { transactWriteItems, writeItem } from './app-requests.js';
import type { DynamoDBEndpoint } from '../dynamodb/endpoint.js';
import type { ChangeOrigin, WriteKind } from '../dynamodb/database.js';
import { DynamoDBError } from '../dynamodb/errors.js';
import { outageRefusal } from './faults/outage-refusal.js';
import { readableCondition, readableReadRequest, runRewritten, usesLegacy, withoutLegacy } from '../dynamodb/legacy.js';
import { withTableNames } from '../dynamodb/table-arn.js';
import { toPlainItem } from '../dynamodb/plain.js';
import type { Table } from '../dynamodb/table.js';
import type { Item as WireItem } from '../dynamodb/values.js';
import type { LagSpec, Scenario, TieBreak } from '../scenario/model.js';
import { requestOrigin, type LocalWriteTrace, type OnTable, type ReplicationAppliedTrace, type TraceEventInput } from '../trace/events.js';
import { canonicalItem } from '../trace/item.js';
import { TRACED_READS } from '../trace/read-request.js';
import { readTraces } from '../trace/read-traces.js';
import type { TraceSink } from '../trace/recorder.js';
import { EventQueue, TimeWheel, type Agenda } from './event-queue.js';
import { Fibers, type SliceWatch } from './fibers.js';
import { LinkPauses } from './link-pauses.js';
import { ModelTablePort } from './model-port.js';
import type { CutForecast, SendOptions, StreamChange, Substrate, Task } from './substrate.js';
import { RegionOutages } from './faults/region-outages.js';
import { markVersion, Replica } from './replica.js';
import { keyString, keyText, scenarioTables } from './tables.js';
import { detachSent, ReplicationLink, type Delivery, type ItemRef } from './replication-link.js';
import type { Rng } from './rng.js';
import type { LagSource } from './lag.js';
import { beats, beatsStamp, concurrent, type StoredVersion } from './version.js';
import { MrscRules } from './mrsc/mrsc-rules.js';
import { MRSC_READS, MRSC_WRITES, noQuorum, REFUSED_ON_MRSC, replicatedWriteConflict, stronglyConsistent, unsupportedOnMrsc } from './mrsc/errors.js';
import { sameItem } from '../dynamodb/value-ops.js';

/** A replication link of the model, with the replica it delivers to (read on every delivery: no lookup by region). */
class ModelLink extends ReplicationLink {
  constructor(from: string, to: string, lag: LagSpec, root: Rng, coalesce: boolean, lagSource: LagSource | undefined, readonly receiver: Replica) {
    super(from, to, lag, root, coalesce, lagSource);
  }
}

/**
 * The version vector after `prev` with the entry of region `index` bumped (`prev` stays as it is:
 * vectors are shared). Two regions, the usual global table, in an array literal rather than a
 * slice: V8 pretenures the literal's site as it does the version holding it (both outlive many
 * scavenges), so storing the vector into the version takes no old-to-young write barrier.
 */
function nextClock(prev: readonly number[], index: number): readonly number[] {
  if (prev.length === 2) return index === 0 ? [prev[0]! + 1, prev[1]!] : [prev[0]!, prev[1]! + 1];
  const next = prev.slice();
  next[index]!++;
  return next;
}

/**
 * The simulated regions: one replica each, replication links between every pair, a virtual clock
 * and an agenda. Region-local operations here are what a regional DynamoDB endpoint does on an
 * MREC global table (aws-semantics §1): writes are acknowledged locally, conditions see only the
 * local replica, and replication carries each item separately to the other regions.
 */
export class World implements Substrate {
  now = 0;
  /** The event or step being handled, recorded on the writes it causes. */
  cause: string | undefined;
  /** Substrate.caller. */
  caller: string | undefined;
  readonly replicas = new Map<string, Replica>();
  private readonly outbound = new Map<string, ModelLink[]>();
  /** `outbound`'s lists by replica index (Replica.index): read on every write, without a lookup by region. */
  private readonly outboundAt: ModelLink[][] = [];
  /**
   * Tasks, and replicated writes due to land: a delivery is its own agenda entry (see `runNext`),
   * not a closure per replicated write in flight (thousands at once, most surviving a scavenge).
   */
  private readonly agenda: Agenda<Task | Delivery>;
  /** Tasks due at the same ms run in an order drawn from the seed (replication.simultaneous: seeded). */
  private readonly seededTies: boolean;
  private readonly streamListeners = new Map<string, Array<(record: StreamChange) => void>>();
  /** `streamListeners`' lists by replica index: read on every write and delivery, without a lookup by region. */
  private readonly streamListenersAt: (Array<(record: StreamChange) => void> | undefined)[] = [];
  private readonly ports = new Map<string, ModelTablePort>();
  /** The scenario's table (the first declared, or GlobalEventTable): the one trace events leave unnamed. */
  readonly primary: string;
  /** Continuations (Timeline.after): on only when the run has latencies (WorldOptions.continuations). */
  private readonly fibers: Fibers;
  private readonly tieBreak: TieBreak;
  /** `replication.unchangedWrites: skip`: a write that leaves its item as it was makes no version (see `unchangedWrite`). */
  private readonly skipUnchanged: boolean;
  private transactions = 0;
  /** See expiringReplica. */
  private firstReplica: Replica | undefined;
  /** See firstClock. */
  private readonly firstClocks: (readonly number[])[] = [];
  /**
   * MRSC: per region, the writes sent to it, in the order sent (see catchUp): those not applied yet,
   * and some applied since, dropped once the list reaches `limit` (twice what was left the last time).
   */
  private readonly mrscArriving = new Map<string, { entries: { link: ReplicationLink; delivery: Delivery }[]; limit: number }>();
  /** Paused replication links (faults may overlap), and what they hold. */
  private readonly pauses = new LinkPauses<{ link: ReplicationLink; delivery: Delivery }>((held) => !held.delivery.delivered);
  /** Active outages per region, and the work (stream consumers, Lambda) waiting for it to return. */
  private readonly outages = new RegionOutages((task) => this.schedule(this.now, task));
  /** The request being served (what `call` is doing), so a change can name its op and transaction. */
  private request: ServedRequest | undefined;
  /** Name of the last TransactWriteItems served (`tx1`, `tx2`…, in the order they start). */
  lastTransaction: string | undefined;

  /** Wall-clock ms of virtual time 0, for what DynamoDB stamps with real time (TTL, creation times). */
  private readonly epochMs: number;
  private readonly ttlMode: NonNullable<WorldOptions['ttl']>;
  /** How long after its expiry an item is deleted (WorldOptions.ttlDelayMs). */
  private readonly ttlDelayMs: number;
  private readonly traceReads: boolean;
  /** Whether the driver has a scripted step still to run (its last `nextTime`): a TTL sweep due before it runs (sweepDue). */
  private scriptedAhead = false;
  /** Virtual time of the next TTL sweep (see `planExpiry`), if any item is due to expire. */
  private sweepAt: number | undefined;
  /** Deadlines cancelled before they came due (see `deadline`). */
  private readonly cancelled = new Set<Task>();
  /** Brackets each agenda step in quiet mode (a watchdog over a team's handler), or nothing. */
  watchSlices(slices: SliceWatch | undefined): void {
    this.fibers.slices = slices;
  }

  /** Queued tasks that do not keep the run going (see `scheduleBackground`). */
  private readonly background = new Set<Task>();
  /** The team's handler runs in the run's virtual time here (Substrate.wallClock). */
  readonly wallClock = false;

  constructor(
    scenario: Pick<Scenario, 'regions' | 'replication'> & { tables?: Scenario['tables']; mode?: Scenario['mode']; witness?: string },
    private readonly rng: Rng,
    private readonly trace: TraceSink,
    /** Wall-clock ms of virtual time 0, or the options. */
    options: number | WorldOptions = 0,
  ) {
    const o: WorldOptions = typeof options === 'number' ? { epochMs: options } : options;
    this.seededTies = o.simultaneous === 'seeded';
    // (seeded ties draw each task's place among its time's: only the heap keeps that order)
    this.agenda = this.seededTies ? new EventQueue<Task | Delivery>(rng.stream(SIMULTANEOUS_STREAM)) : new TimeWheel<Task | Delivery>();
    this.epochMs = o.epochMs ?? 0;
    this.ttlMode = o.ttl ?? 'background';
    this.ttlDelayMs = o.ttlDelayMs ?? 0;
    this.traceReads = o.traceReads === true;
    this.fibers = new Fibers(
      this,
      (at, task) => this.schedule(at, task),
      o.continuations === true,
      {
        get: () => (this.cause === undefined && this.caller === undefined ? undefined : { cause: this.cause, caller: this.caller }),
        set: (origin) => {
          this.cause = origin?.cause;
          this.caller = origin?.caller;
        },
      },
      o.quiescent === true,
    );
    const tables = scenarioTables(scenario);
    this.primary = tables[0]!.name;
    scenario.regions.forEach((region, index) => {
      const replica = new Replica(region, index, { now: () => this.epochMs + this.now, globalTables: o.streams === true, indexLagMs: o.indexLagMs ?? 0 }, this.primary);
      // GlobalEventTable as infra/template.yaml declares it (its idempotency records expire by TTL
      // on ExpiresAt), or the scenario's own tables: each a global table with a replica here.
      for (const spec of tables) {
        replica.endpoint.call('CreateTable', spec.definition);
        // MRSC has no Time to Live (aws-semantics §2): GlobalEventTable's records stay.
        if (spec.ttlAttribute !== undefined && scenario.mode !== 'mrsc') {
          replica.endpoint.call('UpdateTimeToLive', { TableName: spec.name, TimeToLiveSpecification: { Enabled: true, AttributeName: spec.ttlAttribute } });
          // deployed before the run (infra/template.yaml's table has had TTL all along): no change in progress
          replica.endpoint.database.table(spec.name).ttlChangedAt = undefined;
        }
      }
      replica.endpoint.onChange((table, key, oldImage, newImage, origin, encoded, kind, source) => this.changed(replica, table, key, oldImage, newImage, origin, encoded, kind, source));
      this.replicas.set(region, replica);
      const links: ModelLink[] = [];
      this.outbound.set(region, links);
      this.outboundAt[index] = links;
    });
    // Each link draws its lags from its own stream of the seed (ReplicationLink), so the model and
    // the DynamoDB backend draw the same lags, and no fault's chances shift them.
    for (const link of scenario.replication.links) {
      this.outbound.get(link.from)!.push(new ModelLink(link.from, link.to, link.lag, this.rng, scenario.replication.coalesce, o.lagSource, this.replica(link.to)));
    }
    // A region's only link (two regions) keeps each item's latest write in flight on the version it
    // carries, found again from the region's version at its next write, not in a map by item id.
    // Not under MRSC, whose writes a replica has at once are sent on no link.
    if (scenario.mode !== 'mrsc') for (const links of this.outbound.values()) if (links.length === 1) links[0]!.keepOnVersions();
    this.tieBreak = scenario.replication.tieBreak;
    this.skipUnchanged = scenario.replication.unchangedWrites === 'skip';
    this.answersWait = o.continuations === true || o.quiescent === true || o.holdsAnswers === true;
    if (scenario.mode === 'mrsc') {
      const links = scenario.replication.links;
      // The witness's legs take the scenario's default lag (links name replicas only): the first
      // link's lag unless that link was given its own (then still a lag the scenario declared).
      const fallback = links[0]!.lag;
      const lagOf = (from: string, to: string) => links.find((l) => l.from === from && l.to === to)?.lag ?? scenario.replication.witnessLag ?? fallback;
      // a leg between two replicas is their link's next lag (explore decides and pins it with the link's)
      const linkDraw = (from: string, to: string) => this.outbound.get(from)?.find((l) => l.to === to)?.nextLag();
      this.mrsc = new MrscRules(scenario.regions, scenario.witness, lagOf, this.rng, linkDraw);
    }
  }

  // ---- MRSC (issue 15): multi-Region strong consistency's hooks ---------------------------

  /** Set on an MRSC global table (`mode: mrsc`): quorum, round trips and writes in flight. */
  readonly mrsc: MrscRules | undefined;
  /** Whether a call's answer may wait in the run's time (continuations on); otherwise it answers at once. */
  private readonly answersWait: boolean;
  /** How long the last call's answer takes to reach its caller (an MRSC write's round trip), read once. */
  private answerDelay = 0;

  /** The last call's answer delay (0 on MREC), reset: the caller waits that long for its answer. */
  takeAnswerDelay(): number {
    const delay = this.answerDelay;
    this.answerDelay = 0;
    return this.answersWait ? delay : 0;
  }

  /**
   * MRSC's rules before a request is served (aws-semantics §2): transactions and TTL refused; a
   * region without quorum refuses writes and strongly consistent reads; a write to an item another
   * region's write has in flight meets ReplicatedWriteConflictException (answered after a round
   * trip, as the other region tells); a write is acknowledged after the round trip to the nearest
   * reachable region. A write or a strongly consistent read first takes every write still on its
   * way to this replica (what the quorum knows: see `catchUp`). Returns, for a write, when its round
   * trip ends and the region that confirmed it.
   */
  private mrscAdmit(mrsc: MrscRules, replica: Replica, operation: string, input: Record<string, unknown>): { until: number; via: string } | undefined {
    if (REFUSED_ON_MRSC.has(operation)) throw unsupportedOnMrsc(operation);
    if (MRSC_READS.has(operation)) {
      if (!stronglyConsistent(operation, input)) return undefined;
      // A strongly consistent read, like a write, answers after the round trip to the nearest
      // other region ("writes and strongly consistent reads need cross-Region communication",
      // aws-semantics §2); its legs are draws of the same links as a write's.
      const trip = mrsc.roundTrip(replica.region, this);
      if (trip === undefined || trip.ms === undefined) throw noQuorum(replica.region, trip?.cutOff, 'read');
      this.catchUp(replica.region);
      this.answerDelay = trip.ms;
      return undefined;
    }
    if (!MRSC_WRITES.has(operation)) return undefined;
    const trip = mrsc.roundTrip(replica.region, this);
    // reachable now, but cut off before any could confirm: a fault the run has scheduled
    if (trip === undefined || trip.ms === undefined) throw noQuorum(replica.region, trip?.cutOff);
    for (const write of writesOf(operation, input)) {
      const ref = this.tryRef(replica, write);
      if (ref !== undefined && mrsc.conflicting(ref.slot, replica.region, this.now) !== undefined) {
        this.answerDelay = trip.ms;
        throw replicatedWriteConflict();
      }
    }
    this.catchUp(replica.region);
    this.answerDelay = trip.ms;
    return { until: this.now + trip.ms, via: trip.via };
  }

  /**
   * MRSC: the writes still on their way to `region` (sent to it, not yet applied), applied now, in
   * the order they were sent. A write or a strongly consistent read there sees the latest version,
   * which the quorum holds (aws-semantics §2); an eventually consistent read sees only what has
   * arrived. A write taken early is not applied again when its delivery comes due, or when a
   * paused link releases it.
   */
  private catchUp(region: string): void {
    const arriving = this.mrscArriving.get(region);
    if (arriving === undefined || arriving.entries.length === 0) return;
    const entries = arriving.entries;
    arriving.entries = [];
    for (const { link, delivery } of entries) if (!delivery.delivered) this.deliver(link, delivery, true);
  }

  /**
   * MRSC applies an item's writes in order in every replica: before a write of the item lands in
   * `region` (its own delivery `landing`, or the confirming replica's copy, which has none), the
   * item's writes sent to it earlier and still on their way land first, taken from the quorum.
   */
  private catchUpItem(region: string, itemId: string, landing?: Delivery): void {
    const arriving = this.mrscArriving.get(region);
    if (arriving === undefined) return;
    for (const { link, delivery } of arriving.entries) {
      if (delivery === landing) return;
      if (delivery.itemId === itemId && !delivery.delivered) this.deliver(link, delivery, true);
    }
  }

  /** Every write of table `name` in flight goes on its link's map by item id (ReplicationLink.detach): its version goes with the table. */
  private detachTable(name: unknown): void {
    if (typeof name !== 'string') return;
    for (const replica of this.replicas.values()) {
      for (const version of replica.versionsOf(name)) detachSent(version);
    }
  }

  /** Keeps an MRSC write sent to `link.to` for `catchUp`, dropping those applied since now and then (amortised: the list stays about what is in flight). */
  private arriving(link: ReplicationLink, delivery: Delivery): void {
    let arriving = this.mrscArriving.get(link.to);
    if (arriving === undefined) this.mrscArriving.set(link.to, (arriving = { entries: [], limit: 64 }));
    if (arriving.entries.length >= arriving.limit) {
      arriving.entries = arriving.entries.filter((entry) => !entry.delivery.delivered);
      arriving.limit = Math.max(64, 2 * arriving.entries.length);
    }
    arriving.entries.push({ link, delivery });
  }

  /**
   * MRSC replication of a local write (aws-semantics §2: "synchronously replicated to at least one
   * other Region"): the replica that confirmed it (`via`) has it at once; every other replica gets
   * it as MREC does, after the link's lag (and when its link lets it through), so its eventually
   * consistent reads may miss it meanwhile, while its writes and strongly consistent reads take it
   * first (`catchUp`). A write no round trip confirmed (none is known) reaches every replica with
   * quorum at once.
   */
  private mrscReplicate(mrsc: MrscRules, link: ReplicationLink, ref: ItemRef & { slot: string }, version: StoredVersion, table: Table, via: string | undefined, previous: StoredVersion | undefined): void {
    if ((via === undefined || via === link.to) && mrsc.hasQuorum(link.to, this)) {
      // the item's earlier writes still on their way there land first (per-item order)
      this.catchUpItem(link.to, ref.slot);
      // No `replication-sent`: nothing is in flight, the replica has the version at once.
      this.deliver(link, { itemId: ref.slot, ref, version, incarnation: table, arrival: this.now, delivered: false, sync: true });
      return;
    }
    const sent = this.replicate(link, ref, version, table, previous);
    if (sent !== undefined) this.arriving(link, sent);
  }

  get regions(): string[] {
    return [...this.replicas.keys()];
  }

  /** Region `region`'s table as the application sees it (Substrate.port). */
  port(region: string): ModelTablePort {
    let port = this.ports.get(region);
    if (!port) this.ports.set(region, (port = new ModelTablePort(this, this.replica(region).region)));
    return port;
  }

  /** Substrate.send: `call`, for callers written for any substrate. */
  async send(region: string, operation: string, input: Record<string, unknown>, options: SendOptions = {}): Promise<Record<string, unknown>> {
    return this.answer(region, operation, input, options);
  }

  /** Live items of a table (default the scenario's, the first declared) per region, by key string. */
  async snapshot(table: string = this.primary): Promise<Record<string, Record<string, Item>>> {
    return this.snapshotNow(table);
  }

  /** `snapshot`, synchronously: for the report of a run that cannot go on (a handler stuck past --sync-limit). */
  snapshotNow(table: string = this.primary): Record<string, Record<string, Item>> {
    const out: Record<string, Record<string, Item>> = {};
    for (const [region, replica] of this.replicas) out[region] = replica.snapshot(table);
    return out;
  }

  advanceTo(t: number): void {
    if (t > this.now) this.now = t;
  }

  /** Nothing outside the agenda runs in the model. */
  settle(): undefined {
    return undefined;
  }

  after(ms: number): Promise<void> {
    return this.fibers.after(ms);
  }

  runNow(task: Task): void | Promise<void> {
    return this.fibers.run(task);
  }

  /**
   * The run's root RNG (its seed). Whatever draws chances takes its own stream of it,
   * `random.stream(label)` (never Math.random), so it stays repeatable and shifts no other draw.
   */
  get random(): Rng {
    return this.rng;
  }

  // ---- faults (issue 7): paused links and regions that are down -------------------------

  /** Stops replication on one directed link until `resumeLink` (see LinkPauses). */
  pauseLink(from: string, to: string): void {
    this.pauses.pause(from, to);
  }

  /** Ends one pause of a link; returns how many held writes `releaseHeld` will now deliver. */
  resumeLink(from: string, to: string): number {
    return this.pauses.resume(from, to);
  }

  /** Delivers what resumed links held, at once and in the order it reached each link. */
  releaseHeld(): void {
    for (const { link, delivery } of this.pauses.takeReleased()) this.deliver(link, delivery);
  }

  isLinkPaused(from: string, to: string): boolean {
    return this.pauses.isPaused(from, to);
  }

  /** Marks a region down (an outage) or up again; work queued by `whenUp` runs on recovery. */
  setRegionDown(region: string, down: boolean): void {
    this.outages.setDown(region, down);
  }

  /** The fault timeline's forecast of cuts (Substrate.forecastCuts): MRSC's round trips read it. */
  private cuts: CutForecast | undefined;

  forecastCuts(forecast: CutForecast): void {
    this.cuts = forecast;
  }

  /** Reachability.cutAt: when `a` and `b` next stop reaching each other after `after`, if a fault says so. */
  cutAt(a: string, b: string, after: number): number | undefined {
    return this.cuts?.(a, b, after);
  }

  /** Reachability.downAt: a region's next outage (no paused link joins a region to itself: only its outage cuts it from itself). */
  downAt(region: string, after: number): number | undefined {
    return this.cuts?.(region, region, after);
  }

  isRegionDown(region: string): boolean {
    return this.outages.isDown(region);
  }

  /** Runs `task` now if the region is up, else when its outage ends (its consumers and Lambdas are down too). */
  whenUp(region: string, task: Task): void | Promise<void> {
    return this.outages.whenUp(region, task);
  }

  replica(region: string): Replica {
    const replica = this.replicas.get(region);
    if (!replica) throw new Error(`unknown region ${region}`);
    return replica;
  }

  schedule(at: number, task: Task): void {
    this.agenda.push(Math.max(at, this.now), task);
  }

  /**
   * Substrate.deadline: `fire` at `at` unless cancelled first. A cancelled deadline leaves the
   * agenda without moving the clock, so a handler that returned in time does not stretch the run.
   */
  deadline(at: number, fire: () => void): () => void {
    let due = true;
    const task: Task = () => {
      due = false;
      fire();
    };
    this.schedule(at, task);
    return () => {
      // Only a deadline still on the agenda is dropped (and counted as no work meanwhile).
      if (due) this.cancelled.add(task);
      due = false;
    };
  }

  /**
   * Work that does not keep the run going on its own: a team's timers (a module-scope setInterval,
   * a timeout nobody waits for). Like an unreferenced timer in Node, the run ends when only these
   * are left; while other work is due they fire in the run's time like any task.
   */
  scheduleBackground(at: number, task: Task): void {
    this.background.add(task);
    this.schedule(at, task);
  }

  /** Whether everything left on the agenda is background work (see scheduleBackground). */
  private onlyBackground(): boolean {
    // Cancelled deadlines still queued behind background work are no work either.
    return this.background.size > 0 && this.background.size + this.cancelled.size >= this.agenda.size;
  }

  /** Drops cancelled deadlines from the head of the agenda. */
  private dropCancelled(): void {
    if (this.cancelled.size === 0) return;
    for (let head = this.agenda.peekTask(); head !== undefined && this.cancelled.delete(head as Task); head = this.agenda.peekTask()) this.agenda.pop();
  }

  /** Time of the next scheduled task, if any (a TTL sweep included, see WorldOptions.ttl). */
  nextTime(moreScripted = false): number | undefined {
    this.dropCancelled();
    // Background work runs while anything else is ahead (a scripted step included), never alone.
    // A TTL sweep too: one due before the next scripted step runs even with the agenda empty
    // (runNext, which the driver calls next, reads the same flag).
    this.scriptedAhead = moreScripted;
    const next = !moreScripted && this.onlyBackground() ? undefined : this.agenda.peekTime();
    if (this.sweepDue(next)) return Math.max(this.sweepAt!, this.now);
    return next;
  }

  /** Whether a task is queued (a replicated write in flight, a fault's transition), a TTL sweep aside. */
  hasQueuedTask(): boolean {
    this.dropCancelled();
    return this.agenda.peekTime() !== undefined;
  }

  /**
   * Virtual time from which a Query or Scan on any region's global secondary indexes sees every
   * write made so far (WorldOptions.indexLagMs after the last of them), or undefined with no lag
   * or no write: nothing on the agenda stands for an index update, a read compares times.
   */
  indexesCurrentAt(): number | undefined {
    let last: number | undefined;
    for (const replica of this.replicas.values()) {
      const at = replica.endpoint.database.indexesCurrentAt();
      if (at !== undefined && (last === undefined || at > last)) last = at;
    }
    // the databases' clock is epochMs + now
    return last === undefined ? undefined : last - this.epochMs;
  }

  /**
   * Runs the next task; resolves when it (and everything it awaited) is done, or answers at once
   * when it ran to its end synchronously (most tasks: a delivery, a TTL sweep): no promise and no
   * microtask turn per task, which was a good part of what an agenda step cost.
   */
  runNext(): boolean | Promise<boolean> {
    this.dropCancelled();
    const head = this.agenda.peekTime();
    if (this.sweepDue(head)) {
      this.now = Math.max(this.sweepAt!, this.now);
      this.sweep();
      return true;
    }
    if (head === undefined) return false;
    const entry = this.agenda.popTask()!;
    this.now = head;
    let task: Task;
    if (typeof entry === 'function') {
      task = entry;
      if (this.background.size > 0) this.background.delete(task);
    } else if (!this.fibers.enabled) {
      // a replicated write landing, where a task runs as a plain call (no continuations): called so
      this.deliverInOrder(entry);
      return true;
    } else task = () => this.deliverInOrder(entry);
    const pending = this.fibers.run(task);
    return pending ? settled(pending) : true;
  }

  // ---- Time to Live: items expire in the run's time ---------------------------------------

  /**
   * Whether the TTL sweep comes before the agenda's next task (`next`); in 'background' mode only
   * while work is pending: an agenda task, or a scripted step still to run (the driver compares the
   * sweep's time with the step's).
   */
  private sweepDue(next: number | undefined): boolean {
    if (this.sweepAt === undefined) return false;
    if (next === undefined) return this.ttlMode === 'always' || this.scriptedAhead;
    return this.sweepAt <= next;
  }

  /**
   * The first region runs Time to Live for every table: it deletes what is due and the deletes
   * replicate like any write, so only that region's stream shows the service's delete (AWS: a TTL
   * delete is marked as the service's only in the region that expired the item).
   */
  private get expiringReplica(): Replica {
    // the first region's, kept once (read on every write: no iterator each time)
    return (this.firstReplica ??= this.replicas.values().next().value!);
  }

  /** Plans the next sweep after a change in the expiring region. */
  private planExpiry(): void {
    const next = this.expiringReplica.endpoint.database.nextExpiry();
    this.sweepAt = next === undefined ? undefined : Math.max(0, next + this.ttlDelayMs - this.epochMs);
  }

  private sweep(): void {
    const region = this.expiringReplica.region;
    if (this.isRegionDown(region)) {
      // the region that runs Time to Live is down: its deletes wait until it is back
      this.sweepAt = undefined;
      this.whenUp(region, () => this.planExpiry());
      return;
    }
    const outer = { request: this.request, cause: this.cause, caller: this.caller };
    this.request = undefined;
    this.cause = TTL_CAUSE;
    this.caller = undefined;
    try {
      this.expiringReplica.endpoint.database.expireDue(this.ttlDelayMs);
    } finally {
      this.request = outer.request;
      this.cause = outer.cause;
      this.caller = outer.caller;
    }
    this.planExpiry();
  }

  /** A request to a region that is down: traced as refused, and refused (outage-refusal.ts). */
  private refuseDown(region: string, operation: string): never {
    const { trace, error } = outageRefusal(this.now, region, operation, this.cause, this.caller);
    this.trace.emit(trace);
    throw error;
  }

  /** Subscribes to a region's stream: every local and replicated change, in per-item order. */
  onStream(region: string, listener: (record: StreamChange) => void): void {
    let listeners = this.streamListeners.get(region);
    if (!listeners) {
      this.streamListeners.set(region, (listeners = []));
      const replica = this.replicas.get(region);
      if (replica !== undefined) this.streamListenersAt[replica.index] = listeners;
    }
    listeners.push(listener);
  }

  // ---- region-local operations: what a regional endpoint does -----------------------------

  /** The application's write `op` in `region`: a PutItem, UpdateItem or DeleteItem request. */
  write(region: string, op: WriteOp): WriteOutcome {
    return writeItem(this, region, op);
  }

  /** The application's writes as one TransactWriteItems in `region`: atomic there only (aws-semantics §1.6). */
  transact(region: string, ops: WriteOp[]): TransactOutcome {
    return transactWriteItems(this, region, ops);
  }

  /** Region `region`'s DynamoDB endpoint: what the SDK (in-process or over HTTP) talks to. */
  endpoint(region: string): DynamoDBEndpoint {
    this.replica(region);
    return { handle: (operation, input) => this.answer(region, operation, input, {}) };
  }

  private async answer(region: string, operation: string, input: Record<string, unknown>, options: SendOptions): Promise<Record<string, unknown>> {
    let out: Record<string, unknown>;
    try {
      out = this.call(region, operation, input, options);
    } finally {
      // An MRSC write (or its refusal) answers after its round trip.
      const delay = this.takeAnswerDelay();
      if (delay > 0) await this.after(delay);
    }
    return out;
  }

  /**
   * Serves one request of the DynamoDB API in `region`, at the current virtual instant: what a
   * regional endpoint of an MREC global table does (aws-semantics §1). Writes are acknowledged
   * locally, conditions see only this replica, each written item then replicates on its own. The
   * trace gets a `local-write` per written item and, unless `quiet` (a caller that traces its own
   * failures), `condition-failed` / `operation-failed` for a write DynamoDB refused.
   * A table created (or deleted, or its TTL changed) in one region is so in every region: every
   * table is a global table with a replica in each region of the run.
   *
   * @throws DynamoDBError as DynamoDB answers.
   */
  call(region: string, operation: string, request: Record<string, unknown>, options: SendOptions & { quiet?: boolean } = {}): Record<string, unknown> {
    const replica = this.replica(region);
    // A region in an outage answers nobody: not the Lambda of another region either (a home-region
    // record, a client built for that region), whose requests were answered as if it were up.
    if (this.isRegionDown(region)) this.refuseDown(region, operation);
    // Legacy parameters (Expected, AttributeUpdates, ...) as the expressions they stand for, so the
    // trace names a refused write's condition and MRSC reads the request as the endpoint does.
    // a table named by its ARN is named by its name from here on: the trace and the answer as for any request
    const named = withTableNames(operation, request, region);
    const legacy = usesLegacy(operation, named);
    let input = named;
    const transaction = operation === 'TransactWriteItems' ? `tx${++this.transactions}` : undefined;
    if (transaction !== undefined) this.lastTransaction = transaction;
    const outer = this.request;
    this.request = { operation, input, transaction };
    this.answerDelay = 0;
    try {
      if (legacy) this.request.input = input = withoutLegacy(operation, named);
      if (this.mrsc !== undefined) {
        const admitted = this.mrscAdmit(this.mrsc, replica, operation, input);
        if (admitted !== undefined) {
          this.request.mrscUntil = admitted.until;
          this.request.mrscVia = admitted.via;
        }
      }
      // the deleted table's writes in flight are no longer found from their items' versions (ReplicationLink.keepOnVersions)
      if (operation === 'DeleteTable') this.detachTable(input.TableName);
      const out = legacy ? runRewritten(() => replica.endpoint.call(operation, input), operation) : replica.endpoint.call(operation, input);
      if (GLOBAL_CONTROL_PLANE.has(operation)) this.everywhereElse(region, operation, input);
      // The versions of a deleted table's items go with it: a table created again under its name
      // would otherwise show them as what its first writes replaced, and weigh its writes against them.
      if (operation === 'DeleteTable') for (const other of this.replicas.values()) other.forgetTable(input.TableName as string);
      if (operation === 'DescribeTable' || operation === 'CreateTable') this.describeReplicas(region, (out.Table ?? out.TableDescription) as Record<string, unknown>);
      if ((this.traceReads || options.traceRead === true) && TRACED_READS.has(operation)) this.traceRead(replica, operation, named, out, options.readCause);
      return out;
    } catch (error) {
      if (error instanceof DynamoDBError && !options.quiet) {
        // a legacy condition is traced as the request meant it (`attribute_not_exists(Id)`), not with the rewrite's placeholders
        const readable = legacy && input !== named ? readableCondition(input) : undefined;
        this.traceRefusal(replica, operation, readable !== undefined ? { ...input, ConditionExpression: readable } : input, error, transaction);
      }
      if (error instanceof DynamoDBError && (this.traceReads || options.traceRead === true) && TRACED_READS.has(operation)) this.traceRead(replica, operation, named, error, options.readCause);
      throw error;
    } finally {
      this.request = outer;
    }
  }

  /** A global table's description names its replicas in the other regions (version 2019.11.21). */
  private describeReplicas(region: string, description: Record<string, unknown>): void {
    const others = this.regions.filter((r) => r !== region);
    if (others.length === 0) return;
    description.GlobalTableVersion = '2019.11.21';
    description.Replicas = others.map((r) => ({ RegionName: r, ReplicaStatus: 'ACTIVE' }));
    // What DynamoDB's TableDescription says of an MRSC global table: its mode and its witness.
    if (this.mrsc === undefined) return;
    description.MultiRegionConsistency = 'STRONG';
    if (this.mrsc.witness !== undefined) description.GlobalTableWitnesses = [{ RegionName: this.mrsc.witness, WitnessStatus: 'ACTIVE' }];
  }

  /**
   * A read a program made (geosim serve), or a team's handler (`traceRead`, with the event it was
   * handling): traced (readTraces), so the views show what it saw. `input` is the request as sent.
   */
  private traceRead(replica: Replica, operation: string, input: Record<string, unknown>, answer: Record<string, unknown> | DynamoDBError, causeOf?: (key: unknown) => string | undefined): void {
    const name = (table: string, keyOrItem: unknown) => {
      const ref = this.tryRef(replica, { table, op: 'check', item: keyOrItem as WireItem });
      return ref === undefined ? undefined : { itemId: ref.itemId, ...this.onTable(ref) };
    };
    const ctx = { t: this.now, region: replica.region, ...(this.cause !== undefined ? { cause: this.cause } : {}), ...(this.caller !== undefined ? { caller: this.caller } : {}), ...(causeOf ? { causeOf } : {}), name, plain: plainOf, primary: this.primary };
    // a request in legacy parameters as the expressions it stands for, as a real table's run shows it
    for (const event of readTraces(operation, readableReadRequest(operation, input), answer, ctx)) this.trace.emit(event);
  }

  /** Applies a control-plane change to the other replicas (a global table's replicas share it). */
  private everywhereElse(region: string, operation: string, input: Record<string, unknown>): void {
    for (const other of this.replicas.values()) {
      if (other.region === region) continue;
      try {
        other.endpoint.call(operation, input);
      } catch (error) {
        // A replica that already has the change (a table created before in every region) keeps it.
        if (!(error instanceof DynamoDBError)) throw error;
      }
    }
  }

  /** The table and key of an item, the slot its version lives in, and the id the trace shows. */
  private refOf(replica: Replica, tableName: string, key: WireItem, table = replica.endpoint.database.table(tableName), encoded = table.encodeKey(key)): ItemRef & { slot: string } {
    return { table: tableName, key, itemId: itemLabel(table, key), slot: this.slotOf(tableName, encoded) };
  }

  /**
   * The slot of an item's version: its encoded key in the scenario's table (the very string the
   * table's map holds, so its hash is made once per write), prefixed by `\u0001` and its table's
   * name in any other table (an encoded key starts with S, N, B or ?, so slots never collide).
   */
  private slotOf(tableName: string, encoded: string): string {
    return tableName === this.primary ? encoded : `\u0001${tableName}\u0000${encoded}`;
  }

  /** A change the replica's database made: a local write unless it is a replicated one being stored. */
  private changed(replica: Replica, tableName: string, key: WireItem, oldImage: WireItem | undefined, newImage: WireItem | undefined, origin: ChangeOrigin, encoded: string, kind: WriteKind | undefined, table: Table): void {
    if (replica === this.expiringReplica && newImage !== undefined && table.ttl !== undefined) this.planExpiry();
    if (origin === 'replication') return;
    const ref = this.refOf(replica, tableName, key, table, encoded);
    const previous = replica.versionBefore(ref.slot, oldImage);
    if (this.skipUnchanged && previous !== undefined && origin === 'request' && oldImage !== undefined && newImage !== undefined && sameItem(oldImage, newImage)) {
      return this.unchangedWrite(replica, ref, previous, newImage, kind !== undefined ? OP_OF_KIND[kind] : opKind(this.request!, table, encoded));
    }
    let ts = this.now;
    // A region's own writes to an item always supersede what it holds; keep its timestamps strictly
    // increasing per item so last-writer-wins elsewhere agrees with what this region did.
    if (previous && !beatsStamp(ts, replica.region, previous.stamp, this.tieBreak)) ts = previous.stamp.ts + 1;
    let clock: readonly number[];
    if (previous) clock = nextClock(previous.clock, replica.index);
    else clock = this.firstClock(replica.index);
    const after = newImage === undefined ? null : (toPlainItem(newImage) as Item);
    const before = previous?.item ?? (oldImage === undefined ? null : (toPlainItem(oldImage) as Item));
    const version: StoredVersion = new WrittenVersion(after, newImage ?? null, ts, replica.region, clock);
    if (newImage !== undefined) markVersion(newImage, version);
    replica.store(ref.slot, version);
    // the operation the database says made it (else the request's entry naming the item); none: the service's own (TTL)
    const op = this.request === undefined ? 'delete' : kind !== undefined ? OP_OF_KIND[kind] : opKind(this.request, table, encoded);
    const transaction = this.request?.transaction;
    // The usual write (an event's transaction on the scenario's table) in one literal: a field added
    // afterwards would give the event a second object for its fields, which the trace keeps.
    const event: LocalWriteTrace =
      ref.table === this.primary && this.cause !== undefined && transaction && (this.caller === undefined || this.caller === replica.region) && origin !== 'ttl' && this.request!.mrscUntil === undefined
        ? { seq: 0, kind: 'local-write', t: this.now, region: replica.region, itemId: ref.itemId, op, before, after, version: version.stamp, cause: this.cause, transaction }
        : this.localWriteEvent(replica, ref, op, before, after, version.stamp, origin);
    this.trace.emit(event);
    // DynamoDB Streams records no change for a request that changes nothing (a put of the same
    // item, an update to the values it holds): the region's stream consumers are not invoked
    const unchanged = origin === 'request' && oldImage !== undefined && newImage !== undefined && this.streamListenersAt[replica.index] !== undefined && sameItem(oldImage, newImage);
    if (!unchanged) this.publish(replica, ref.table, ref.itemId, before ?? undefined, after ?? undefined, origin === 'ttl');
    const mrsc = this.mrsc;
    if (mrsc !== undefined) {
      if (this.request?.mrscUntil !== undefined) mrsc.begin(ref.slot, replica.region, this.request.mrscUntil);
      for (const link of this.outboundAt[replica.index]!) this.mrscReplicate(mrsc, link, ref, version, table, this.request?.mrscVia, previous);
      return;
    }
    // indexed, not for…of: no iterator per write
    const links = this.outboundAt[replica.index]!;
    for (let i = 0; i < links.length; i++) this.replicate(links[i]!, ref, version, table, previous);
  }

  /**
   * `replication.unchangedWrites: skip`: a request that left its item as it was. The item keeps
   * its version (the stored object the request made carries it), so nothing replicates, no stream
   * record is made, and a write of the item elsewhere still wins or loses against the version it
   * had: the regions converge as if the request had not been made. Traced, marked `unchanged`.
   */
  private unchangedWrite(replica: Replica, ref: ItemRef, previous: StoredVersion, stored: WireItem, op: LocalWriteTrace['op']): void {
    markVersion(stored, previous);
    const event = this.localWriteEvent(replica, ref, op, previous.item, previous.item, previous.stamp, 'request');
    event.unchanged = true;
    this.trace.emit(event);
  }

  /** A `local-write` event of any other write than `changed`'s usual one; the keys keep the trace's order. */
  private localWriteEvent(replica: Replica, ref: ItemRef, op: LocalWriteTrace['op'], before: Item | null, after: Item | null, stamp: StoredVersion['stamp'], origin: ChangeOrigin): LocalWriteTrace {
    // Built without spreading `onTable`; the keys keep the trace's order.
    const event: LocalWriteTrace =
      ref.table === this.primary
        ? { seq: 0, kind: 'local-write', t: this.now, region: replica.region, itemId: ref.itemId, op, before, after, version: stamp }
        : { seq: 0, kind: 'local-write', t: this.now, region: replica.region, itemId: ref.itemId, table: ref.table, op, before, after, version: stamp };
    if (this.cause !== undefined) event.cause = this.cause;
    if (this.caller !== undefined && this.caller !== replica.region) event.caller = this.caller;
    if (this.request?.transaction) event.transaction = this.request.transaction;
    if (origin === 'ttl') event.expired = true;
    if (this.request?.mrscUntil !== undefined) event.answeredAt = this.request.mrscUntil;
    return event;
  }

  /**
   * The version vector of an item's first write in the region of `index`: one array per region,
   * shared by every such version (vectors are never changed in place), not one per new item.
   */
  private firstClock(index: number): readonly number[] {
    let clock = this.firstClocks[index];
    if (clock === undefined) {
      const fresh = new Array<number>(this.replicas.size).fill(0);
      fresh[index] = 1;
      this.firstClocks[index] = clock = Object.freeze(fresh);
    }
    return clock;
  }

  /** Traces a write DynamoDB refused: a failed condition, a cancelled transaction, or an error. */
  private traceRefusal(replica: Replica, operation: string, input: Record<string, unknown>, error: DynamoDBError, transaction: string | undefined): void {
    const writes = writesOf(operation, input);
    if (writes.length === 0) return;
    if (error.name === 'TransactionCanceledException') {
      const reasons = (error.extra.CancellationReasons ?? []) as { Code?: string }[];
      writes.forEach((w, i) => {
        if (reasons[i]?.Code === 'ConditionalCheckFailed') this.conditionFailedFor(replica, w, transaction);
      });
      return;
    }
    if (error.name === 'ConditionalCheckFailedException' && writes.length === 1) return this.conditionFailedFor(replica, writes[0]!, transaction);
    const target = writes[0]!;
    const ref = this.tryRef(replica, target);
    if (ref === undefined || target.op === 'check') return;
    this.traceOperationFailed(replica.region, ref.itemId, target.op, { name: error.name, message: error.message }, this.current(replica, ref), transaction, this.onTable(ref));
  }

  private conditionFailedFor(replica: Replica, write: RequestedWrite, transaction: string | undefined): void {
    const ref = this.tryRef(replica, write);
    if (ref === undefined) return;
    this.traceConditionFailed(replica.region, ref.itemId, write.condition ?? '', this.current(replica, ref), transaction, this.onTable(ref));
  }

  private tryRef(replica: Replica, write: RequestedWrite): (ItemRef & { slot: string }) | undefined {
    try {
      const table = replica.endpoint.database.table(write.table);
      const key = write.key ?? (write.item !== undefined ? table.keyOf(write.item) : undefined);
      if (key === undefined || table.keyNames.some((n) => key[n] === undefined)) return undefined;
      return this.refOf(replica, write.table, key);
    } catch {
      return undefined; // no such table, or a malformed key: nothing to name in the trace
    }
  }

  private current(replica: Replica, ref: ItemRef & { slot: string }): Item | undefined {
    return replica.version(ref.slot)?.item ?? undefined;
  }

  /** A conditional write (or a transaction's item) the local replica rejected. */
  traceConditionFailed(region: string, itemId: string, condition: string, current: Item | undefined, transaction: string | undefined, extra: OnTable = {}): void {
    this.trace.emit({
      kind: 'condition-failed',
      t: this.now,
      region,
      itemId,
      ...extra,
      condition,
      current: current ?? null,
      ...requestOrigin(this.cause, this.caller, region),
      ...(transaction ? { transaction } : {}),
    });
  }

  /** A write DynamoDB refused for what the item holds (the item stays as it is). */
  traceOperationFailed(region: string, itemId: string, op: 'put' | 'update' | 'delete', error: TableErrorInfo, current: Item | undefined, transaction: string | undefined, extra: OnTable = {}): void {
    this.trace.emit({
      kind: 'operation-failed',
      t: this.now,
      region,
      itemId,
      ...extra,
      op,
      error,
      current: current ?? null,
      ...requestOrigin(this.cause, this.caller, region),
      ...(transaction ? { transaction } : {}),
    });
  }

  /**
   * Sends a write of `table` (the sender's table object: the incarnation the write belongs to, see
   * Delivery.incarnation). Returns the new delivery, or undefined when the write rode on one in flight.
   * `previous`: the sender's version of the item before this write (ReplicationLink.post).
   */
  private replicate(link: ReplicationLink, ref: ItemRef & { slot: string }, version: StoredVersion, table: Table, previous: StoredVersion | undefined): Delivery | undefined {
    // `ref` itself rides on the delivery (read only): no copy per link of every write in flight
    const delivery = link.post(this.now, ref.slot, version, ref, table, previous);
    const coalesced = link.coalesced;
    if (coalesced) {
      this.trace.emit({ kind: 'replication-coalesced', t: this.now, from: link.from, to: link.to, itemId: ref.itemId, ...this.onTable(ref), dropped: coalesced.stamp, by: version.stamp });
      return undefined;
    }
    this.trace.emit(
      ref.table === this.primary
        ? { kind: 'replication-sent', t: this.now, from: link.from, to: link.to, itemId: ref.itemId, version: version.stamp, arrivesAt: delivery.arrival }
        : { kind: 'replication-sent', t: this.now, from: link.from, to: link.to, itemId: ref.itemId, table: ref.table, version: version.stamp, arrivesAt: delivery.arrival },
    );
    // Same-ms tasks in an order drawn from the seed: an item's two writes due at one ms would be
    // shuffled too, so the later one rides on the earlier (Delivery.then); per-item order holds.
    const sameMs = link.sameMs;
    if (sameMs !== undefined && this.seededTies) sameMs.then = delivery;
    else this.agenda.push(delivery.arrival, delivery);
    return delivery;
  }

  /** Delivers `first` and then each write of its item that rides on it (Delivery.then). */
  private deliverInOrder(first: Delivery): void {
    const link = first.link!;
    for (let delivery: Delivery | undefined = first; delivery !== undefined; delivery = delivery.then) this.deliver(link, delivery);
  }

  /**
   * Traces a replicated write that was not applied: it lost to the version `kept` (last writer
   * wins), or its table was deleted on its way (nothing kept). The keys keep the trace's order.
   */
  private discarded(link: ReplicationLink, delivery: Delivery, outcome: { kept: StoredVersion; reason: 'older' | 'tie-lost'; conflict: boolean } | { kept?: undefined; reason: 'table-deleted'; conflict: false }, early = false): void {
    const ref = delivery.ref!;
    const incoming = delivery.version;
    // Built field by field, not by spreads (a write lost to last-writer-wins is common in a long
    // run, and V8 builds spreads on a slow path); the keys keep the trace's order.
    const event: Record<string, unknown> = { kind: 'replication-discarded', t: this.now, from: link.from, to: link.to, itemId: ref.itemId };
    if (ref.table !== this.primary) event.table = ref.table;
    event.incoming = incoming.item;
    if (outcome.kept !== undefined) event.kept = outcome.kept.item;
    event.incomingVersion = incoming.stamp;
    if (outcome.kept !== undefined) event.keptVersion = outcome.kept.stamp;
    event.reason = outcome.reason;
    event.conflict = outcome.conflict;
    if (delivery.heldSince !== undefined) event.heldSince = delivery.heldSince;
    if (early) event.fromQuorum = true;
    this.trace.emit(event as unknown as TraceEventInput);
  }

  /**
   * A replicated write arrives: kept only if newer than the receiving replica's item (aws-semantics
   * §1.3). `early`: taken before its time (MRSC's catch-up), through the quorum if its link is paused.
   */
  private deliver(link: ReplicationLink, delivery: Delivery, early = false): void {
    // an MRSC write a write or strong read took early (catchUp): its task, or its release, comes too late
    if (delivery.delivered) return;
    const ref = delivery.ref!;
    // An MRSC write a replica has at once (sync) or takes from the quorum (early) passes a paused link.
    if (!early && !delivery.sync && this.pauses.isPaused(link.from, link.to)) {
      this.pauses.hold(link.from, link.to, { link, delivery });
      delivery.heldSince ??= this.now;
      this.trace.emit({ kind: 'replication-held', t: this.now, from: link.from, to: link.to, itemId: ref.itemId, ...this.onTable(ref), version: delivery.version.stamp });
      return;
    }
    // MRSC: the item's writes sent here before this one land first, wherever they come from
    if (this.mrsc !== undefined && !early && !delivery.sync) this.catchUpItem(link.to, delivery.itemId, delivery);
    if (!delivery.sync) link.delivered(delivery);
    const receiver = (link as ModelLink).receiver;
    // The table was deleted while the write was on its way (DeleteTable removes every replica at
    // once, CreateTable makes them at once): the write goes with it, as a deleted replica drops
    // what was still arriving, and a table created again under its name since is another table,
    // which never receives the old one's replication. Its table object in the sending region tells.
    // Nothing is stored; the trace ends the write's flight, or every view would keep it in flight.
    const incoming = delivery.version;
    // (the sending region's table object: one deleted since is so marked, Table.deleted)
    if ((delivery.incarnation as Table).deleted) return this.discarded(link, delivery, { reason: 'table-deleted', conflict: false });
    // the scenario's table: the receiver's item read once, for its version and for the write below
    const primary = ref.table === this.primary;
    // the receiver's table, looked up once for the read below and the write
    const target = receiver.endpoint.database.tableIfExists(ref.table);
    const stored = primary ? (target?.getEncoded(delivery.itemId) ?? null) : undefined;
    const current = primary ? receiver.versionOfStored(delivery.itemId, stored ?? undefined) : receiver.version(delivery.itemId);
    const conflict = current !== undefined && concurrent(current.clock, incoming.clock);
    if (current && !beats(incoming.stamp, current.stamp, this.tieBreak)) {
      return this.discarded(link, delivery, { kept: current, reason: incoming.stamp.ts === current.stamp.ts ? 'tie-lost' : 'older', conflict }, early);
    }
    // the receiver's own write it replaces, if still in flight on the receiver's link, is found by
    // the item's id from now on, not from the receiver's version (ReplicationLink.keepOnVersions)
    if (current?.sent !== undefined) detachSent(current);
    receiver.store(delivery.itemId, incoming);
    // origin 'replication': the replica's change listener does not take it for a local write
    // the slot of an item of the scenario's table is its encoded key (slotOf)
    receiver.endpoint.applyReplicated(ref.table, incoming.wire ?? undefined, ref.key, primary ? delivery.itemId : undefined, stored, target);
    const event: ReplicationAppliedTrace =
      ref.table === this.primary
        ? { seq: 0, kind: 'replication-applied', t: this.now, from: link.from, to: link.to, itemId: ref.itemId, before: current?.item ?? null, after: incoming.item, version: incoming.stamp, conflict }
        : { seq: 0, kind: 'replication-applied', t: this.now, from: link.from, to: link.to, itemId: ref.itemId, table: ref.table, before: current?.item ?? null, after: incoming.item, version: incoming.stamp, conflict };
    if (current) event.replacedVersion = current.stamp;
    if (delivery.heldSince !== undefined) event.heldSince = delivery.heldSince;
    if (early) event.fromQuorum = true;
    this.trace.emit(event);
    // A replicated write that leaves the item as it was (the same item written in both regions) is
    // no stream record here either, as DynamoDB Streams writes none for a change of nothing: it
    // reached the other region's consumers as a MODIFY whose old and new images were equal
    const unchanged = current?.wire != null && incoming.wire != null && this.streamListenersAt[receiver.index] !== undefined && sameItem(current.wire, incoming.wire);
    if (!unchanged) this.publish(receiver, ref.table, ref.itemId, current?.item ?? undefined, incoming.item ?? undefined);
  }

  /** A trace event names the table only when it is not the scenario's own (the first declared). */
  private onTable(ref: ItemRef): OnTable {
    return ref.table === this.primary ? {} : { table: ref.table };
  }

  private publish(replica: Replica, table: string, itemId: string, oldImage: Item | undefined, newImage: Item | undefined, expired = false): void {
    const listeners = this.streamListenersAt[replica.index];
    const region = replica.region;
    // a delete of an item the region does not hold (one replicated onto its tombstone) changes nothing: no record
    if (!listeners || (oldImage === undefined && newImage === undefined)) return;
    const record: StreamChange = { region, itemId, oldImage, newImage };
    // The scenario's table stays unnamed, so what listeners of GlobalEventTable read is as before.
    if (table !== this.primary) record.table = table;
    // only the region whose Time to Live deleted it: a replicated delete is a replica's write (aws-semantics §2, userIdentity)
    if (expired) record.expired = true;
    for (const listener of listeners) listener(record);
  }
}

/** True once `pending` has settled (a task that waited). */
async function settled(pending: Promise<void>): Promise<boolean> {
  await pending;
  return true;
}

/** How the trace names the cause of a TTL delete. */
export const TTL_CAUSE = 'TTL';

export interface WorldOptions {
  /** Wall-clock ms of virtual time 0, for what DynamoDB stamps with real time (TTL, creation times). Default 0. */
  epochMs?: number;
  /** Every table streams NEW_AND_OLD_IMAGES for the Streams API (serve, the library). Default false: a run reads changes through `onStream`. */
  streams?: boolean;
  /** Milliseconds a write takes to reach the global secondary indexes. Default 0. */
  indexLagMs?: number;
  /**
   * When TTL deletes run: `always` (serve, the library: time passes anyway), or `background`
   * (scenario runs, the default): only while other work is pending, so a run never waits a day of
   * virtual time just to expire its idempotency records.
   */
  ttl?: 'always' | 'background';
  /**
   * How long after its TTL expiry an item is deleted (default 0: at its expiry). DynamoDB deletes
   * within a few days, and reads see the expired item until then.
   */
  ttlDelayMs?: number;
  /** Trace every read request as `read` events (geosim serve, the library: a program's reads, not a scenario's steps; see readTraces). Default false. */
  traceReads?: boolean;
  /** Whether tasks may wait on continuations longer than 0 ms (`after`): a run with request latencies. Default false. */
  continuations?: boolean;
  /**
   * Quiet-mode fibers (a run with a user module, see Fibers.runQuiet): each agenda step runs until
   * its promise settles or the process is quiet, and `after(ms)` works from any async context.
   * Implies `continuations`. Default false: the built-in application parks explicitly.
   */
  quiescent?: boolean;
  /**
   * The caller holds each answer back for its delay itself (geosim serve, on the wall clock), so
   * takeAnswerDelay tells it; without continuations it would read 0. Default false.
   */
  holdsAnswers?: boolean;
  /** Decides each replicated write's lag (geosim explore); default: the link's distribution, drawn from its seeded stream. */
  lagSource?: LagSource;
  /** `seeded`: tasks due at the same ms run in an order drawn from the seed (stream 'simultaneous'). Default: as scheduled. */
  simultaneous?: 'scheduled' | 'seeded';
}

/** The stream of the seed that orders tasks due at the same ms (replication.simultaneous: seeded). */
export const SIMULTANEOUS_STREAM = 'simultaneous';

/** An item of an answer (DynamoDB JSON) as the trace shows it: in the canonical order, whatever order the replica holds it in. */
function plainOf(item: unknown): Item {
  return canonicalItem(toPlainItem(item as WireItem) as Item);
}

/** Control-plane operations that change every replica of a global table at once. */
const GLOBAL_CONTROL_PLANE = new Set(['CreateTable', 'DeleteTable', 'UpdateTimeToLive']);

interface ServedRequest {
  operation: string;
  input: Record<string, unknown>;
  transaction: string | undefined;
  /** MRSC: when this write's round trip ends (its items are in flight until then). */
  mrscUntil?: number;
  /** MRSC: the region that confirmed this write (the nearest answer of its round trip). */
  mrscVia?: string;
  /** The items a batch or transaction names, read once per request (see `opKind`). */
  writes?: RequestedWrite[];
}

/** One item a write request names: its table, key (or item), op and condition text. */
interface RequestedWrite {
  table: string;
  key?: WireItem;
  item?: WireItem;
  op: 'put' | 'update' | 'delete' | 'check';
  condition?: string;
  /** Its encoded key in its table, once `opKind` needed it (null: it names none). */
  encoded?: string | null;
}

const OP_OF_KIND = { Put: 'put', Update: 'update', Delete: 'delete' } as const;
const SINGLE_WRITES: Record<string, 'put' | 'update' | 'delete'> = { PutItem: 'put', UpdateItem: 'update', DeleteItem: 'delete' };
const TRANSACT_ENTRIES: Record<string, RequestedWrite['op']> = { Put: 'put', Update: 'update', Delete: 'delete', ConditionCheck: 'check' };

/** The items a write request names, in request order (empty for reads and the control plane). */
function writesOf(operation: string, input: Record<string, unknown>): RequestedWrite[] {
  const single = SINGLE_WRITES[operation];
  if (single !== undefined) return [requested(single, input)];
  if (operation === 'TransactWriteItems' && Array.isArray(input.TransactItems)) {
    return (input.TransactItems as Record<string, unknown>[]).map((entry) => {
      const kind = entryKind(entry);
      return kind === undefined ? { table: '', op: 'check' as const } : requested(TRANSACT_ENTRIES[kind]!, entry[kind] as Record<string, unknown>);
    });
  }
  if (operation === 'BatchWriteItem' && input.RequestItems !== null && typeof input.RequestItems === 'object') {
    const out: RequestedWrite[] = [];
    for (const [table, requests] of Object.entries(input.RequestItems as Record<string, unknown>)) {
      for (const r of Array.isArray(requests) ? (requests as Record<string, Record<string, unknown>>[]) : []) {
        if (r?.PutRequest) out.push({ table, op: 'put', item: r.PutRequest.Item as WireItem });
        else if (r?.DeleteRequest) out.push({ table, op: 'delete', key: r.DeleteRequest.Key as WireItem });
      }
    }
    return out;
  }
  return [];
}

/** The first of an entry's own names that is a kind of transaction entry (Put, Update, Delete, ConditionCheck). */
function entryKind(entry: Record<string, unknown> | null | undefined): string | undefined {
  if (entry === null || typeof entry !== 'object') return undefined;
  // for…in, not Object.keys: no array per entry of every transaction
  for (const k in entry) if (Object.hasOwn(entry, k) && Object.hasOwn(TRANSACT_ENTRIES, k)) return k;
  return undefined;
}

function requested(op: RequestedWrite['op'], input: Record<string, unknown> | undefined): RequestedWrite {
  const out: RequestedWrite = { table: String(input?.TableName ?? ''), op };
  if (input?.Key !== undefined) out.key = input.Key as WireItem;
  if (input?.Item !== undefined) out.item = input.Item as WireItem;
  if (typeof input?.ConditionExpression === 'string') out.condition = input.ConditionExpression;
  return out;
}

/** Which kind of write made a change to `key`: the request's own op, or its entry's in a batch or transaction. */
function opKind(request: ServedRequest, table: Table, encoded: string): 'put' | 'update' | 'delete' {
  const single = SINGLE_WRITES[request.operation];
  if (single !== undefined) return single;
  request.writes ??= writesOf(request.operation, request.input);
  for (const w of request.writes) {
    if (w.op === 'check' || w.table !== table.name) continue;
    if (w.encoded === undefined) {
      const k = w.key ?? (w.item !== undefined ? table.keyOf(w.item) : undefined);
      // encoded once per request: a transaction's every change looks through all its entries
      w.encoded = k === undefined ? null : table.encodeKey(k);
    }
    if (w.encoded === encoded) return w.op;
  }
  return 'delete'; // a change no request named: the service's own (TTL)
}

/**
 * A version a write makes (World.changed). Made by a constructor, not an object literal: V8
 * allocates a literal whose objects live long (versions do) in the old generation at once, and
 * then every young object stored into it (the item, its wire form, the stamp, the clock) passes
 * the write barrier's slow path; a constructed object starts young like them.
 */
class WrittenVersion implements StoredVersion {
  declare readonly item: Item | null;
  declare readonly wire: WireItem | null;
  declare readonly stamp: StoredVersion['stamp'];
  declare readonly clock: readonly number[];
  declare sent: StoredVersion['sent'];

  constructor(item: Item | null, wire: WireItem | null, ts: number, region: string, clock: readonly number[]) {
    this.item = item;
    this.wire = wire;
    this.stamp = { ts, region };
    this.clock = clock;
    this.sent = undefined;
  }
}

/** The id an item has in the trace: its key string (partition, then `|` sort key), as the report names it. */
function itemLabel(table: Table, key: WireItem): string {
  const names = table.keyNames;
  // one key attribute (the scenario's table): its text, without an array per write
  return names.length === 1 ? keyText(key[names[0]!]) : keyString(names, key);
}


