import type { ReadTrace } from './events.js';

/** A read as the trace names it: the request's DynamoDB syntax (operation, table, index, expressions as written). */
export type ReadRequest = NonNullable<ReadTrace['request']>;

/** The reads the trace records (`geosim serve`'s programs, a team's handler): see read-traces.ts. */
export const TRACED_READS: ReadonlySet<string> = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem', 'TransactGetItems']);

const FIELDS = [
  ['IndexName', 'index'],
  ['KeyConditionExpression', 'keyCondition'],
  ['FilterExpression', 'filter'],
  ['ProjectionExpression', 'projection'],
] as const;

/** The trace's summary of a read request (a scenario step's, a program's through serve, a team's handler's; a BatchGetItem's or TransactGetItems' per table or item). */
export function readRequest(operation: string, input: Record<string, unknown>): ReadRequest {
  const out: ReadRequest = { operation: TRACED_READS.has(operation) ? (operation as ReadRequest['operation']) : 'GetItem', table: String(input.TableName) };
  for (const [field, name] of FIELDS) if (typeof input[field] === 'string') out[name] = input[field] as string;
  return out;
}

/**
 * The id a scan's read has in the trace: the index (or table), its filter (`where …`), and its
 * segment of a parallel scan (views say SCAN or scan beside it, as they say QUERY beside a query's).
 */
export function scanLabel(input: Record<string, unknown>): string {
  const filter = typeof input.FilterExpression === 'string' ? ` where ${input.FilterExpression}` : '';
  const segment = typeof input.TotalSegments === 'number' && typeof input.Segment === 'number' ? ` (segment ${input.Segment} of ${input.TotalSegments})` : '';
  return `${(input.IndexName as string | undefined) ?? String(input.TableName)}${filter}${segment}`;
}

/** The id a query's read has in the trace: the index (or table) and the key condition. */
export function queryLabel(input: Record<string, unknown>): string {
  return `${(input.IndexName as string | undefined) ?? String(input.TableName)}: ${String(input.KeyConditionExpression ?? '')}`;
}
