import type { Item } from '../app/item.js';
import type { TablePort, TransactOutcome, WriteOp, WriteOutcome } from '../app/table-port.js';
import type { Timeline } from './substrate.js';

/**
 * A region's table with a round trip in the run's time (`application.requestLatency`): each call
 * takes effect when it is made, on whatever substrate, and its answer reaches the application
 * `latency` ms later. Meanwhile other work due in between runs (a continuation on the agenda), so
 * invocations in two regions interleave the way they do against real endpoints.
 */
export class LatentPort implements TablePort {
  readonly region: string;

  constructor(
    private readonly inner: TablePort,
    private readonly timeline: Timeline,
    private readonly latency: number,
  ) {
    this.region = inner.region;
  }

  async get(id: string, options?: { consistent?: boolean }): Promise<Item | undefined> {
    return this.timed(() => this.inner.get(id, options));
  }

  async write(op: WriteOp): Promise<WriteOutcome> {
    return this.timed(() => this.inner.write(op));
  }

  async transactWrite(ops: WriteOp[]): Promise<TransactOutcome> {
    return this.timed(() => this.inner.transactWrite(ops));
  }

  async queryByIdempotencyKey(key: string): Promise<Item[]> {
    return this.timed(() => this.inner.queryByIdempotencyKey(key));
  }

  /** The answer, `latency` after the call; a refusal (a thrown error) takes as long to come back. */
  private async timed<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } finally {
      await this.timeline.after(this.latency);
    }
  }
}
