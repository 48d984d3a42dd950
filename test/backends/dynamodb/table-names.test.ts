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

// Issue 13: a scenario's own tables (`tables:`), each with the run's own name.
const ORDERS = { tableName: 'geosim-run-abc123-Orders', name: 'Orders', keyNames: ['pk', 'sk'], keyTypes: { pk: 'S', sk: 'N' } };
const AUDIT = { tableName: 'geosim-run-abc123-Audit', name: 'Audit', keyNames: ['id'], keyTypes: { id: 'S' } };

describe('TableNames over the tables a scenario declares', () => {
  const names = new TableNames([ORDERS, AUDIT]);

  it('sends each declared name to its run table, no name to the first, anything else (GlobalEventTable too) as it is', () => {
    expect(names.toReal('Orders')).toBe(ORDERS.tableName);
    expect(names.toReal('Audit')).toBe(AUDIT.tableName);
    expect(names.toReal(undefined)).toBe(ORDERS.tableName);
    expect(names.toReal('GlobalEventTable')).toBe('GlobalEventTable');
    expect(names.keysToReal({ Orders: 1, Audit: 2, Other: 3 })).toEqual({ [ORDERS.tableName]: 1, [AUDIT.tableName]: 2, Other: 3 });
  });

  it('puts every declared name back in keys, TableName values and ARNs', () => {
    const arn = (t: string) => `arn:aws:dynamodb:ddblocal:000000000000:table/${t}`;
    expect(names.toScenario({ Responses: { [ORDERS.tableName]: [], [AUDIT.tableName]: [] }, Table: { TableName: AUDIT.tableName, TableArn: arn(AUDIT.tableName), LatestStreamArn: `${arn(ORDERS.tableName)}/stream/x` } })).toEqual({
      Responses: { Orders: [], Audit: [] },
      Table: { TableName: 'Audit', TableArn: arn('Audit'), LatestStreamArn: `${arn('Orders')}/stream/x` },
    });
  });

  it('leaves an answer alone when the run tables have the declared names (native replication)', () => {
    const same = new TableNames([{ tableName: 'Orders', name: 'Orders' }]);
    const answer = { Table: { TableName: 'Orders' } };
    expect(same.toScenario(answer)).toBe(answer);
  });
});

describe('ApiRequests on declared tables', () => {
  function fakeRun() {
    const sent: { name: string; input: Record<string, unknown> }[] = [];
    const client = {
      send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
        sent.push({ name: command.constructor.name, input: command.input });
        return { $metadata: {} };
      },
    };
    const tables = [ORDERS, AUDIT].map((t) => ({ ...t, region: 'us-east-1', client }) as unknown as RegionTable);
    const observed: WriteObservation[] = [];
    const stamps: unknown[][] = [];
    const host: ApiRequestHost = {
      table: () => tables[0]!,
      tables: () => tables,
      stamp: (region, id, table) => (stamps.push([id, table]), { ts: 5, region }),
      observe: (_region, o) => observed.push(o),
      transactionId: () => 'tx1',
      emit: () => {},
      now: () => 5,
      cause: () => undefined,
    };
    return { api: new ApiRequests(host), sent, observed, stamps };
  }

  it('reads, stamps and observes a write by its table and key string; the answer names the declared table', async () => {
    const { api, sent, observed, stamps } = fakeRun();
    await api.send('us-east-1', 'PutItem', { TableName: 'Orders', Item: { pk: { S: 'o-1' }, sk: { N: '2' }, v: { S: 'x' } } });
    expect(sent.map((s) => [s.name, s.input.TableName, (s.input.Key ?? null) as unknown])).toEqual([
      ['GetItemCommand', ORDERS.tableName, { pk: { S: 'o-1' }, sk: { N: '2' } }],
      ['PutItemCommand', ORDERS.tableName, null],
      ['GetItemCommand', ORDERS.tableName, { pk: { S: 'o-1' }, sk: { N: '2' } }],
    ]);
    expect(JSON.stringify(sent[1]!.input)).toContain('aws:rep:updatetime');
    expect(stamps).toEqual([['o-1|2', 'Orders']]);
    expect(observed.map((o) => (o.kind === 'written' ? o.target : o.kind))).toEqual([{ table: 'Orders', id: 'o-1|2', key: { pk: { S: 'o-1' }, sk: { N: '2' } } }]);
  });

  it('names each table of a TransactWriteItems, and observes nothing of an entry whose key DynamoDB will refuse', async () => {
    const { api, sent, observed } = fakeRun();
    await api.send('us-east-1', 'TransactWriteItems', {
      TransactItems: [
        { Put: { TableName: 'Audit', Item: { id: { S: 'a-1' } } } },
        // sk declared N, given S: DynamoDB refuses it; geosim neither reads nor stamps it
        { Put: { TableName: 'Orders', Item: { pk: { S: 'o-1' }, sk: { S: 'META' } } } },
      ],
    });
    const transact = sent.find((s) => s.name === 'TransactWriteItemsCommand')!.input.TransactItems as Array<{ Put: { TableName: string; Item: Record<string, unknown> } }>;
    expect(transact.map((e) => e.Put.TableName)).toEqual([AUDIT.tableName, ORDERS.tableName]);
    expect(Object.keys(transact[1]!.Put.Item)).toEqual(['pk', 'sk']);
    expect(observed.map((o) => (o.kind === 'written' ? [o.target?.table, o.target?.id, o.transaction] : o.kind))).toEqual([['Audit', 'a-1', 'tx1']]);
  });
});
