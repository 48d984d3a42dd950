import type { LagSpec } from '../../scenario/model.js';
import { sampleLag } from '../lag.js';
import type { Rng } from '../rng.js';

/** The seed's stream a round trip's leg from→to is drawn from (MRSC) when no replication link carries it (the witness's). */
export function mrscLegStream(from: string, to: string): string {
  return `mrsc:${from}>${to}`;
}

/** Who can reach whom right now (the World's faults: outages and paused links). */
export interface Reachability {
  readonly now: number;
  isRegionDown(region: string): boolean;
  isLinkPaused(from: string, to: string): boolean;
  /** When `a` and `b` next stop reaching each other after `after` (a fault the run has scheduled), if ever. */
  cutAt?(a: string, b: string, after: number): number | undefined;
  /** When `region` itself next goes down after `after` (a scheduled outage), if ever. */
  downAt?(region: string, after: number): number | undefined;
}

/**
 * A write's round trip: the region that confirmed it and when its answer comes, or, when every
 * region it reaches is cut off before it could confirm, who went: the writer itself (an outage of
 * its own region) or the others.
 */
export type RoundTrip = { ms: number; via: string } | { ms?: undefined; cutOff: 'self' | 'others' };

/**
 * Multi-Region strong consistency's rules that are not a replica's (aws-semantics §2): which
 * regions form a quorum, how long a write takes to be acknowledged (the round trip to the nearest
 * reachable other region, a replica or the witness), and which items have a write in flight
 * (another region's write to one of them meets a ReplicatedWriteConflictException).
 */
export class MrscRules {
  /** Every region of the table: the replicas, then the witness if any. */
  readonly members: readonly string[];
  private readonly legs = new Map<string, { lag: LagSpec; rng: Rng; n: number }>();
  /** Item slot → the region whose write is in flight and when its round trip ends. */
  private readonly inFlight = new Map<string, { region: string; until: number }>();

  constructor(
    readonly replicas: readonly string[],
    readonly witness: string | undefined,
    /** The lag of a directed pair (links between replicas; the default lag for the witness's). */
    lagOf: (from: string, to: string) => LagSpec,
    root: Rng,
    /**
     * A leg between two replicas, drawn as the next lag of their replication link (so explore
     * decides and pins it as it does a replicated write's); undefined for a pair without a link (the
     * witness's legs, drawn from their own streams).
     */
    private readonly linkDraw?: (from: string, to: string) => number | undefined,
  ) {
    this.members = witness === undefined ? [...replicas] : [...replicas, witness];
    for (const from of this.members) {
      for (const to of this.members) {
        if (from !== to) this.legs.set(`${from}>${to}`, { lag: lagOf(from, to), rng: root.stream(mrscLegStream(from, to)), n: 0 });
      }
    }
  }

  /** The other regions `region` can talk to both ways now (a witness has no links to pause). */
  reachable(region: string, world: Reachability): string[] {
    if (world.isRegionDown(region)) return [];
    return this.members.filter((other) => other !== region && !world.isRegionDown(other) && !world.isLinkPaused(region, other) && !world.isLinkPaused(other, region));
  }

  /** Whether `region` has its quorum: at least one other region (replica or witness) to agree with. */
  hasQuorum(region: string, world: Reachability): boolean {
    return this.reachable(region, world).length > 0;
  }

  /**
   * The round trip of one write in `region`: each reachable other region's two legs drawn from their
   * own streams, the nearest answer wins (a write returns once one other region has it). A region
   * a fault cuts off before its answer would arrive confirms nothing (its legs are drawn all the
   * same, so the draws of every other write stay as they were). Undefined without quorum; else the
   * round trip and the region that confirmed the write (`via`: a replica or the witness), or, when
   * faults cut every one off first, whether the writer's own region goes down before the nearest
   * answer would have come (a cut of the pair includes it, and the refusal said the others were cut).
   */
  roundTrip(region: string, world: Reachability): RoundTrip | undefined {
    let best: { ms: number; via: string } | undefined;
    let nearest: number | undefined;
    for (const other of this.reachable(region, world)) {
      const rtt = this.draw(region, other) + this.draw(other, region);
      if (nearest === undefined || rtt < nearest) nearest = rtt;
      const cut = world.cutAt?.(region, other, world.now);
      if (cut !== undefined && cut < world.now + rtt) continue;
      if (best === undefined || rtt < best.ms) best = { ms: rtt, via: other };
    }
    if (best !== undefined || nearest === undefined) return best;
    const down = world.downAt?.(region, world.now);
    return { cutOff: down !== undefined && down < world.now + nearest ? 'self' : 'others' };
  }

  private draw(from: string, to: string): number {
    const onLink = this.linkDraw?.(from, to);
    if (onLink !== undefined) return onLink;
    const leg = this.legs.get(`${from}>${to}`)!;
    return sampleLag(leg.lag, leg.rng, leg.n++);
  }

  /** Another region's write to `slot` still in flight at `now`, if any. */
  conflicting(slot: string, region: string, now: number): { region: string; until: number } | undefined {
    const flight = this.inFlight.get(slot);
    if (flight === undefined) return undefined;
    if (flight.until <= now) {
      this.inFlight.delete(slot);
      return undefined;
    }
    return flight.region === region ? undefined : flight;
  }

  /** A write in `region` to `slot` is in flight until `until` (the later of two writes from one region). */
  begin(slot: string, region: string, until: number): void {
    const flight = this.inFlight.get(slot);
    if (flight !== undefined && flight.region === region && flight.until > until) return;
    this.inFlight.set(slot, { region, until });
  }
}
