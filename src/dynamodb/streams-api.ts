/**
 * The DynamoDB Streams API of one region's database (`X-Amz-Target: DynamoDBStreams_20120810.*`):
 * ListStreams, DescribeStream, GetShardIterator, GetRecords, validated and worded as DynamoDB Local
 * answers (probed on Local 2026-01-16, pinned in test/dynamodb/streams-api.test.ts).
 *
 * A shard iterator is opaque to clients; here it is `<stream arn>|001|<base64 of shard id |
 * position | issue time>`, where the position is the sequence number of the next record to read.
 * It expires 15 minutes of model time after it was issued (ExpiredIteratorException).
 */
import type { Database } from './database.js';
import { DynamoDBError, validation } from './errors.js';
import { formatSequence, SEQUENCE_DIGITS, type Stream } from './streams.js';

/** A shard iterator is valid this long after GetShardIterator or GetRecords returned it. */
export const ITERATOR_LIFETIME_MS = 15 * 60 * 1000;
/** GetRecords returns at most 1 MB of records. */
const PAGE_BYTES = 1024 * 1024;
const ITERATOR_TYPES = ['TRIM_HORIZON', 'LATEST', 'AT_SEQUENCE_NUMBER', 'AFTER_SEQUENCE_NUMBER'] as const;
type Input = Record<string, unknown>;

function limitOf(input: Input, max: number, tooMany: string): number {
  if (input.Limit === undefined) return max;
  const limit = Number(input.Limit);
  if (!Number.isInteger(limit) || limit < 1) {
    throw validation(`1 validation error detected: Value '${String(input.Limit)}' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1`);
  }
  if (limit > max) throw validation(tooMany);
  return limit;
}

export function listStreams(db: Database, input: Input): Record<string, unknown> {
  const limit = limitOf(input, 100, 'One or more parameter values were invalid: Limit cannot be greater than the maximum allowed size: 100');
  let streams = db.streams().filter((s) => input.TableName === undefined || s.tableName === input.TableName);
  const start = input.ExclusiveStartStreamArn;
  if (start !== undefined) {
    const i = streams.findIndex((s) => s.arn === start);
    streams = i < 0 ? [] : streams.slice(i + 1);
  }
  const page = streams.slice(0, limit);
  const out: Record<string, unknown> = { Streams: page.map((s) => ({ StreamArn: s.arn, TableName: s.tableName, StreamLabel: s.label })) };
  if (streams.length > limit) out.LastEvaluatedStreamArn = page.at(-1)!.arn;
  return out;
}

function streamOf(db: Database, arn: unknown, notFound: string): Stream {
  const stream = db.streams().find((s) => s.arn === arn);
  if (stream === undefined) throw new DynamoDBError('ResourceNotFoundException', notFound);
  return stream;
}

export function describeStream(db: Database, input: Input): Record<string, unknown> {
  limitOf(input, 100, 'One or more parameter values were invalid: Limit cannot be greater than the maximum allowed size: 100');
  const stream = streamOf(db, input.StreamArn, `Requested resource not found: Stream: ${String(input.StreamArn)} not found`);
  const range: Record<string, string> = { StartingSequenceNumber: formatSequence(stream.startingSequence) };
  if (stream.endingSequence !== undefined) range.EndingSequenceNumber = formatSequence(stream.endingSequence);
  // one shard: a start after it leaves none
  const shards = input.ExclusiveStartShardId === stream.shardId ? [] : [{ ShardId: stream.shardId, SequenceNumberRange: range }];
  return {
    StreamDescription: {
      StreamArn: stream.arn,
      StreamLabel: stream.label,
      StreamStatus: stream.status,
      StreamViewType: stream.viewType,
      CreationRequestDateTime: stream.createdAt / 1000,
      TableName: stream.tableName,
      KeySchema: stream.keySchema,
      Shards: shards,
    },
  };
}

function parseSequence(raw: unknown): number | undefined {
  if (raw === undefined) return undefined;
  const text = String(raw);
  if (text.length < SEQUENCE_DIGITS) {
    throw validation(`1 validation error detected: Value '${text}' at 'sequenceNumber' failed to satisfy constraint: Member must have length greater than or equal to ${SEQUENCE_DIGITS}`);
  }
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw validation('One or more parameter values were invalid: Invalid SequenceNumber');
  return Number(text);
}

