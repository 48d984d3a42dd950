import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type AttributeValue as SdkAttributeValue,
  type DynamoDBClient,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import type { AttributeValue, Item } from '../../app/item.js';
import { evaluateCondition } from '../../app/condition.js';
import { addNumbers } from '../../app/numbers.js';
import { ADD_TYPE_ERROR, TableOperationError, writeError, type TableErrorInfo } from '../../app/table-errors.js';
import { writeOpId, type CancellationReason, type TablePort, type TransactOutcome, type WriteOp, type WriteOutcome } from '../../app/table-port.js';
import type { VersionStamp } from '../../trace/events.js';
import { marshallItem, marshallValue, REP_UPDATE_REGION, REP_UPDATE_TIME, stripHidden, unmarshallItem } from './attribute-codec.js';
import { mapAwsError } from './errors.js';
import { ExpressionBuilder, updateExpression } from './expression.js';
import type { ItemTarget } from './item-keys.js';
import { IDEMPOTENCY_INDEX } from './schema.js';

/** What the port tells an observer about each write the table accepted or refused. */
export type WriteObservation =
  | {
      kind: 'written';
      op: WriteOp;
      /** Item before the write; `undefined` when the API does not return it (inside a transaction). */
      before: Item | null | undefined;
      after: Item | null | undefined;
      stamp: VersionStamp | undefined;
      transaction?: string;
      /** The table and key written, when a request names them (absent: GlobalEventTable's item by the op's Id). */
      target?: ItemTarget;
    }
  | { kind: 'condition-failed'; op: WriteOp; current: Item | null; transaction?: string }
  /** DynamoDB refused the write for what the item holds (`TableOperationError`); nothing changed. */
  | { kind: 'failed'; op: WriteOp; current: Item | null; error: TableErrorInfo; transaction?: string };

export interface DynamoTablePortOptions {
  client: DynamoDBClient;
  tableName: string;
  region: string;
  /** Endpoint URL, only to name it in error messages. */
  endpoint?: string;
  /**
   * When set, every put and update also writes the 2017.11.29-style hidden attributes
   * `aws:rep:updatetime` / `aws:rep:updateregion` (aws-semantics §1.7) with this stamp, which the
   * emulated replication compares for last-writer-wins. They never reach the application.
   */
  stamp?: (id: string) => VersionStamp;
  observer?: (observation: WriteObservation) => void;
  /**
   * Names each transaction in the trace, shared by a run's ports so the names are `tx1`, `tx2`… in
   * the order the transactions start, as on the model. Without it, a name from the request token.
   */
  transactionId?: () => string;
  /** Refuses a request before it is sent (its region is down: an outage fault), as the model's endpoint refuses it. */
  refuse?: (operation: string) => TableErrorInfo | undefined;
}

/** Attempts for a transaction cancelled by a conflicting concurrent transaction or throttling. */
const TRANSACTION_ATTEMPTS = 5;

/**
 * One region's table through the AWS SDK v3. Each method is exactly one request on the wire
 * (plus SDK retries of throttling and network errors), so the application's round trips are its own.
 */
export class DynamoTablePort implements TablePort {
  readonly region: string;
  private readonly client: DynamoDBClient;
  private readonly tableName: string;
  private readonly options: DynamoTablePortOptions;

  constructor(options: DynamoTablePortOptions) {
    this.options = options;
    this.client = options.client;
    this.tableName = options.tableName;
    this.region = options.region;
  }

  async get(id: string, options?: { consistent?: boolean }): Promise<Item | undefined> {
    const out = await this.send('GetItem', () =>
      this.client.send(
        new GetItemCommand({ TableName: this.tableName, Key: key(id), ConsistentRead: options?.consistent === true }),
      ),
    );
    return unmarshallItem(out.Item);
  }

