import type { Item } from '../app/item.js';
import type { TablePort, TransactOutcome, WriteOp, WriteOutcome } from '../app/table-port.js';
import type { Timeline } from './substrate.js';
import { getItem, queryByIdempotencyKey, transactWriteItems, writeItem, type ModelRequests } from './app-requests.js';

/**
 * The table port over one region's replica inside the model: each call is a request of the
 * DynamoDB API to that region's endpoint (src/sim/app-requests.ts), served at the current virtual
 * instant. Items returned are copies: the port never hands out what the replica stores.
 */
export class ModelTablePort implements TablePort {
  constructor(
    private readonly world: ModelRequests & Partial<Pick<Timeline, 'after'>>,
    readonly region: string,
  ) {}

  get(id: string, options?: { consistent?: boolean }): Promise<Item | undefined> {
    // On MREC a strongly consistent read sees local writes only (aws-semantics §1.4), which is
    // exactly the local replica; eventual reads see the same replica here. On MRSC every replica
    // with quorum holds the latest version, and one without refuses a strong read; a strong read
    // answers after its round trip, as a write does.
    let answer: Item | undefined;
    try {
      answer = getItem(this.world, this.region, id, options?.consistent === true);
    } catch (error) {
      return this.refusal(error);
    }
    return this.answer(answer);
  }

  // Each call made in place, not through a closure handed to a helper: one object less per request.
  write(op: WriteOp): Promise<WriteOutcome> {
    let answer: WriteOutcome;
    try {
      answer = writeItem(this.world, this.region, op);
    } catch (error) {
      return this.refusal(error);
    }
    return this.answer(answer);
  }

  transactWrite(ops: WriteOp[]): Promise<TransactOutcome> {
    let answer: TransactOutcome;
    try {
      answer = transactWriteItems(this.world, this.region, ops);
    } catch (error) {
      return this.refusal(error);
    }
    return this.answer(answer);
  }

  /**
   * A call's answer, after the round trip an MRSC write takes (nothing to wait on MREC). Not an
   * async function: an answer with nothing to wait for is a settled promise at once, without the
   * two promises and microtask turns per write an async wrapper adds.
   */
  private answer<T>(answer: T): Promise<T> {
    const wait = this.roundTrip();
    return wait === undefined ? Promise.resolve(answer) : wait.then(() => answer);
  }

  /** A call's refusal, after its round trip (see answer). */
  private refusal(error: unknown): Promise<never> {
    const wait = this.roundTrip();
    return wait === undefined ? Promise.reject(error) : wait.then(() => Promise.reject(error));
  }

  /** The wait for the last call's answer (MRSC's round trip), or undefined when there is none. */
  private roundTrip(): Promise<void> | undefined {
    const delay = this.world.takeAnswerDelay?.() ?? 0;
    return delay > 0 && this.world.after !== undefined ? this.world.after(delay) : undefined;
  }

  async queryByIdempotencyKey(key: string): Promise<Item[]> {
    return queryByIdempotencyKey(this.world, this.region, key);
  }
}
