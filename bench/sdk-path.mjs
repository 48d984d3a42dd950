// The cost of the SDK path into a DynamoDB endpoint (issue 11): one GetItem through a
// DynamoDBClient, four ways, measured in the same run:
//   direct      the endpoint's handle('GetItem', input) called with no SDK at all
//   wire        the wire layer alone, no SDK: dispatch() of a signed request's headers and body
//               to the endpoint and back to response bytes (what the in-process handler adds)
//   no-op       DynamoDBClient with a request handler that returns a canned response: the SDK's own
//               cost (middleware, SigV4 signing, serde), the floor of any in-process handler
//   in-process  DynamoDBClient with geosim's in-process request handler over the endpoint
//   http        DynamoDBClient against geosim's HTTP server on 127.0.0.1 (keep-alive sockets)
// The endpoint is a Map-based stand-in (the model's endpoint comes later), so the figures are the
// wire layer's cost, not the model's. Rounds alternate the paths; each path keeps its best round.
// Run after `npm run build`:   node bench/sdk-path.mjs [calls=500] [rounds=12]
import { performance } from 'node:perf_hooks';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBError } from '../dist/dynamodb/errors.js';
import { createInProcessRequestHandler } from '../dist/dynamodb/sdk-request-handler.js';
import { startDynamoDBHttpServer } from '../dist/dynamodb/http-server.js';
import { dispatch, successResponse } from '../dist/dynamodb/wire.js';

const CALLS = Number(process.argv[2] ?? 500);
const ROUNDS = Number(process.argv[3] ?? 12);
const REGION = 'us-east-1';
const credentials = { accessKeyId: 'x', secretAccessKey: 'x' };

const items = new Map();
for (let i = 0; i < 1000; i++) items.set(`o-${i}`, { Id: { S: `o-${i}` }, Status: { S: 'paid' }, Total: { N: String(i * 1.5) }, Tags: { SS: ['a', 'b'] } });
const endpoint = {
  async handle(operation, input) {
    if (operation !== 'GetItem') throw new DynamoDBError('UnknownOperationException', 'An unknown operation was requested.');
    if (input.TableName !== 'Orders') throw new DynamoDBError('ResourceNotFoundException', 'Cannot do operations on a non-existent table');
    const item = items.get(input.Key.Id.S);
    return item === undefined ? {} : { Item: item };
  },
};
const endpointFor = () => endpoint;

const canned = successResponse({ Item: items.get('o-1') }, '00000000-0000-4000-8000-000000000001');
const noopHandler = {
  async handle() {
    return { response: { statusCode: 200, headers: { ...canned.headers }, body: new Uint8Array(canned.body) } };
  },
  updateHttpClientConfig() {},
  httpHandlerConfigs: () => ({}),
};

const server = await startDynamoDBHttpServer({ endpointFor, port: 0 });
const clients = {
  'no-op': new DynamoDBClient({ region: REGION, requestHandler: noopHandler, credentials }),
  'in-process': new DynamoDBClient({ region: REGION, requestHandler: createInProcessRequestHandler({ endpointFor }), credentials }),
  http: new DynamoDBClient({ region: REGION, endpoint: server.url, credentials }),
};
const key = (i) => ({ Id: { S: `o-${i % 1000}` } });
// The headers the SDK sends (a real SigV4 Authorization), for the wire-only path.
const signedHeaders = {
  'content-type': 'application/x-amz-json-1.0',
  'x-amz-target': 'DynamoDB_20120810.GetItem',
  'x-amz-date': '20240101T000000Z',
  authorization: 'AWS4-HMAC-SHA256 Credential=x/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=amz-sdk-invocation-id;amz-sdk-request;content-length;content-type;host;x-amz-content-sha256;x-amz-date;x-amz-target;x-amz-user-agent, Signature=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
};
const decoder = new TextDecoder();
const paths = {
  direct: (i) => endpoint.handle('GetItem', { TableName: 'Orders', Key: key(i) }),
  wire: async (i) => {
    const response = await dispatch({ headers: signedHeaders, body: JSON.stringify({ TableName: 'Orders', Key: key(i) }) }, { endpointFor, defaultRegion: REGION, requestId: 'r' });
    return JSON.parse(decoder.decode(response.body));
  },
  ...Object.fromEntries(Object.entries(clients).map(([name, client]) => [name, (i) => client.send(new GetItemCommand({ TableName: 'Orders', Key: key(i) }))])),
};

async function time(run, calls) {
  const start = performance.now();
  for (let i = 0; i < calls; i++) {
    const out = await run(i);
    if (out.Item === undefined) throw new Error('GetItem found nothing');
  }
  return ((performance.now() - start) * 1000) / calls; // µs per call
}

for (const run of Object.values(paths)) await time(run, 500); // warm-up (JIT, sockets, credentials)
const best = Object.fromEntries(Object.keys(paths).map((name) => [name, Infinity]));
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? Object.keys(paths) : Object.keys(paths).reverse();
  for (const name of order) best[name] = Math.min(best[name], await time(paths[name], CALLS));
}
for (const client of Object.values(clients)) client.destroy();
await server.close();

console.log(`GetItem through DynamoDBClient, ${CALLS} calls x ${ROUNDS} rounds, best round per path (node ${process.version})`);
for (const name of Object.keys(paths)) {
  const us = best[name];
  console.log(`  ${name.padEnd(11)} ${us.toFixed(1).padStart(8)} µs/call  ${(us / best['no-op']).toFixed(2).padStart(6)}x no-op handler  ${(us / best.direct).toFixed(0).padStart(6)}x direct`);
}
console.log(`  in-process - no-op: ${(best['in-process'] - best['no-op']).toFixed(1)} µs per call (the wire layer alone: ${best.wire.toFixed(1)} µs); load average ${(await import('node:os')).loadavg()[0].toFixed(1)}`);
