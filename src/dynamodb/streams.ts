/**
 * One table's DynamoDB stream in one region: the records of every change of its items, in order,
 * kept 24 hours of model time, in one shard (DynamoDB splits a stream into shards by partition and
 * time; one shard keeps every record of an item in order, which is all a reader may rely on).
 *
 * Records are shaped as DynamoDB Streams returns them (eventID, eventName, eventVersion,
 * eventSource, awsRegion, dynamodb {ApproximateCreationDateTime, Keys, images, SequenceNumber,
 * SizeBytes, StreamViewType}, and for a TTL deletion in the region that expired the item,
 * userIdentity {Type: Service, PrincipalId: dynamodb.amazonaws.com}).
 */
import { numberSize, utf8Length, valueSize } from './value-ops.js';
import type { AttributeValue, Item } from './values.js';

/** What made a change: an API request, a replicated write (`applyReplicated`), or a TTL expiry (`expireDue`). */
export type ChangeOrigin = 'request' | 'replication' | 'ttl';

export const STREAM_VIEW_TYPES = ['NEW_IMAGE', 'OLD_IMAGE', 'NEW_AND_OLD_IMAGES', 'KEYS_ONLY'] as const;
export type StreamViewType = (typeof STREAM_VIEW_TYPES)[number];

/** DynamoDB keeps stream records 24 hours. */
export const RETENTION_MS = 24 * 3600 * 1000;
/** Sequence numbers are digit strings of at least 21 characters (the API's minimum length). */
export const SEQUENCE_DIGITS = 21;

export function formatSequence(n: number): string {
  return String(n).padStart(SEQUENCE_DIGITS, '0');
}

/**
 * A value's bytes in a stream record's SizeBytes, as DynamoDB Local counts them (probed
 * 2026-11-29, test/dynamodb/streams-api.test.ts): the item-size rules, plus 1 byte per element of a
 * list or map, 1 byte for zero and 1 more for a negative number, wherever it is (in a number set,
 * a list or a map too: probed 2026-12-01). The service documents only "the size of the stream
 * record, in bytes"; Local is the reference we can check.
 */
function recordValueSize(value: AttributeValue): number {
  if ('N' in value) return recordNumberSize(value.N);
  if ('NS' in value) {
    let size = 0;
    for (const n of value.NS) size += recordNumberSize(n);
    return size;
  }
  if ('L' in value) return 3 + value.L.reduce((n, v) => n + recordValueSize(v) + 1, 0);
  if ('M' in value) return 3 + recordItemSize(value.M) + Object.keys(value.M).length;
  return valueSize(value);
}

/** A zero, however written. */
const ZERO = /^-?[0.]*(e.*)?$/i;

function recordNumberSize(n: string): number {
  return ZERO.test(n) ? 1 : numberSize(n) + (n.startsWith('-') ? 1 : 0);
}

function recordItemSize(item: Item): number {
  let size = 0;
  for (const name of Object.keys(item)) size += utf8Length(name) + recordValueSize(item[name]!);
  return size;
}

export interface StreamRecord {
  eventID: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  eventVersion: string;
  eventSource: string;
  awsRegion: string;
  dynamodb: Record<string, unknown>;
  userIdentity?: { Type: string; PrincipalId: string };
}

interface Stored {
  seq: number;
  at: number;
  record: StreamRecord;
}

/** An ISO time without the zone, millisecond precision: the label DynamoDB gives a stream. */
function label(ms: number): string {
  return new Date(ms).toISOString().slice(0, -1);
}

/** A deterministic id in the shape of a UUID, unique per region and sequence number. */
function eventId(region: string, seq: number): string {
  let h = 2166136261;
  for (let i = 0; i < region.length; i++) h = Math.imul(h ^ region.charCodeAt(i), 16777619) >>> 0;
  const s = h.toString(16).padStart(8, '0') + seq.toString(16).padStart(24, '0');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-4${s.slice(13, 16)}-8${s.slice(17, 20)}-${s.slice(20)}`;
}

export class Stream {
  readonly arn: string;
  readonly label: string;
  readonly shardId: string;
  status: 'ENABLED' | 'DISABLED' = 'ENABLED';
  /** Sequence number of the last record when the stream was closed (its table deleted). */
  endingSequence: number | undefined;
  private records: Stored[] = [];
  /** Highest sequence number removed by the 24-hour retention (0: nothing trimmed yet). */
  trimmedThrough = 0;

  constructor(
    readonly tableName: string,
    readonly tableArn: string,
    readonly keySchema: unknown,
    readonly viewType: StreamViewType,
    readonly createdAt: number,
    /** The first sequence number the shard may hold. */
    readonly startingSequence: number,
  ) {
    this.label = label(createdAt);
    this.arn = `${tableArn}/stream/${this.label}`;
    this.shardId = `shardId-${String(createdAt).padStart(20, '0')}-${(startingSequence >>> 0).toString(16).padStart(8, '0')}`;
  }

  /** Appends the record of one change. */
  append(seq: number, now: number, region: string, key: Item, oldImage: Item | undefined, newImage: Item | undefined, origin: ChangeOrigin): void {
    const dynamodb: Record<string, unknown> = { ApproximateCreationDateTime: Math.floor(now / 1000), Keys: key };
    let size = recordItemSize(key);
    if (newImage !== undefined && (this.viewType === 'NEW_IMAGE' || this.viewType === 'NEW_AND_OLD_IMAGES')) {
      dynamodb.NewImage = newImage;
      size += recordItemSize(newImage);
    }
    if (oldImage !== undefined && (this.viewType === 'OLD_IMAGE' || this.viewType === 'NEW_AND_OLD_IMAGES')) {
      dynamodb.OldImage = oldImage;
      size += recordItemSize(oldImage);
    }
    dynamodb.SequenceNumber = formatSequence(seq);
    dynamodb.SizeBytes = size;
    dynamodb.StreamViewType = this.viewType;
    const record: StreamRecord = {
      eventID: eventId(region, seq),
      eventName: oldImage === undefined ? 'INSERT' : newImage === undefined ? 'REMOVE' : 'MODIFY',
      eventVersion: '1.1',
      eventSource: 'aws:dynamodb',
      awsRegion: region,
      dynamodb,
    };
    // Only the region that expired the item marks the deletion as the service's; a replicated TTL
    // delete arrives as origin 'replication' and looks like any other delete (AWS: ttl-expired-items).
    if (origin === 'ttl') record.userIdentity = { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' };
    this.records.push({ seq, at: now, record });
  }

  /** Closes the stream (its table was deleted): readers get what it holds, then no next iterator. */
  close(lastSequence: number): void {
    this.status = 'DISABLED';
    this.endingSequence = lastSequence;
  }

  /** Drops the records older than 24 hours at `now`. */
  trim(now: number): void {
    let i = 0;
    while (i < this.records.length && this.records[i]!.at <= now - RETENTION_MS) i++;
    if (i === 0) return;
    this.trimmedThrough = this.records[i - 1]!.seq;
    this.records.splice(0, i);
  }

  /** Up to `limit` records with sequence numbers >= `from`, in order. */
  read(from: number, limit: number): StreamRecord[] {
    let lo = 0;
    let hi = this.records.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.records[mid]!.seq < from) lo = mid + 1;
      else hi = mid;
    }
    return this.records.slice(lo, lo + limit).map((r) => r.record);
  }

  get lastSequence(): number | undefined {
    return this.records.at(-1)?.seq;
  }

  get recordCount(): number {
    return this.records.length;
  }
}
