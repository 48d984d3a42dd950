import type { Item } from '../../app/item.js';
import type { DynamoDBError } from '../../dynamodb/errors.js';
import { requestOrigin, type TraceEventInput } from '../../trace/events.js';

/** What tracing a refusal needs from the run. */
export interface RefusalHost {
  emit(event: TraceEventInput): void;
  now(): number;
  cause(): string | undefined;
  /** The region of the Lambda making the request (Substrate.caller). */
  caller(): string | undefined;
}

/** One item a write request names, as far as a refusal's trace names it. */
export interface NamedWrite {
  itemId: string;
  /** The table, when it is not the scenario's own (the first declared), as the model's trace names it. */
  table?: string;
  op: 'put' | 'update' | 'delete' | 'check';
  /** The request's ConditionExpression as written (the model quotes it as is). */
  condition: string | undefined;
}

/** A write on `target` as a refusal's trace names it: its table only when it is not the scenario's own (`primary`). */
export function namedWrite(target: { table: string; id: string }, primary: string, op: NamedWrite['op'], condition: string | undefined): NamedWrite {
  return { itemId: target.id, ...(target.table !== primary ? { table: target.table } : {}), op, condition };
}

/**
 * Traces a write DynamoDB refused, as the model does (World.traceRefusal): each item whose
 * condition failed in a cancelled transaction, the one item of a failed conditional write, or the
 * request's first item (unless a ConditionCheck) for any other refusal. `writes` are the items on
 * the run's table in request order, `null` where an entry names no item geosim can key (another
 * table, or a key DynamoDB refused): the model traces nothing there either.
 */
export function traceRefusal(
  host: RefusalHost,
  region: string,
  writes: readonly (NamedWrite | null)[],
  error: DynamoDBError,
  current: (write: NamedWrite) => Item | undefined,
  transaction: string | undefined,
): void {
  if (writes.length === 0) return;
  if (error.name === 'TransactionCanceledException') {
    const reasons = (error.extra.CancellationReasons ?? []) as { Code?: string }[];
    writes.forEach((w, i) => {
      if (w !== null && reasons[i]?.Code === 'ConditionalCheckFailed') conditionFailed(host, region, w, current(w), transaction);
    });
    return;
  }
  if (error.name === 'ConditionalCheckFailedException' && writes.length === 1) {
    if (writes[0] !== null) conditionFailed(host, region, writes[0]!, current(writes[0]!), transaction);
    return;
  }
  const target = writes[0];
  if (target === null || target === undefined || target.op === 'check') return;
  // The fields in the model's order (World.traceOperationFailed), so the JSON trace reads the same on both backends.
  host.emit({
    kind: 'operation-failed',
    t: host.now(),
    region,
    itemId: target.itemId,
    ...onTable(target),
    op: target.op,
    error: { name: error.name, message: error.message },
    ...tail(host, region, current(target), transaction),
  });
}

function conditionFailed(host: RefusalHost, region: string, write: NamedWrite, current: Item | undefined, transaction: string | undefined): void {
  // The fields in the model's order (World.traceConditionFailed).
  host.emit({ kind: 'condition-failed', t: host.now(), region, itemId: write.itemId, ...onTable(write), condition: write.condition ?? '', ...tail(host, region, current, transaction) });
}

function tail(host: RefusalHost, region: string, current: Item | undefined, transaction: string | undefined) {
  return { current: current ?? null, ...requestOrigin(host.cause(), host.caller(), region), ...(transaction !== undefined ? { transaction } : {}) };
}

function onTable(write: NamedWrite): { table?: string } {
  return write.table !== undefined ? { table: write.table } : {};
}
