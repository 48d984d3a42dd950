import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
  type _Record,
  type Shard,
} from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import type { Item } from '../../app/item.js';
import { unmarshallRaw } from './attribute-codec.js';
import { mapAwsError } from './errors.js';
import { keyNamesOf, keyStringOf, scenarioName, type SdkKey, type TableKeys } from './item-keys.js';

/** One change from a table's stream, images decoded (hidden attributes kept: the replicator needs them). */
export interface ChangeRecordRaw {
  region: string;
  /** The table as the scenario names it. */
  table: string;
  eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  /** The item's key string (src/sim/tables.ts `keyString`): its `Id` in GlobalEventTable. */
  itemId: string;
  key: SdkKey;
  oldImage: Item | undefined;
  newImage: Item | undefined;
  sequenceNumber: string;
  /** A Time to Live delete: the record's userIdentity is the DynamoDB service. */
  expired?: true;
}

export interface StreamReaderOptions {
  client: DynamoDBStreamsClient;
  streamArn: string;
  region: string;
  /** The table whose stream this is (its scenario name and key); absent: GlobalEventTable. */
  table?: TableKeys;
  endpoint?: string;
  /** TRIM_HORIZON for a table geosim just created; LATEST to observe only what happens from now on. */
  startAt: 'TRIM_HORIZON' | 'LATEST';
  /** Wall ms between polls of a shard that had nothing new. */
  pollMs?: number;
  onRecord: (record: ChangeRecordRaw) => void;
  onError: (error: Error) => void;
}

interface ShardState {
  id: string;
  parent: string | undefined;
  iterator: string | undefined;
  /** Last sequence number handed on, to resume after an expired iterator. */
  last: string | undefined;
  closed: boolean;
  started: boolean;
  /** Open when the reader started in LATEST mode: read from its tip, not its history. */
  fromLatest: boolean;
}

/**
 * Follows one table's DynamoDB stream the way a stream consumer does: describe the shards, read
 * each one from its iterator in order, start a child shard only after its parent closed (so the
 * per-item order the stream guarantees is kept, aws-semantics §1.2/§1.7), and hand every record on.
 */
export class StreamReader {
  private readonly shards = new Map<string, ShardState>();
  private stopped = false;
  private loop: Promise<void> | undefined;
  private lastDescribe = 0;
  /** Shards found by the first describe are the ones LATEST applies to. */
  private described = false;
  /** Polls that returned no records in a row, across all shards. */
  private idlePolls = 0;

  constructor(private readonly options: StreamReaderOptions) {}

