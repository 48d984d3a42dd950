import type { Timeline } from '../substrate.js';

/** A stream shard's state the batching window keeps: the invocation it has planned, if any. */
export interface Gathering {
  /** Cancels the invocation due when the oldest pending record's window ends. */
  gathering?: (() => void) | undefined;
}

/**
 * An event source mapping's batching window on a stream (MaximumBatchingWindowInSeconds): Lambda
 * gathers a shard's records before invoking, and a batch goes when it is full or when its oldest
 * record has waited the window, whichever comes first. One rule for both stream sources (the
 * built-in application's and a team's stream handler).
 */
export class BatchingWindow {
  constructor(
    /** Ms; 0: no window, every record goes at once. */
    readonly ms: number,
    private readonly batchSize: number,
    private readonly world: Pick<Timeline, 'now' | 'deadline'>,
  ) {}

  /**
   * For a shard with no invocation under way and `pending` records (the oldest arrived at
   * `oldestAt`): `go` now when they fill a batch or have waited the window, else once at the
   * window's end (a batch that fills meanwhile calls this again and goes at once).
   */
  gather(shard: Gathering, pending: number, oldestAt: number, go: () => void): void {
    if (pending === 0) return;
    const now = this.world.now;
    const due = pending >= this.batchSize ? now : Math.max(now, oldestAt + this.ms);
    if (due <= now) {
      shard.gathering?.();
      shard.gathering = undefined;
      return go();
    }
    shard.gathering ??= this.world.deadline(due, () => {
      shard.gathering = undefined;
      go();
    });
  }
}
