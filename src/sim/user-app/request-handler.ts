import { isIdempotencyRecordId } from '../../app/item.js';
import { DynamoDBError } from '../../dynamodb/errors.js';
import { createInProcessRequestHandler, type InProcessRequestHandler } from '../../dynamodb/sdk-request-handler.js';
import { MODULE_SCOPE_CAUSE } from '../../trace/events.js';
import type { Substrate } from '../substrate.js';
import { eventFor } from './batch-attribution.js';
import { invocationScope } from './invocation-scope.js';
import { PowertoolsRecords } from './powertools-records.js';
import { isArn, parseTableArn } from '../../dynamodb/table-arn.js';

/**
 * What a call to another region's replica adds to its latency: about the round trip between two
 * AWS regions on different continents (a handler that writes to a home region pays it).
 */
export const CROSS_REGION_LATENCY_MS = 70;

/**
 * Whether a successful request changed data: a write to any item other than an idempotency record
 * (`IDEMPOTENCY#…`, the convention of the built-in application and the examples, or a record of
 * Powertools for AWS Lambda's idempotency utility, see PowertoolsRecords). A claim alone is not the
 * event's effect: it is how the handler avoids a second one.
 */
export function writesData(operation: string, input: Record<string, unknown>, powertools?: PowertoolsRecords): boolean {
  if (powertools?.wrote(operation, input)) return false;
  const dataKey = (key: unknown) => {
    const id = (key as { Id?: { S?: unknown } } | undefined)?.Id?.S;
    return typeof id !== 'string' || !isIdempotencyRecordId(id);
  };
  switch (operation) {
    case 'PutItem':
      return dataKey(input.Item);
    case 'UpdateItem':
    case 'DeleteItem':
      return dataKey(input.Key);
    case 'TransactWriteItems':
      return ((input.TransactItems as Array<Record<string, { Item?: unknown; Key?: unknown }>> | undefined) ?? []).some(
        (entry) => (entry.Put && dataKey(entry.Put.Item)) || (entry.Update && dataKey(entry.Update.Key)) || (entry.Delete && dataKey(entry.Delete.Key)),
      );
    case 'BatchWriteItem':
      return Object.values((input.RequestItems as Record<string, Array<{ PutRequest?: { Item?: unknown }; DeleteRequest?: { Key?: unknown } }>> | undefined) ?? {}).some((requests) =>
        requests.some((r) => (r.PutRequest && dataKey(r.PutRequest.Item)) || (r.DeleteRequest && dataKey(r.DeleteRequest.Key))),
      );
    default:
      return false;
  }
}

/**
 * The request handler every DynamoDBClient of a team's handler gets in `region`: the SDK builds,
 * signs and parses as always, and the request goes to `substrate.send` of the region it was signed
 * for — the model's endpoint, or
 * DynamoDB through geosim's own client — so every write is traced with the event being handled
 * (from the invocation scope) and replicated like any other. The answer comes `latencyMs` later
 * in the run's time, and meanwhile other invocations run.
 */
export function substrateRequestHandler(substrate: Substrate, region: string, latencyMs: number, tables: readonly string[] = [], powertools = new PowertoolsRecords()): InProcessRequestHandler {
  // `powertools`: the function's Powertools locks, whichever region's replica a client of it writes to
  const handlers = new Map(
    substrate.regions.map((target) => {
      const endpoint = endpointOf(substrate, target, region, target === region || latencyMs === 0 ? latencyMs : latencyMs + CROSS_REGION_LATENCY_MS, powertools, tables);
      return [target, createInProcessRequestHandler({ endpointFor: () => endpoint, region: target })];
    }),
  );
  const own = handlers.get(region)!;
  return {
    ...own,
    // The client's region: its function's own, or one the code named (a home region), read from
    // the request's host (`dynamodb.<region>.amazonaws.com`): the facade's requests are unsigned.
    handle(request, options) {
      const target = HOST.exec(request.hostname)?.[1] ?? region;
      return (handlers.get(target) ?? noReplica(target, substrate.regions)).handle(request, options);
    },
  };
}

/** What a client of a region without a replica gets: DynamoDB's answer for a table that is not there. */
function noReplica(target: string, regions: readonly string[]): InProcessRequestHandler {
  return createInProcessRequestHandler({
    endpointFor: () => {
      throw new DynamoDBError('ResourceNotFoundException', `Requested resource not found: the table has no replica in ${target} (the scenario's regions: ${regions.join(', ')})`);
    },
    region: target,
  });
}

