import type { Item } from '../app/item.js';
import type { TablePort, TransactOutcome, WriteOp, WriteOutcome } from '../app/table-port.js';
import { getItem, queryByIdempotencyKey, transactWriteItems, writeItem, type ModelRequests } from './app-requests.js';

/**
 * The table port over one region's replica inside the model: each call is a request of the
 * DynamoDB API to that region's endpoint (src/sim/app-requests.ts), served at the current virtual
 * instant. Items returned are copies: the port never hands out what the replica stores.
 */
export class ModelTablePort implements TablePort {
  constructor(
    private readonly world: ModelRequests,
    readonly region: string,
  ) {}

  async get(id: string, _options?: { consistent?: boolean }): Promise<Item | undefined> {
    // On MREC a strongly consistent read sees local writes only (aws-semantics §1.4), which is
    // exactly the local replica; eventual reads see the same replica here.
    return getItem(this.world, this.region, id);
  }

  async write(op: WriteOp): Promise<WriteOutcome> {
    return writeItem(this.world, this.region, op);
  }

  async transactWrite(ops: WriteOp[]): Promise<TransactOutcome> {
    return transactWriteItems(this.world, this.region, ops);
  }

  async queryByIdempotencyKey(key: string): Promise<Item[]> {
    return queryByIdempotencyKey(this.world, this.region, key);
  }
}