  async write(op: WriteOp): Promise<WriteOutcome> {
    const stamp = this.options.stamp?.(writeOpId(op));
    const request = this.request(op, stamp);
    // ALL_OLD on failure: the current item comes back with the refusal, so no extra read is needed.
    request.input.ReturnValuesOnConditionCheckFailure = 'ALL_OLD';
    try {
      let old: Record<string, SdkAttributeValue> | undefined;
      switch (request.kind) {
        case 'put':
          old = (await this.send('PutItem', () => this.client.send(new PutItemCommand({ ...request.input, ReturnValues: 'ALL_OLD' })))).Attributes;
          break;
        case 'update':
          // ALL_OLD rather than ALL_NEW: the pre-image is exact (the update is atomic) and the
          // post-image follows from it, so one request gives both for the trace.
          old = (await this.send('UpdateItem', () => this.client.send(new UpdateItemCommand({ ...request.input, ReturnValues: 'ALL_OLD' })))).Attributes;
          break;
        case 'delete':
          old = (await this.send('DeleteItem', () => this.client.send(new DeleteItemCommand({ ...request.input, ReturnValues: 'ALL_OLD' })))).Attributes;
          break;
      }
      const before = unmarshallItem(old);
      const after = applyOp(op, before);
      this.options.observer?.({ kind: 'written', op, before: before ?? null, after: after ?? null, stamp });
      return { ok: true, item: after };
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) {
        const current = unmarshallItem(error.Item);
        this.options.observer?.({ kind: 'condition-failed', op, current: current ?? null });
        return { ok: false, reason: 'condition-failed', current };
      }
      if (isRefusal(error)) return this.refused([op], undefined);
      throw error;
    }
  }

  /**
   * DynamoDB refused a write (or a transaction) for what an item holds. Its answer names no item,
   * so geosim reads the items and finds the operation the model would refuse: the one whose own
   * condition passes and that `writeError` rejects. Then traces it and throws as the SDK did.
   */
  private async refused(ops: WriteOp[], transaction: string | undefined): Promise<never> {
    for (const op of ops) {
      const current = await this.get(writeOpId(op), { consistent: true });
      if (op.condition !== undefined && !evaluateCondition(op.condition, current)) continue;
      const error = writeError(op, current);
      if (error === undefined) continue;
      this.options.observer?.({ kind: 'failed', op, current: current ?? null, error, ...(transaction !== undefined ? { transaction } : {}) });
      throw new TableOperationError(error);
    }
    const operation = transaction !== undefined ? 'TransactWriteItems' : `${ops[0]!.kind === 'put' ? 'Put' : ops[0]!.kind === 'update' ? 'Update' : 'Delete'}Item`;
    throw mapAwsError(Object.assign(new Error(ADD_TYPE_ERROR.message), { name: ADD_TYPE_ERROR.name, $metadata: {} }), this.context(operation));
  }

  async transactWrite(ops: WriteOp[]): Promise<TransactOutcome> {
    const stamps = ops.map((op) => this.options.stamp?.(writeOpId(op)));
    const items: TransactWriteItem[] = ops.map((op, i) => {
      const request = this.request(op, stamps[i]);
      const failure = { ReturnValuesOnConditionCheckFailure: 'ALL_OLD' as const };
      switch (request.kind) {
        case 'put':
          return { Put: { ...request.input, ...failure } };
        case 'update':
          return { Update: { ...request.input, UpdateExpression: request.input.UpdateExpression!, ...failure } };
        case 'delete':
          return { Delete: { ...request.input, ...failure } };
      }
    });
    // One token for all attempts: DynamoDB then applies the transaction at most once even if a
    // retried request had in fact succeeded (aws-semantics §1.6, ClientRequestToken).
    const token = randomUUID();
    const transaction = this.options.transactionId?.() ?? `tx-${token.slice(0, 8)}`;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.send('TransactWriteItems', () =>
          this.client.send(new TransactWriteItemsCommand({ TransactItems: items, ClientRequestToken: token })),
        );
        ops.forEach((op, i) =>
          this.options.observer?.({ kind: 'written', op, before: undefined, after: undefined, stamp: stamps[i], transaction }),
        );
        return { ok: true };
      } catch (error) {
        if (isRefusal(error)) return this.refused(ops, transaction);
        if (!(error instanceof TransactionCanceledException)) throw error;
        const raw = error.CancellationReasons ?? [];
        const retryable = raw.some((r) => r.Code === 'TransactionConflict' || r.Code === 'ThrottlingError' || r.Code === 'ProvisionedThroughputExceeded');
        const failed = raw.some((r) => r.Code === 'ConditionalCheckFailed');
        if (retryable && !failed) {
          if (attempt < TRANSACTION_ATTEMPTS) {
            await sleep(25 * 2 ** attempt * Math.random());
            continue;
          }
          throw mapAwsError(Object.assign(new Error(error.message), { name: 'ThrottlingException' }), this.context('TransactWriteItems'));
        }
        const reasons: CancellationReason[] = ops.map((op, i) => {
          const r = raw[i];
          if (r?.Code === 'ConditionalCheckFailed') {
            const current = unmarshallItem(r.Item);
            this.options.observer?.({ kind: 'condition-failed', op, current: current ?? null, transaction });
            return { code: 'ConditionalCheckFailed', current };
          }
          return { code: 'None' };
        });
        if (!failed) throw mapAwsError(error, this.context('TransactWriteItems'));
        return { ok: false, reasons };
      }
    }
  }

  async queryByIdempotencyKey(idempotencyKey: string): Promise<Item[]> {
    const items: Item[] = [];
    let start: Record<string, SdkAttributeValue> | undefined;
    do {
      const out = await this.send('Query', () =>
        this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: IDEMPOTENCY_INDEX,
            KeyConditionExpression: '#k = :k',
            ExpressionAttributeNames: { '#k': 'IdempotencyKey' },
            ExpressionAttributeValues: { ':k': { S: idempotencyKey } },
            ...(start !== undefined ? { ExclusiveStartKey: start } : {}),
          }),
        ),
      );
      for (const raw of out.Items ?? []) {
        const item = unmarshallItem(raw);
        if (item !== undefined) items.push(item);
      }
      start = out.LastEvaluatedKey;
    } while (start !== undefined);
    return items.sort((a, b) => (a.Id < b.Id ? -1 : a.Id > b.Id ? 1 : 0));
  }

  private request(op: WriteOp, stamp: VersionStamp | undefined): BuiltRequest {
    const builder = new ExpressionBuilder();
    const hidden: Record<string, AttributeValue> = stamp === undefined ? {} : { [REP_UPDATE_TIME]: stamp.ts, [REP_UPDATE_REGION]: stamp.region };
    const condition = op.condition === undefined ? undefined : builder.condition(op.condition);
    switch (op.kind) {
      case 'put':
        return {
          kind: 'put',
          input: {
            TableName: this.tableName,
            Item: marshallItem({ ...stripHidden(op.item), ...hidden } as Item),
            ...(condition !== undefined ? { ConditionExpression: condition } : {}),
            ...builder.attributes(),
          },
        };
      case 'update': {
        const set: Record<string, AttributeValue> = { ...(op.set ?? {}), ...hidden };
        // The key cannot be SET; an update names its item by `id` alone.
        delete set['Id'];
        const update = updateExpression(builder, set, op.add ?? {});
        return {
          kind: 'update',
          input: {
            TableName: this.tableName,
            Key: key(op.id),
            // An update with nothing to change still creates the item, as UpdateItem does.
            ...(update !== undefined ? { UpdateExpression: update } : {}),
            ...(condition !== undefined ? { ConditionExpression: condition } : {}),
            ...builder.attributes(),
          },
        };
      }
      case 'delete':
        return {
          kind: 'delete',
          input: {
            TableName: this.tableName,
            Key: key(op.id),
            ...(condition !== undefined ? { ConditionExpression: condition } : {}),
            ...builder.attributes(),
          },
        };
    }
  }

  private async send<T>(operation: string, call: () => Promise<T>): Promise<T> {
    const refused = this.options.refuse?.(operation);
    if (refused !== undefined) throw new TableOperationError(refused);
    try {
      return await call();
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException || error instanceof TransactionCanceledException || isRefusal(error)) throw error;
      throw mapAwsError(error, this.context(operation));
    }
  }

  private context(operation: string) {
    return {
      operation,
      region: this.region,
      tableName: this.tableName,
      ...(this.options.endpoint !== undefined ? { endpoint: this.options.endpoint } : {}),
    };
  }
}

