import { describe, expect, it } from 'vitest';
import { ApiRequests, type ApiRequestHost } from '../../../src/backends/dynamodb/api-requests.js';
import type { RegionTable } from '../../../src/backends/dynamodb/emulated-replication.js';
import { TableNames } from '../../../src/backends/dynamodb/table-names.js';
import type { WriteObservation } from '../../../src/backends/dynamodb/table-port.js';

const REAL = 'geosim-run-abc123';

describe('TableNames: the scenario table on the way in, its name again on the way out', () => {
  const names = new TableNames(REAL);

  it('sends GlobalEventTable (or no name) to the run table, other names as they are', () => {
    expect(names.toReal('GlobalEventTable')).toBe(REAL);
    expect(names.toReal(undefined)).toBe(REAL);
    expect(names.toReal('Other')).toBe('Other');
    expect(names.keysToReal({ GlobalEventTable: 1, Other: 2 })).toEqual({ [REAL]: 1, Other: 2 });
  });

  it('names GlobalEventTable in keys, TableName values and ARNs of an answer, and nothing else', () => {
    const answer = {
      Responses: { [REAL]: [{ Id: { S: 'A' } }] },
      Table: {
        TableName: REAL,
        TableArn: `arn:aws:dynamodb:ddblocal:000000000000:table/${REAL}`,
        LatestStreamArn: `arn:aws:dynamodb:ddblocal:000000000000:table/${REAL}/stream/2026-01-01T00:00:00.000`,
        GlobalSecondaryIndexes: [{ IndexArn: `arn:aws:dynamodb:ddblocal:000000000000:table/${REAL}/index/IdempotencyIndex` }],
      },
      // a longer name that merely starts with the run table's is another table
      Other: `arn:aws:dynamodb:ddblocal:000000000000:table/${REAL}x`,
      bytes: new Uint8Array([1, 2]),
    };
    expect(names.toScenario(answer)).toEqual({
      Responses: { GlobalEventTable: [{ Id: { S: 'A' } }] },
      Table: {
        TableName: 'GlobalEventTable',
        TableArn: 'arn:aws:dynamodb:ddblocal:000000000000:table/GlobalEventTable',
        LatestStreamArn: 'arn:aws:dynamodb:ddblocal:000000000000:table/GlobalEventTable/stream/2026-01-01T00:00:00.000',
        GlobalSecondaryIndexes: [{ IndexArn: 'arn:aws:dynamodb:ddblocal:000000000000:table/GlobalEventTable/index/IdempotencyIndex' }],
      },
      Other: `arn:aws:dynamodb:ddblocal:000000000000:table/${REAL}x`,
      bytes: new Uint8Array([1, 2]),
    });
  });
});

describe('BatchWriteItem: what DynamoDB leaves unprocessed', () => {
  it('comes back under the scenario name without hidden attributes, and is not observed as written', async () => {
    const sent: { name: string; input: Record<string, unknown> }[] = [];
    // DynamoDB Local never throttles, so a fake client answers as a throttled service would.
    const client = {
      send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
        sent.push({ name: command.constructor.name, input: command.input });
        if (command.constructor.name === 'BatchWriteItemCommand') {
          const requests = (command.input.RequestItems as Record<string, unknown[]>)[REAL]!;
          return { $metadata: {}, UnprocessedItems: { [REAL]: [requests[1]] } };
        }
        return { $metadata: {}, Responses: { [REAL]: [] } };
      },
    };
    const table = { region: 'us-east-1', tableName: REAL, client } as unknown as RegionTable;
    const observed: WriteObservation[] = [];
    const host: ApiRequestHost = {
      table: () => table,
      stamp: (region) => ({ ts: 5, region }),
      observe: (_region, o) => observed.push(o),
      transactionId: () => 'tx1',
      emit: () => {},
      now: () => 5,
      cause: () => undefined,
    };
    const out = await new ApiRequests(host).send('us-east-1', 'BatchWriteItem', {
      RequestItems: { GlobalEventTable: [{ PutRequest: { Item: { Id: { S: 'A' } } } }, { PutRequest: { Item: { Id: { S: 'B' }, b: { B: 'AQI=' } } } }] },
    });
    expect(out).toEqual({ UnprocessedItems: { GlobalEventTable: [{ PutRequest: { Item: { Id: { S: 'B' }, b: { B: 'AQI=' } } } }] } });
    // the write that was sent carried geosim's stamp
    const write = sent.find((s) => s.name === 'BatchWriteItemCommand')!;
    expect(JSON.stringify(write.input)).toContain('aws:rep:updatetime');
    expect(observed.map((o) => (o.kind === 'written' && o.op.kind === 'put' ? o.op.item.Id : o.kind))).toEqual(['A']);
  });
});