/**
 * DynamoDB's answer for a table that is not there, naming it and the scenario's tables (the answer
 * names neither: a misspelt or unset table name in the handler's code reads as a mystery), as a
 * client of a region without a replica gets it. Any other error as it was.
 */
export function namingMissingTable(error: unknown, input: Record<string, unknown>, tables: readonly string[], region?: string): unknown {
  if (!(error instanceof DynamoDBError) || error.name !== 'ResourceNotFoundException' || tables.length === 0) return error;
  const missing = tablesNamed(input).filter((name) => !tables.includes(name));
  if (missing.length === 0) return error;
  // an ARN of one of the scenario's tables in another region: the same table, at another region's endpoint
  for (const name of missing) {
    const arn = isArn(name) ? parseTableArn(name) : undefined;
    if (arn === undefined || region === undefined || arn.region === region || !tables.includes(arn.table)) continue;
    return new DynamoDBError('ResourceNotFoundException', `Requested resource not found: ${JSON.stringify(name)} is the ARN of ${arn.table} in ${arn.region}, and this request went to ${region}'s endpoint (each region's replica has its own ARN: build it from AWS_REGION)`);
  }
  const named = missing.map((name) => JSON.stringify(name)).join(', ');
  return new DynamoDBError('ResourceNotFoundException', `Requested resource not found: no table ${named} (the scenario's tables: ${tables.join(', ')})`);
}

/** The table names a request gives: its TableName, a batch's RequestItems, a transaction's entries. */
function tablesNamed(input: Record<string, unknown>): string[] {
  const out = new Set<string>();
  if (typeof input.TableName === 'string') out.add(input.TableName);
  if (typeof input.RequestItems === 'object' && input.RequestItems !== null) for (const name of Object.keys(input.RequestItems)) out.add(name);
  if (Array.isArray(input.TransactItems)) {
    for (const entry of input.TransactItems as Record<string, { TableName?: unknown } | undefined>[]) {
      for (const action of Object.values(entry ?? {})) if (typeof action?.TableName === 'string') out.add(action.TableName);
    }
  }
  return [...out];
}

const TRACED = { traceRead: true } as const;

const HOST = /^dynamodb\.([a-z0-9-]+)\.amazonaws\.com$/;

/** `region`'s table as the function of region `caller` reaches it. */
function endpointOf(substrate: Substrate, region: string, caller: string, latencyMs: number, powertools: PowertoolsRecords, tables: readonly string[]) {
  return {
    async handle(operation: string, input: Record<string, unknown>): Promise<Record<string, unknown>> {
      const store = invocationScope.getStore();
      // Lambda freezes a function whose invocation has ended: a call still in flight then never
      // answers; one its code makes while the environment runs a later invocation (a timer it left
      // behind) goes out then, as the process is thawed.
      if (store?.invocation.ended && store.invocation.frozen()) return new Promise<never>(() => {});
      const event = store ? eventFor(store, input, true) : undefined;
      // a request outside any invocation is the module's init code: still the function's, not a client's
      substrate.cause = store ? (event?.eventId ?? store.invocation.cause) : MODULE_SCOPE_CAUSE;
      // the function's own region, whichever region's table the client was built for (a home region)
      substrate.caller = caller;
      store?.invocation.pauseClock();
      try {
        // its reads traced with the event (in an SQS batch, each item's with the record its key names,
        // as a write is), so a view shows what the handler saw before it wrote
        // (the record marked now: a real table answers later, when concurrent code may have read another body)
        const marked = store?.batch === undefined ? undefined : { ...store };
        const out = await substrate.send(region, operation, input, marked === undefined ? TRACED : { traceRead: true, readCause: (key) => (eventFor(marked, key, true) ?? event)?.eventId });
        if (event && writesData(operation, input, powertools)) event.effects++;
        return out;
      } catch (error) {
        throw namingMissingTable(error, input, tables, region);
      } finally {
        store?.invocation.resumeClock();
        substrate.cause = undefined;
        substrate.caller = undefined;
        if (latencyMs > 0) await substrate.after(latencyMs);
      }
    },
  };
}