function iterator(stream: Stream, position: number, now: number): string {
  return `${stream.arn}|001|${Buffer.from(`${stream.shardId}|${formatSequence(position)}|${now}`).toString('base64')}`;
}

export function getShardIterator(db: Database, input: Input): Record<string, unknown> {
  const type = input.ShardIteratorType;
  if (!ITERATOR_TYPES.includes(type as (typeof ITERATOR_TYPES)[number])) {
    throw validation(`1 validation error detected: Value '${String(type)}' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, LATEST, AT_SEQUENCE_NUMBER, TRIM_HORIZON]`);
  }
  const sequence = parseSequence(input.SequenceNumber);
  const byNumber = type === 'AT_SEQUENCE_NUMBER' || type === 'AFTER_SEQUENCE_NUMBER';
  if (byNumber && sequence === undefined) throw validation('One or more parameter values were invalid: Invalid SequenceNumber');
  if (!byNumber && sequence !== undefined) throw validation('One or more parameter values were invalid: SequenceNumber should not be passed for this iterator type');
  const stream = streamOf(db, input.StreamArn, 'Stream does not exist');
  if (input.ShardId !== stream.shardId) throw new DynamoDBError('ResourceNotFoundException', 'Shard does not exist');
  const now = db.now();
  stream.trim(now);
  let position: number;
  if (type === 'TRIM_HORIZON') position = Math.max(stream.startingSequence, stream.trimmedThrough + 1);
  else if (type === 'LATEST') position = db.lastSequence + 1;
  else {
    position = type === 'AT_SEQUENCE_NUMBER' ? sequence! : sequence! + 1;
    // a number this database never gave out (DynamoDB Local fails with a 500 here)
    if (sequence! > db.lastSequence) throw validation('One or more parameter values were invalid: Invalid SequenceNumber');
    if (position <= stream.trimmedThrough) throw trimmed();
  }
  return { ShardIterator: iterator(stream, position, now) };
}

function trimmed(): DynamoDBError {
  return new DynamoDBError('TrimmedDataAccessException', 'The operation attempted to read past the oldest stream record in a shard: records older than 24 hours are trimmed.');
}

function parseIterator(raw: unknown): { arn: string; shardId: string; position: number; issued: number } {
  const invalid = () => validation('Invalid ShardIterator');
  if (typeof raw !== 'string') throw invalid();
  const parts = raw.split('|');
  if (parts.length !== 3 || parts[1] !== '001') throw invalid();
  const inner = Buffer.from(parts[2]!, 'base64').toString('utf8').split('|');
  if (inner.length !== 3 || !/^\d+$/.test(inner[1]!) || !/^-?\d+$/.test(inner[2]!)) throw invalid();
  return { arn: parts[0]!, shardId: inner[0]!, position: Number(inner[1]), issued: Number(inner[2]) };
}

export function getRecords(db: Database, input: Input): Record<string, unknown> {
  const limit = limitOf(input, 1000, 'One or more parameter values were invalid: Limit should be less than or equal to 1000');
  const it = parseIterator(input.ShardIterator);
  const stream = db.streams().find((s) => s.arn === it.arn && s.shardId === it.shardId);
  if (stream === undefined) throw new DynamoDBError('ResourceNotFoundException', 'Requested resource not found: Shard does not exist');
  const now = db.now();
  if (now - it.issued > ITERATOR_LIFETIME_MS) throw new DynamoDBError('ExpiredIteratorException', 'The provided iterator exceeds the maximum age allowed.');
  stream.trim(now);
  if (it.position <= stream.trimmedThrough) throw trimmed();
  const records = stream.read(it.position, limit);
  // GetRecords answers at most 1 MB of records (at least one)
  let bytes = 0;
  const fit = records.findIndex((r) => (bytes += r.dynamodb.SizeBytes as number) > PAGE_BYTES);
  if (fit > 0) records.length = fit;
  const next = records.length > 0 ? Number(records.at(-1)!.dynamodb.SequenceNumber) + 1 : it.position;
  const out: Record<string, unknown> = { Records: records };
  // a closed shard read to its end has no next iterator: the reader is done with it
  const done = stream.endingSequence !== undefined && (stream.lastSequence === undefined || next > stream.lastSequence);
  if (!done) out.NextShardIterator = iterator(stream, next, now);
  return out;
}
