import type { FaultSpec } from '../../scenario/model.js';
import type { TraceSink } from '../../trace/recorder.js';
import type { Substrate } from '../substrate.js';
import { faultStreamLabel, type Rng } from '../rng.js';

/** What the fault timeline acts on: the run's substrate (its clock, replication links and regions). */
export type FaultTarget = Pick<Substrate, 'now' | 'regions' | 'random' | 'schedule' | 'pauseLink' | 'resumeLink' | 'releaseHeld' | 'setRegionDown' | 'forecastCuts'>;
import type { ClientClocks } from './client-clocks.js';

type LambdaFailureSpec = Extract<FaultSpec, { kind: 'lambda-failure' }>;
/** A Lambda failure rule and its own stream of the seed, so its chances shift no other draw. */
type LambdaFailureRule = LambdaFailureSpec & { readonly chance: Rng };

/** What an injected Lambda failure does to one attempt. */
export interface InjectedFailure {
  error: 'throw' | 'timeout';
  message: string;
}

interface Transition {
  at: number;
  apply: () => void;
}

/**
 * A scenario's faults over virtual time. Each fault is a start and (usually) an end transition;
 * transitions are applied in time order, and always before a step due at the same time (the
 * runner calls `catchUp` before every step), so "an outage at 1s" already refuses an event at 1s.
 */
export class FaultSchedule {
  private readonly transitions: Transition[] = [];
  private next = 0;
  private readonly lambdaFailures: LambdaFailureRule[];
  /** When each cut begins: an outage (a region) or a pause once it takes effect (its links). */
  private readonly cuts: Array<{ at: number; region?: string; links?: Array<[string, string]> }> = [];

  constructor(
    faults: readonly FaultSpec[],
    private readonly world: FaultTarget,
    private readonly trace: TraceSink,
    private readonly clocks: ClientClocks,
    /** MRSC: the witness's region, cut off with a region whose replication is paused or that is down. */
    private readonly witness?: string,
  ) {
    for (const fault of faults) this.plan(fault);
    // A stable sort: transitions due at the same time apply in the order the scenario lists its faults.
    this.transitions.sort((a, b) => a.at - b.at);
    world.forecastCuts?.((a, b, after) => this.cutAt(a, b, after));
    this.lambdaFailures = faults
      .filter((f): f is LambdaFailureSpec => f.kind === 'lambda-failure')
      .map((f) => ({ ...f, chance: world.random.stream(faultStreamLabel(f.index)) }));
  }

  /** Puts every transition on the agenda, so faults happen even when no step is due then. */
  start(): void {
    for (const t of this.transitions) this.world.schedule(t.at, () => this.catchUp(this.world.now));
  }

  /** Applies every transition due at or before `now` that has not been applied yet. */
  catchUp(now: number): void {
    while (this.next < this.transitions.length && this.transitions[this.next]!.at <= now) this.transitions[this.next++]!.apply();
  }

  /** Whether (and how) a Lambda attempt fails now. A probability is drawn from the rule's own stream only for attempts it matches. */
  lambdaFailure(region: string, eventId: string, attempt: number): InjectedFailure | undefined {
    const now = this.world.now;
    for (const f of this.lambdaFailures) {
      if (now < f.at || (f.until !== undefined && now >= f.until)) continue;
      if (f.region !== undefined && f.region !== region) continue;
      if (f.event !== undefined && f.event !== eventId) continue;
      if (f.attempts !== undefined && !f.attempts.includes(attempt)) continue;
      if (f.probability < 1 && f.chance.next() >= f.probability) continue;
      return { error: f.error, message: f.message };
    }
    return undefined;
  }

