import { DynamoDBError } from '../../dynamodb/errors.js';

/**
 * The errors an MRSC replica answers with (aws-semantics §2).
 * ReplicatedWriteConflictException's name and text are the API model's (botocore, the SDKs);
 * what the service answers for the other refusals is not documented: UNCONFIRMED, each the closest
 * documented error (README "MRSC").
 */
export const REPLICATED_WRITE_CONFLICT = 'ReplicatedWriteConflictException';
export const REPLICATED_WRITE_CONFLICT_MESSAGE = 'The request was rejected because one or more items in the request are being modified by a request in another Region.';

export function replicatedWriteConflict(): DynamoDBError {
  return new DynamoDBError(REPLICATED_WRITE_CONFLICT, REPLICATED_WRITE_CONFLICT_MESSAGE);
}

/**
 * A region without quorum (both other regions unreachable) refuses writes and strongly consistent
 * reads. AWS documents only that they "return errors": UNCONFIRMED name, InternalServerError (a
 * server-side fault the SDK retries, as a region that cannot reach its peers would answer).
 */
export const NO_QUORUM = 'InternalServerError';
export function noQuorum(region: string, cutOff?: 'self' | 'others', request: 'write' | 'read' = 'write'): DynamoDBError {
  const why =
    cutOff === 'self' ? `${region} goes down before another Region can confirm the ${request}`
    : cutOff === 'others' ? `every Region ${region} reaches is cut off before it can confirm the ${request}`
    : `${region} cannot reach another Region of the MRSC global table`;
  return new DynamoDBError(NO_QUORUM, `Internal server error (${why}: no quorum)`);
}

/**
 * TransactWriteItems / TransactGetItems and UpdateTimeToLive on an MRSC replica: AWS says they
 * "return an error"; UNCONFIRMED name and text, ValidationException (a request the table's
 * configuration does not allow).
 */
export function unsupportedOnMrsc(operation: string): DynamoDBError {
  return new DynamoDBError('ValidationException', `${operation} is not supported on a global table with multi-Region strong consistency (MRSC)`);
}

/** The operations an MRSC replica refuses whatever they name. */
export const REFUSED_ON_MRSC: ReadonlySet<string> = new Set(['TransactWriteItems', 'TransactGetItems', 'UpdateTimeToLive']);

/** The write operations MRSC linearises (and that can meet a ReplicatedWriteConflictException). */
export const MRSC_WRITES: ReadonlySet<string> = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);

/** Reads that need the quorum when strongly consistent. */
export const MRSC_READS: ReadonlySet<string> = new Set(['GetItem', 'Query', 'Scan', 'BatchGetItem']);

/** Whether a read asks for strong consistency (BatchGetItem asks per table, in RequestItems). */
export function stronglyConsistent(operation: string, input: Record<string, unknown>): boolean {
  if (operation !== 'BatchGetItem') return input.ConsistentRead === true;
  const tables = input.RequestItems;
  if (typeof tables !== 'object' || tables === null) return false;
  return Object.values(tables).some((request) => typeof request === 'object' && request !== null && (request as { ConsistentRead?: unknown }).ConsistentRead === true);
}
