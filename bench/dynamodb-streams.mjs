// Streams and TTL of the model's DynamoDB endpoint (issue 11), measured in one run:
//   GetRecords   one GetRecords of 1000 records (Limit 1000), direct (endpoint.call) and through
//                @aws-sdk/client-dynamodb-streams with the in-process handler; vs a PutItem (direct)
//   expireDue    a table of 100,000 items with TTL, 1,000 of them due: one expireDue() call, vs a
//                plain PutItem loop of 1,000 items (direct) on the same table: the ratio says what
//                the ordered expiry index buys (a scan would touch all 100,000 items)
//   nextExpiry   one call on the same table
// Each figure is the best of ROUNDS rounds. Run after `npm run build`:
//   node bench/dynamodb-streams.mjs [items=100000] [due=1000] [rounds=5]
import { performance } from 'node:perf_hooks';
import { DescribeStreamCommand, DynamoDBStreamsClient, GetRecordsCommand, GetShardIteratorCommand } from '@aws-sdk/client-dynamodb-streams';
import { ModelEndpoint } from '../dist/dynamodb/model-endpoint.js';
import { createInProcessRequestHandler } from '../dist/dynamodb/sdk-request-handler.js';

const ITEMS = Number(process.argv[2] ?? 100_000);
const DUE = Number(process.argv[3] ?? 1000);
const ROUNDS = Number(process.argv[4] ?? 5);
const T0 = Date.UTC(2026, 0, 1);

function table(endpoint, name, stream) {
  endpoint.call('CreateTable', {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [{ AttributeName: 'Id', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'Id', KeyType: 'HASH' }],
    ...(stream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } } : {}),
  });
}

const item = (i, exp) => ({ Id: { S: `o-${i}` }, Status: { S: 'paid' }, Total: { N: String(i * 1.5) }, Tags: { SS: ['a', 'b'] }, Exp: { N: String(exp) } });
const best = (xs) => Math.min(...xs);
const fmt = (ms) => (ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`);

// ---- GetRecords of 1000 records ----
const clock = { now: T0 };
const endpoint = new ModelEndpoint({ now: () => clock.now });
table(endpoint, 'Orders', true);
for (let i = 0; i < 1000; i++) endpoint.call('PutItem', { TableName: 'Orders', Item: item(i, 0) });
const arn = endpoint.call('DescribeTable', { TableName: 'Orders' }).Table.LatestStreamArn;
const shardId = endpoint.call('DescribeStream', { StreamArn: arn }).StreamDescription.Shards[0].ShardId;
const streams = new DynamoDBStreamsClient({ region: 'us-east-1', requestHandler: createInProcessRequestHandler({ endpointFor: () => endpoint }), credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const direct = [];
const sdk = [];
const put = [];
for (let r = 0; r < ROUNDS; r++) {
  let t = performance.now();
  const it = endpoint.call('GetShardIterator', { StreamArn: arn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }).ShardIterator;
  const n = endpoint.call('GetRecords', { ShardIterator: it, Limit: 1000 }).Records.length;
  direct.push(performance.now() - t);
  if (n !== 1000) throw new Error(`expected 1000 records, got ${n}`);
  t = performance.now();
  const sit = (await streams.send(new GetShardIteratorCommand({ StreamArn: arn, ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' }))).ShardIterator;
  const m = (await streams.send(new GetRecordsCommand({ ShardIterator: sit, Limit: 1000 }))).Records.length;
  sdk.push(performance.now() - t);
  if (m !== 1000) throw new Error(`expected 1000 records, got ${m}`);
  t = performance.now();
  for (let i = 0; i < 100; i++) endpoint.call('PutItem', { TableName: 'Orders', Item: item(5000 + i, r) });
  put.push((performance.now() - t) / 100);
}
await streams.send(new DescribeStreamCommand({ StreamArn: arn }));
console.log(`GetRecords of 1000 records: direct ${fmt(best(direct))}, through the SDK ${fmt(best(sdk))}; one PutItem (direct) ${fmt(best(put))}: GetRecords(1000) = ${(best(direct) / best(put)).toFixed(0)} PutItems`);

// ---- expireDue on ITEMS items, DUE due ----
const loops = [];
const expires = [];
const nexts = [];
for (let r = 0; r < ROUNDS; r++) {
  const c = { now: T0 };
  const e = new ModelEndpoint({ now: () => c.now });
  table(e, 'Sessions', false);
  e.call('UpdateTimeToLive', { TableName: 'Sessions', TimeToLiveSpecification: { Enabled: true, AttributeName: 'Exp' } });
  const t0 = T0 / 1000;
  // DUE items expire at t0 + 1..DUE, the others a day later
  for (let i = 0; i < ITEMS; i++) e.call('PutItem', { TableName: 'Sessions', Item: item(i, i < DUE ? t0 + 1 + i : t0 + 86_400 + i) });
  let t = performance.now();
  for (let i = 0; i < DUE; i++) e.call('PutItem', { TableName: 'Sessions', Item: item(ITEMS + i, t0 + 86_400) });
  loops.push(performance.now() - t);
  c.now = T0 + (DUE + 1) * 1000;
  t = performance.now();
  const next = e.database.nextExpiry();
  nexts.push(performance.now() - t);
  if (next !== T0 + 1000) throw new Error(`nextExpiry ${next}`);
  t = performance.now();
  const deleted = e.database.expireDue();
  expires.push(performance.now() - t);
  if (deleted !== DUE) throw new Error(`expireDue deleted ${deleted}, expected ${DUE}`);
}
const ratio = best(expires) / best(loops);
console.log(`expireDue on ${ITEMS.toLocaleString('en')} items, ${DUE.toLocaleString('en')} due: ${fmt(best(expires))}; a PutItem loop of ${DUE.toLocaleString('en')} items ${fmt(best(loops))}; ratio ${ratio.toFixed(2)}; nextExpiry ${fmt(best(nexts))}`);
console.log(`dynamodb-streams bench: ok (GetRecords 1000 direct ${fmt(best(direct))}, expireDue/PutItem-loop ${ratio.toFixed(2)})`);