  private plan(fault: FaultSpec): void {
    const at = (t: number, apply: () => void) => this.transitions.push({ at: t, apply });
    switch (fault.kind) {
      case 'pause-replication': {
        const links = this.pausedLinks(fault);
        const regions = fault.region !== undefined ? [fault.region] : [fault.from!, fault.to!];
        const description = fault.region !== undefined ? `replication paused into and out of ${this.named(fault.region)}` : `replication paused ${this.named(fault.from!)} → ${this.named(fault.to!)}`;
        // FIS: "Tables may continue to be replicated for up to 5 minutes after action begins" (aws-semantics §3).
        const effective = fault.at + fault.continuesFor;
        const stops = fault.until === undefined || effective < fault.until;
        at(fault.at, () => this.started(fault, description, regions, stops && effective > fault.at ? effective : undefined));
        if (stops) {
          at(effective, () => links.forEach(([from, to]) => this.world.pauseLink(from, to)));
          this.cuts.push({ at: effective, links });
        }
        if (fault.until !== undefined) {
          at(fault.until, () => {
            const released = stops ? links.reduce((n, [from, to]) => n + this.world.resumeLink(from, to), 0) : 0;
            this.ended(fault, description, regions, released);
            this.world.releaseHeld();
          });
        }
        return;
      }
      case 'outage': {
        // A region that goes offline keeps its pending replication and sends it on return (aws-semantics §1.9).
        const links = this.linksOf(fault.region);
        this.cuts.push({ at: fault.at, region: fault.region });
        const description = fault.region === this.witness ? `${this.named(fault.region)} is down: it confirms no write` : `${fault.region} is down: client requests rejected, replication in and out stopped`;
        at(fault.at, () => {
          this.started(fault, description, [fault.region], undefined);
          this.outagesRunning.set(fault.region, (this.outagesRunning.get(fault.region) ?? 0) + 1);
          this.world.setRegionDown(fault.region, true);
          links.forEach(([from, to]) => this.world.pauseLink(from, to));
        });
        if (fault.until !== undefined) {
          at(fault.until, () => {
            const released = links.reduce((n, [from, to]) => n + this.world.resumeLink(from, to), 0);
            // outages of one region may overlap: the region is back only when the last one ends
            const stillDown = this.outageEnded(fault.region);
            this.ended(fault, `${this.named(fault.region)} outage${stillDown ? ' (another outage keeps it down)' : ''}`, [fault.region], released);
            this.world.setRegionDown(fault.region, false);
            this.world.releaseHeld();
          });
        }
        return;
      }
      case 'lambda-failure': {
        const what = [
          fault.event !== undefined ? `event ${fault.event}` : 'every event',
          fault.region !== undefined ? `in ${fault.region}` : '',
          fault.attempts !== undefined ? `attempt${fault.attempts.length > 1 ? 's' : ''} ${fault.attempts.join(', ')}` : '',
          fault.probability < 1 ? `with probability ${fault.probability}` : '',
        ]
          .filter(Boolean)
          .join(' ');
        const description = `Lambda ${fault.error === 'timeout' ? 'times out' : 'throws'} for ${what}`;
        const regions = fault.region !== undefined ? [fault.region] : [];
        at(fault.at, () => this.started(fault, description, regions, undefined));
        if (fault.until !== undefined) at(fault.until, () => this.ended(fault, description, regions, undefined));
        return;
      }
      case 'clock-skew': {
        let end: (() => boolean) | undefined;
        at(fault.at, () => {
          const from = this.clocks.skew(fault.region);
          end = this.clocks.start(fault.region, fault.skew);
          this.skewChanged(fault.region, from);
        });
        if (fault.until !== undefined) {
          at(fault.until, () => {
            const from = this.clocks.skew(fault.region);
            // a fault ending under a later one that still runs changes nothing: no event
            if (end?.() === true) this.skewChanged(fault.region, from);
          });
        }
        return;
      }
      default:
        unplannedFault(fault);
    }
  }

  /** Outages of each region started and not ended yet (they may overlap). */
  private readonly outagesRunning = new Map<string, number>();

  /** One outage of `region` ends: whether another still keeps it down. */
  private outageEnded(region: string): boolean {
    const left = (this.outagesRunning.get(region) ?? 1) - 1;
    this.outagesRunning.set(region, left);
    return left > 0;
  }

  private skewChanged(region: string, from: number): void {
    this.trace.emit({ kind: 'clock-skew-changed', t: this.world.now, region, from, to: this.clocks.skew(region) });
  }

  private pausedLinks(fault: Extract<FaultSpec, { kind: 'pause-replication' }>): Array<[string, string]> {
    return fault.region !== undefined ? this.linksOf(fault.region) : [[fault.from!, fault.to!]];
  }

  /** The first time after `after` at which a fault starts that cuts `a` from `b` (see CutForecast). */
  private cutAt(a: string, b: string, after: number): number | undefined {
    let first: number | undefined;
    for (const cut of this.cuts) {
      if (cut.at <= after || (first !== undefined && cut.at >= first)) continue;
      const cuts = cut.region !== undefined ? cut.region === a || cut.region === b : cut.links!.some(([from, to]) => (from === a && to === b) || (from === b && to === a));
      if (cuts) first = cut.at;
    }
    return first;
  }

  /** A region as a fault's description names it: the witness says so. */
  private named(region: string): string {
    return region === this.witness ? `${region} (the witness)` : region;
  }

  /** Every directed link into and out of a region. */
  private linksOf(region: string): Array<[string, string]> {
    const others = this.world.regions.filter((r) => r !== region);
    if (this.witness !== undefined && this.witness !== region) others.push(this.witness);
    return [...others.map((o): [string, string] => [region, o]), ...others.map((o): [string, string] => [o, region])];
  }

  private started(fault: FaultSpec, description: string, regions: string[], effectiveAt: number | undefined): void {
    this.trace.emit({
      kind: 'fault-started',
      t: this.world.now,
      fault: fault.kind,
      index: fault.index,
      description,
      regions,
      ...(fault.until !== undefined ? { until: fault.until } : {}),
      ...(effectiveAt !== undefined ? { effectiveAt } : {}),
    });
  }

  private ended(fault: FaultSpec, description: string, regions: string[], released: number | undefined): void {
    this.trace.emit({
      kind: 'fault-ended',
      t: this.world.now,
      fault: fault.kind,
      index: fault.index,
      description,
      regions,
      ...(released !== undefined ? { released } : {}),
    });
  }
}

/** A fault kind added to the scenario without a plan here fails to compile. */
function unplannedFault(fault: never): never {
  throw new Error(`no plan for fault ${JSON.stringify(fault)}`);
}
