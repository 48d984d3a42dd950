import type { Item } from '../app/item.js';
import { TableOperationError } from '../app/table-errors.js';
import { writeOpId, type TablePort, type TransactOutcome, type WriteOp, type WriteOutcome } from '../app/table-port.js';
import type { TraceSink } from '../trace/recorder.js';
import { NO_QUORUM, REPLICATED_WRITE_CONFLICT } from './mrsc/errors.js';
import type { Rng } from './rng.js';
import type { Timeline } from './substrate.js';

/** The seed's stream the SDK's retry delays are drawn from. */
export const SDK_RETRY_STREAM = 'sdk-retry';

/**
 * The AWS SDK's standard retry strategy as the built-in application's client has it: 3 attempts in
 * all, exponential backoff with full jitter (attempt n+1 waits a uniform draw in [0, base·2^(n-1)),
 * capped at 20 s) from base 100 ms (design-15; the SDK release installed here uses 50 ms for
 * non-throttling errors, see README "MRSC"). The retry quota (token bucket) is left out: a run
 * never drains it.
 */
export const SDK_MAX_ATTEMPTS = 3;
export const SDK_RETRY_BASE_MS = 100;
export const SDK_MAX_RETRY_DELAY_MS = 20_000;

/** Errors the SDK retries on its own: ReplicatedWriteConflictException (retryable in the API model) and a 500. */
const RETRYABLE: ReadonlySet<string> = new Set([REPLICATED_WRITE_CONFLICT, NO_QUORUM]);

/** The delay before retry number `retry` (1 for the second attempt), drawn from `rng`. */
export function sdkRetryDelay(retry: number, rng: Rng): number {
  return Math.floor(rng.next() * Math.min(SDK_RETRY_BASE_MS * 2 ** (retry - 1), SDK_MAX_RETRY_DELAY_MS));
}

/**
 * A region's table behind the SDK's retries: a call DynamoDB refused with a retryable error is
 * sent again after the backoff, each retry an `sdk-retry` trace event, until it succeeds or the
 * attempts run out (then the error reaches the application, as the SDK throws it).
 */
export class SdkRetryPort implements TablePort {
  readonly region: string;

  constructor(
    private readonly inner: TablePort,
    private readonly timeline: Pick<Timeline, 'now' | 'after'>,
    private readonly trace: TraceSink,
    /** The run's `sdk-retry` stream (one per run: draws follow the agenda's order). */
    private readonly rng: Rng,
  ) {
    this.region = inner.region;
  }

  get(id: string, options?: { consistent?: boolean }): Promise<Item | undefined> {
    return this.retrying(id, () => this.inner.get(id, options));
  }

  write(op: WriteOp): Promise<WriteOutcome> {
    return this.retrying(writeOpId(op), () => this.inner.write(op));
  }

  transactWrite(ops: WriteOp[]): Promise<TransactOutcome> {
    return this.retrying(ops[0] === undefined ? '' : writeOpId(ops[0]), () => this.inner.transactWrite(ops));
  }

  queryByIdempotencyKey(key: string): Promise<Item[]> {
    return this.inner.queryByIdempotencyKey(key);
  }

  private async retrying<T>(itemId: string, call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        if (!(error instanceof TableOperationError) || !RETRYABLE.has(error.info.name) || attempt >= SDK_MAX_ATTEMPTS) throw error;
        const delayMs = sdkRetryDelay(attempt, this.rng);
        this.trace.emit({ kind: 'sdk-retry', t: this.timeline.now, region: this.region, itemId, error: { ...error.info }, attempt: attempt + 1, delayMs });
        await this.timeline.after(delayMs);
      }
    }
  }
}
