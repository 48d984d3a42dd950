import type { Condition } from './condition.js';
import type { AttributeValue, Item } from './item.js';

/**
 * The narrow table interface the application is written against. Implementations: the in-memory
 * replica of one region inside the model (`src/sim/model-port.ts`) and a real DynamoDB table through
 * the AWS SDK (`src/backends/dynamodb`). One port instance is one region's replica.
 */
export interface TablePort {
  /** The region whose replica this port reads and writes. */
  readonly region: string;
  /** GetItem. `consistent` asks for a strongly consistent read (current only for local writes on MREC). */
  get(id: string, options?: { consistent?: boolean }): Promise<Item | undefined>;
  /** PutItem / UpdateItem / DeleteItem with an optional condition (`ReturnValuesOnConditionCheckFailure: ALL_OLD`). */
  write(op: WriteOp): Promise<WriteOutcome>;
  /** TransactWriteItems: atomic in this region only (aws-semantics §1.6). */
  transactWrite(ops: WriteOp[]): Promise<TransactOutcome>;
  /** Query on the `IdempotencyIndex` GSI (eventually consistent, as every GSI read). */
  queryByIdempotencyKey(key: string): Promise<Item[]>;
}

export type WriteOp =
  | { kind: 'put'; item: Item; condition?: Condition }
  /** SET each attribute of `set`; ADD each number of `add` (a missing attribute counts as 0). */
  | { kind: 'update'; id: string; set?: Record<string, AttributeValue>; add?: Record<string, number>; condition?: Condition }
  | { kind: 'delete'; id: string; condition?: Condition };

export type WriteOutcome =
  | { ok: true; item: Item | undefined }
  | { ok: false; reason: 'condition-failed'; current: Item | undefined };

/** Per operation, in order, like `TransactionCanceledException.CancellationReasons`. */
export type CancellationReason = { code: 'None' } | { code: 'ConditionalCheckFailed'; current: Item | undefined };

export type TransactOutcome = { ok: true } | { ok: false; reasons: CancellationReason[] };

export function writeOpId(op: WriteOp): string {
  return op.kind === 'put' ? op.item.Id : op.id;
}
