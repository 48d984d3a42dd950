// DynamoDB round trips and throughput (issue 6), on AWS DynamoDB Local started here on 127.0.0.1.
// One event stream (new events, then a redelivery of some of them) goes three ways, one request at
// a time:
//   bare        a PutItem loop writing each event's item: the floor, no idempotency at all
//   geosim      EventProcessor (service-lww, local idempotency): one TransactWriteItems per event
//   powertools  @aws-lambda-powertools/idempotency (makeIdempotent + DynamoDBPersistenceLayer)
//               wrapping the same data write (the UpdateItem EventProcessor makes)
// Round trips are counted on the wire (every HTTP request the SDK sends, retries included).
// DynamoDB Local runs on a JVM and this machine is small: the bench warms the server up, then runs
// every path twice (in opposite orders) and keeps each path's better run.
// Run after `npm run build`:   node bench/dynamodb.mjs [newEvents=800] [duplicates=200]
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { CreateTableCommand, PutItemCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { EventProcessor } from '../dist/app/event-processor.js';
import { buildEnvelope } from '../dist/app/envelope.js';
import { marshallItem } from '../dist/backends/dynamodb/attribute-codec.js';
import { createDynamoClient } from '../dist/backends/dynamodb/client.js';
import { ensureTable } from '../dist/backends/dynamodb/create-table.js';
import { countRoundTrips, createRoundTripCounter } from '../dist/backends/dynamodb/round-trips.js';
import { DynamoTablePort } from '../dist/backends/dynamodb/table-port.js';
import { startDynamoDbLocal } from '../dist/backends/dynamodb-local/server.js';

const REGION = 'us-east-1';
const WARMUP = 400;
const ROUNDS = 2;

function events(n, prefix) {
  const out = [];
  // Real client times: the tables have TTL on ExpiresAt, and records stamped in the past would be
  // expired (deleted) by DynamoDB Local in the middle of the measurement.
  const base = Date.now();
  for (let i = 0; i < n; i++) {
    const clientTime = base + i;
    const id = `${prefix}-${i}`;
    const itemId = `ORDER#${prefix}-${i % 500}`;
    const data = { status: i % 2 ? 'shipped' : 'paid', amount: i };
    const envelope = buildEnvelope({ id, type: 'ResourceAttributeValueChangeEvent', domain: 'orders', priority: '5', correlationId: id, resource: 'order', itemId, data }, clientTime);
    out.push({ envelope, idempotencyKey: id, itemId, data, clientTime });
  }
  return out;
}

/** Times `run` over `list`, counting round trips; returns per-event figures. */
async function measure(counter, list, run) {
  counter.reset();
  const start = performance.now();
  for (const e of list) await run(e);
  const ms = performance.now() - start;
  return { events: list.length, ms, perSecond: (list.length / ms) * 1000, roundTrips: counter.total, perEvent: counter.total / list.length, byOperation: { ...counter.byOperation } };
}

export async function runDynamoBench({ newEvents = 800, duplicates = 200, log = console.log } = {}) {
  const server = await startDynamoDbLocal();
  try {
    const counter = createRoundTripCounter();
    const client = createDynamoClient({ region: REGION, endpoint: server.endpoint, localCredentials: true });
    countRoundTrips(client, counter);
    await ensureTable(client, { tableName: 'BenchEvents', region: REGION });
    await ensureTable(client, { tableName: 'BenchBare', region: REGION });
    await ensureTable(client, { tableName: 'BenchPowertoolsData', region: REGION });
    // Powertools' own table layout: partition key `id` (aws-semantics §4).
    await client.send(new CreateTableCommand({ TableName: 'BenchPowertools', BillingMode: 'PAY_PER_REQUEST', AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }] }));
    await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName: 'BenchPowertools' });

    const dataWrite = (port, e) =>
      port.write({ kind: 'update', id: e.itemId, set: { Data: e.data, LastUpdatedRegion: REGION, Timestamp: e.clientTime, IdempotencyKey: e.idempotencyKey }, add: { Version: 1 } });

    const port = new DynamoTablePort({ client, tableName: 'BenchEvents', region: REGION });
    const processor = new EventProcessor({ table: port, strategy: 'service-lww', idempotency: { mode: 'local', ttlSeconds: 3600 }, maxRetries: 3, now: Date.now });
    const outcomes = { applied: 0, duplicate: 0, other: 0 };
    const geosimRun = async (e) => {
      const r = await processor.processEvent(e);
      outcomes[r.outcome === 'applied' || r.outcome === 'duplicate' ? r.outcome : 'other']++;
    };

    const ptPort = new DynamoTablePort({ client, tableName: 'BenchPowertoolsData', region: REGION });
    const persistenceStore = new DynamoDBPersistenceLayer({ tableName: 'BenchPowertools', awsSdkV3Client: client });
    const context = { getRemainingTimeInMillis: () => 60_000 };
    let ptRuns = 0;
    const idempotentWrite = makeIdempotent(
      async (e) => {
        ptRuns++;
        const r = await dataWrite(ptPort, e);
        return { ok: r.ok };
      },
      { persistenceStore, config: new IdempotencyConfig({ eventKeyJmesPath: 'envelope.eventId' }) },
    );
    const powertoolsRun = (e) => idempotentWrite(e, context);

    // DynamoDB Local runs on a JVM: warm every kind of request up before measuring.
    const warmPort = new DynamoTablePort({ client, tableName: 'BenchBare', region: REGION });
    const warmProcessor = new EventProcessor({ table: warmPort, strategy: 'service-lww', idempotency: { mode: 'local', ttlSeconds: 3600 }, maxRetries: 3, now: Date.now });
    for (const e of events(WARMUP, 'warm')) {
      await warmProcessor.processEvent(e);
      await warmProcessor.processEvent(e);
      await powertoolsRun({ ...e, envelope: { ...e.envelope, eventId: `pt-${e.envelope.eventId}` } });
    }

    const paths = {
      bare: (list) =>
        measure(counter, list, (e) =>
          client.send(new PutItemCommand({ TableName: 'BenchBare', Item: marshallItem({ Id: e.itemId, Data: e.data, LastUpdatedRegion: REGION, Timestamp: e.clientTime, IdempotencyKey: e.idempotencyKey }) })),
        ),
      geosim: async (list) => ({ fresh: await measure(counter, list, geosimRun), repeat: await measure(counter, list.slice(0, duplicates), geosimRun) }),
      powertools: async (list) => ({ fresh: await measure(counter, list, powertoolsRun), repeat: await measure(counter, list.slice(0, duplicates), powertoolsRun) }),
    };
    const best = {};
    const rate = (r) => ('fresh' in r ? ((r.fresh.events + r.repeat.events) / (r.fresh.ms + r.repeat.ms)) * 1000 : r.perSecond);
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? ['bare', 'geosim', 'powertools'] : ['powertools', 'geosim', 'bare'];
      for (const name of order) {
        const result = await paths[name](events(newEvents, `r${round}-${name}`));
        if (best[name] === undefined || rate(result) > rate(best[name])) best[name] = result;
      }
    }
    const bare = best.bare;
    const geosimNew = best.geosim.fresh;
    const geosimDup = best.geosim.repeat;
    const ptNew = best.powertools.fresh;
    const ptDup = best.powertools.repeat;
    client.destroy();

    const mixed = (a, b) => ((a.events + b.events) / (a.ms + b.ms)) * 1000;
    const figures = {
      workload: { newEvents, duplicates },
      bare: { perSecond: bare.perSecond, roundTripsPerEvent: bare.perEvent },
      geosim: { perSecond: mixed(geosimNew, geosimDup), newPerSecond: geosimNew.perSecond, roundTripsPerNew: geosimNew.perEvent, roundTripsPerDuplicate: geosimDup.perEvent, outcomes, byOperation: { ...geosimNew.byOperation } },
      powertools: { perSecond: mixed(ptNew, ptDup), newPerSecond: ptNew.perSecond, roundTripsPerNew: ptNew.perEvent, roundTripsPerDuplicate: ptDup.perEvent, handlerRuns: ptRuns, byOperation: { ...ptNew.byOperation } },
    };
    const geosimTrips = (geosimNew.roundTrips + geosimDup.roundTrips) / (newEvents + duplicates);
    const ptTrips = (ptNew.roundTrips + ptDup.roundTrips) / (newEvents + duplicates);
    figures.ratios = {
      geosimToBare: figures.geosim.perSecond / bare.perSecond,
      geosimToPowertools: figures.geosim.perSecond / figures.powertools.perSecond,
      roundTripsGeosimToPowertools: geosimTrips / ptTrips,
    };

    const f = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
    const mark = (ok) => (ok ? 'met' : 'MISSED');
    log(`DynamoDB Local ${server.endpoint}: ${f(newEvents)} new events, then ${f(duplicates)} of them again, one request at a time; best of ${ROUNDS} rounds per path`);
    log(`  bare PutItem loop         ${f(bare.perSecond)} events/s, ${f(bare.perEvent, 2)} round trips/event`);
    log(`  geosim EventProcessor     ${f(figures.geosim.perSecond)} events/s (new only ${f(geosimNew.perSecond)}/s); round trips: ${f(geosimNew.perEvent, 2)}/new event (target 1: ${mark(geosimNew.perEvent <= 1)}), ${f(geosimDup.perEvent, 2)}/duplicate (target 1: ${mark(geosimDup.perEvent <= 1)}); outcomes ${outcomes.applied} applied, ${outcomes.duplicate} duplicate, ${outcomes.other} other`);
    log(`  Powertools idempotency    ${f(figures.powertools.perSecond)} events/s (new only ${f(ptNew.perSecond)}/s); round trips: ${f(ptNew.perEvent, 2)}/new event, ${f(ptDup.perEvent, 2)}/duplicate; handler ran ${ptRuns} times in all`);
    log(`  geosim / bare PutItem     ${f(figures.ratios.geosimToBare, 2)}x events/s`);
    log(`  geosim / Powertools       ${f(figures.ratios.geosimToPowertools, 2)}x events/s (target >= 1.5x: ${mark(figures.ratios.geosimToPowertools >= 1.5)}), ${f(figures.ratios.roundTripsGeosimToPowertools, 2)}x round trips (target <= 0.5x: ${mark(figures.ratios.roundTripsGeosimToPowertools <= 0.5)})`);
    return figures;
  } finally {
    await server.stop();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [newEvents, duplicates] = process.argv.slice(2).map(Number);
  runDynamoBench({ ...(newEvents ? { newEvents } : {}), ...(duplicates ? { duplicates } : {}) }).catch((error) => {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
    process.exitCode = error?.exitCode ?? 1;
  });
}