type Common = {
  TableName: string;
  ReturnValuesOnConditionCheckFailure?: 'ALL_OLD';
  ConditionExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: Record<string, SdkAttributeValue>;
};
type BuiltRequest =
  | { kind: 'put'; input: Common & { Item: Record<string, SdkAttributeValue> } }
  | { kind: 'update'; input: Common & { Key: Record<string, SdkAttributeValue>; UpdateExpression?: string } }
  | { kind: 'delete'; input: Common & { Key: Record<string, SdkAttributeValue> } };

/**
 * DynamoDB's refusal of a write for what the item holds, as `writeError` predicts it: a plain
 * `ValidationException`, or inside a transaction on AWS a cancellation reason `ValidationError`.
 */
function isRefusal(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === ADD_TYPE_ERROR.name) return error.message === ADD_TYPE_ERROR.message;
  if (error instanceof TransactionCanceledException) {
    return (error.CancellationReasons ?? []).some((r) => r.Code === 'ValidationError' && r.Message === ADD_TYPE_ERROR.message);
  }
  return false;
}

function key(id: string): Record<string, SdkAttributeValue> {
  return { Id: marshallValue(id) };
}

/** The item after `op`, given the item before it (what DynamoDB itself computed). */
export function applyOp(op: WriteOp, before: Item | undefined): Item | undefined {
  switch (op.kind) {
    case 'put':
      return stripHidden(op.item);
    case 'delete':
      return undefined;
    case 'update': {
      const after: Record<string, AttributeValue> = { ...(before ?? { Id: op.id }) };
      for (const [name, value] of Object.entries(op.set ?? {})) if (name !== 'Id') after[name] = value;
      for (const [name, value] of Object.entries(op.add ?? {})) {
        const current = after[name];
        after[name] = addNumbers(typeof current === 'number' ? current : 0, value);
      }
      return after as Item;
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
