import type { Item } from '../../app/item.js';
import type { TablePort, TransactOutcome, WriteOp, WriteOutcome } from '../../app/table-port.js';
import type { World } from '../../sim/world.js';

/**
 * The table port over one region's replica inside the model. Calls complete at the current virtual
 * instant. Items returned are the model's immutable versions: read them, never mutate them.
 */
export class MemoryTable implements TablePort {
  constructor(
    private readonly world: World,
    readonly region: string,
  ) {}

  async get(id: string, _options?: { consistent?: boolean }): Promise<Item | undefined> {
    // On MREC a strongly consistent read sees local writes only (aws-semantics §1.4), which is
    // exactly the local replica; eventual reads see the same replica here.
    return this.world.replica(this.region).item(id);
  }

  async write(op: WriteOp): Promise<WriteOutcome> {
    return this.world.write(this.region, op);
  }

  async transactWrite(ops: WriteOp[]): Promise<TransactOutcome> {
    return this.world.transact(this.region, ops);
  }

  async queryByIdempotencyKey(key: string): Promise<Item[]> {
    return this.world.replica(this.region).itemsWhere('IdempotencyKey', key);
  }
}