  start(): void {
    this.loop = this.run().catch((error: unknown) => {
      if (!this.stopped) this.options.onError(error as Error);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.loop;
  }

  /** True once the reader has polled every open shard at least once since the last record. */
  get idle(): boolean {
    return this.idlePolls > 0;
  }

  private async run(): Promise<void> {
    const pollMs = this.options.pollMs ?? 20;
    while (!this.stopped) {
      // Describe again while there is no open shard (DynamoDB Local opens one with the first
      // write) and, to find new child shards, every second.
      if (this.readable().length === 0 || Date.now() - this.lastDescribe > 1_000) await this.describe();
      let got = 0;
      for (const shard of this.readable()) {
        if (this.stopped) return;
        got += await this.poll(shard);
      }
      this.idlePolls = got === 0 ? this.idlePolls + 1 : 0;
      if (got === 0) await sleep(pollMs);
    }
  }

  private readable(): ShardState[] {
    return [...this.shards.values()].filter((s) => !s.closed && (s.parent === undefined || !this.shards.has(s.parent) || this.shards.get(s.parent)!.closed));
  }

  private async describe(): Promise<void> {
    this.lastDescribe = Date.now();
    const found: Shard[] = [];
    let start: string | undefined;
    do {
      const out = await this.call('DescribeStream', () =>
        this.options.client.send(
          new DescribeStreamCommand({ StreamArn: this.options.streamArn, ...(start !== undefined ? { ExclusiveStartShardId: start } : {}) }),
        ),
      );
      found.push(...(out.StreamDescription?.Shards ?? []));
      start = out.StreamDescription?.LastEvaluatedShardId;
    } while (start !== undefined);
    const firstDescribe = !this.described;
    this.described = true;
    for (const shard of found) {
      if (shard.ShardId === undefined || this.shards.has(shard.ShardId)) continue;
      this.shards.set(shard.ShardId, {
        id: shard.ShardId,
        parent: shard.ParentShardId,
        iterator: undefined,
        last: undefined,
        // With LATEST, shards already closed at start hold only history: skip them.
        closed: firstDescribe && this.options.startAt === 'LATEST' && shard.SequenceNumberRange?.EndingSequenceNumber !== undefined,
        started: false,
        fromLatest: firstDescribe && this.options.startAt === 'LATEST',
      });
    }
  }

  private async poll(shard: ShardState): Promise<number> {
    if (!shard.started) {
      shard.started = true;
      // Shards that appear later are read from their start: they hold only new changes.
      shard.iterator = await this.iterator(shard, shard.fromLatest ? 'LATEST' : 'TRIM_HORIZON');
    }
    if (shard.iterator === undefined) {
      shard.closed = true;
      return 0;
    }
    let out;
    try {
      out = await this.options.client.send(new GetRecordsCommand({ ShardIterator: shard.iterator, Limit: 1000 }));
    } catch (error) {
      if (error instanceof ExpiredIteratorException) {
        shard.iterator = await this.iterator(shard, shard.last !== undefined ? 'AFTER_SEQUENCE_NUMBER' : 'TRIM_HORIZON');
        return 0;
      }
      if (error instanceof TrimmedDataAccessException) {
        shard.iterator = await this.iterator(shard, 'TRIM_HORIZON');
        return 0;
      }
      throw mapAwsError(error, this.context('GetRecords'));
    }
    const records = out.Records ?? [];
    for (const record of records) {
      const change = decode(record, this.options.region, this.options.table ?? { tableName: '' });
      if (change !== undefined) {
        shard.last = change.sequenceNumber;
        this.options.onRecord(change);
      }
    }
    shard.iterator = out.NextShardIterator;
    if (shard.iterator === undefined) shard.closed = true;
    return records.length;
  }

  private async iterator(shard: ShardState, type: 'TRIM_HORIZON' | 'LATEST' | 'AFTER_SEQUENCE_NUMBER'): Promise<string | undefined> {
    const out = await this.call('GetShardIterator', () =>
      this.options.client.send(
        new GetShardIteratorCommand({
          StreamArn: this.options.streamArn,
          ShardId: shard.id,
          ShardIteratorType: type,
          ...(type === 'AFTER_SEQUENCE_NUMBER' ? { SequenceNumber: shard.last } : {}),
        }),
      ),
    );
    return out.ShardIterator;
  }

  private async call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw mapAwsError(error, this.context(operation));
    }
  }

  private context(operation: string) {
    return { operation, region: this.options.region, ...(this.options.endpoint !== undefined ? { endpoint: this.options.endpoint } : {}) };
  }
}

function decode(record: _Record, region: string, table: TableKeys): ChangeRecordRaw | undefined {
  const data = record.dynamodb;
  const eventName = record.eventName;
  if (data === undefined || eventName === undefined) return undefined;
  const asSdk = (image: unknown) => image as Record<string, SdkAttributeValue> | undefined;
  const keys = asSdk(data.Keys);
  if (keys === undefined || keyNamesOf(table).some((name) => keys[name] === undefined)) return undefined;
  // GlobalEventTable's items are named by their string Id, as before.
  if (table.keyNames === undefined && typeof unmarshallRaw(keys)?.Id !== 'string') return undefined;
  return {
    region,
    table: scenarioName(table),
    eventName,
    itemId: keyStringOf(table, keys),
    key: keys,
    oldImage: unmarshallRaw(asSdk(data.OldImage)),
    newImage: unmarshallRaw(asSdk(data.NewImage)),
    sequenceNumber: data.SequenceNumber ?? '',
    ...(record.userIdentity?.Type === 'Service' && record.userIdentity.PrincipalId === 'dynamodb.amazonaws.com' ? { expired: true as const } : {}),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
