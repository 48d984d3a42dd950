import { CreateTableCommand, DeleteItemCommand, DeleteTableCommand, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GlobalTables } from '../../src/index.js';
import { ReplicationLink } from '../../src/sim/replication-link.js';

const A = 'us-east-1';
const B = 'eu-west-1';

type Op = { kind: 'put' | 'delete'; region: 0 | 1; table: 'GlobalEventTable' | 'Orders'; item: string; wait: number } | { kind: 'recreate'; region: 0 | 1; wait: number };

/** Runs `ops` on two regions and returns the trace. */
async function run(ops: Op[], coalesce: boolean, seed: number): Promise<unknown[]> {
  const model = new GlobalTables({ regions: [A, B], lag: { distribution: 'uniform', min: 0, max: 400 }, coalesce, seed });
  const client = (region: string) => new DynamoDBClient({ region, requestHandler: model.requestHandler, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const clients = [client(A), client(B)];
  const orders = { TableName: 'Orders', AttributeDefinitions: [{ AttributeName: 'Id', AttributeType: 'S' as const }], KeySchema: [{ AttributeName: 'Id', KeyType: 'HASH' as const }], BillingMode: 'PAY_PER_REQUEST' as const };
  await clients[0]!.send(new CreateTableCommand(orders));
  let n = 0;
  for (const op of ops) {
    const c = clients[op.region]!;
    if (op.kind === 'recreate') {
      await c.send(new DeleteTableCommand({ TableName: 'Orders' }));
      await c.send(new CreateTableCommand(orders));
    } else if (op.kind === 'put') await c.send(new PutItemCommand({ TableName: op.table, Item: { Id: { S: op.item }, n: { N: String(n++) } } }));
    else await c.send(new DeleteItemCommand({ TableName: op.table, Key: { Id: { S: op.item } } }));
    await model.advance(op.wait);
  }
  await model.settle();
  return [...model.trace];
}

const ops = fc.array(
  fc.oneof(
    { weight: 12, arbitrary: fc.record({ kind: fc.constantFrom('put' as const, 'put' as const, 'delete' as const), region: fc.constantFrom(0 as const, 1 as const), table: fc.constantFrom('GlobalEventTable' as const, 'Orders' as const), item: fc.constantFrom('a', 'b', 'c'), wait: fc.nat({ max: 150 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('recreate' as const), region: fc.constantFrom(0 as const, 1 as const), wait: fc.nat({ max: 150 }) }) },
  ),
  { maxLength: 40 },
);

describe('ReplicationLink.keepOnVersions: the books kept on versions', () => {
  afterEach(() => vi.restoreAllMocks());

  it('change nothing a run shows: the same trace as the books kept by item id (property)', async () => {
    await fc.assert(
      fc.asyncProperty(ops, fc.boolean(), fc.integer({ min: 1, max: 1000 }), async (script, coalesce, seed) => {
        const onVersions = await run(script, coalesce, seed);
        const spy = vi.spyOn(ReplicationLink.prototype, 'keepOnVersions').mockImplementation(() => undefined);
        const byId = await run(script, coalesce, seed);
        spy.mockRestore();
        expect(onVersions).toEqual(byId);
      }),
      { seed: 5, numRuns: 150 },
    );
  });

  /** The traces with the books on versions for seeds 1 to 20, each checked against the books by item id. */
  async function same(script: Op[], coalesce: boolean): Promise<string[][]> {
    const onVersions: unknown[][] = [];
    for (let seed = 1; seed <= 20; seed++) onVersions.push(await run(script, coalesce, seed));
    vi.spyOn(ReplicationLink.prototype, 'keepOnVersions').mockImplementation(() => undefined);
    for (let seed = 1; seed <= 20; seed++) expect(onVersions[seed - 1]).toEqual(await run(script, coalesce, seed));
    return onVersions.map((trace) => trace.map((e) => (e as { kind: string }).kind));
  }

  it('finds a write in flight whose version a replicated write replaced in the sender: a newer write rides on it', async () => {
    const put = (region: 0 | 1): Op => ({ kind: 'put', region, table: 'GlobalEventTable', item: 'a', wait: 0 });
    // (some seeds: us-east-1's first write is still on its way when eu-west-1's has landed there)
    const kinds = await same([{ ...put(0), wait: 10 }, { ...put(1), wait: 250 }, put(0)], true);
    expect(kinds.some((k) => k.includes('replication-coalesced'))).toBe(true);
  });

  it('finds a write in flight of a table deleted and created again: a write of the new table to the item rides on it', async () => {
    const put: Op = { kind: 'put', region: 0, table: 'Orders', item: 'a', wait: 0 };
    const kinds = await same([put, { kind: 'recreate', region: 1, wait: 0 }, put], true);
    expect(kinds.every((k) => k.includes('replication-coalesced'))).toBe(true);
  });
});
