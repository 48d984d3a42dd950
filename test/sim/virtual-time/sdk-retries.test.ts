import { DynamoDBClient, GetItemCommand, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { afterEach, describe, expect, it } from 'vitest';
import { installVirtualTime, type VirtualTimeInstallation } from '../../../src/sim/virtual-time/index.js';
import { Rng } from '../../../src/sim/rng.js';
import { World } from '../../../src/sim/world.js';
import { CountingSink } from '../../../src/trace/recorder.js';

const EPOCH = Date.UTC(2025, 0, 1);
let installed: VirtualTimeInstallation | undefined;
afterEach(() => {
  installed?.uninstall();
  installed = undefined;
});

interface Attempt {
  at: number;
  invocationId: string | undefined;
  attempt: string | undefined;
}

/**
 * One model run: the real DynamoDBClient of @aws-sdk/client-dynamodb with a request handler that
 * answers ThrottlingException twice and then the item, each answer 3 virtual ms after the request
 * (`after` from inside the SDK's call, no fiber of ours around it). Returns when each attempt
 * reached the handler, in virtual ms.
 */
async function throttledGet(seed: number, config: 'explicit' | 'minimal'): Promise<{ attempts: Attempt[]; item: unknown; retryDelay: number | undefined }> {
  const world = new World(
    { regions: ['us-east-1'], replication: { links: [], coalesce: false, tieBreak: 'higher-region' } },
    new Rng(seed),
    new CountingSink(),
    { epochMs: EPOCH, quiescent: true },
  );
  const stream = new Rng(seed).stream('user-code');
  installed = installVirtualTime({ get now() { return world.now; }, epochMs: EPOCH, schedule: (at, task) => world.schedule(at, task) }, () => stream.next());
  const attempts: Attempt[] = [];
  const requestHandler = {
    async handle(request: { headers: Record<string, string> }) {
      attempts.push({ at: Date.now() - EPOCH, invocationId: request.headers['amz-sdk-invocation-id'], attempt: request.headers['amz-sdk-request'] });
      await world.after(3);
      const throttled = attempts.length <= 2;
      const body = throttled ? { __type: 'com.amazonaws.dynamodb.v20120810#ThrottlingException', message: 'Rate of requests exceeds the allowed throughput.' } : { Item: { pk: { S: 'x' } } };
      return { response: { statusCode: throttled ? 400 : 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: new TextEncoder().encode(JSON.stringify(body)) } };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
    destroy() {},
  };
  const base: DynamoDBClientConfig = { region: 'us-east-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }, requestHandler };
  // `explicit`: every setting the SDK would otherwise look up in ~/.aws/config on the first send()
  // (measured with async_hooks on SDK 3 as locked), so it does no file I/O; `minimal` reads those
  // files (unless an earlier client of the process already did), and quiet mode waits for the reads.
  const explicit = {
    maxAttempts: 3,
    retryMode: 'standard',
    defaultsMode: 'standard',
    useFipsEndpoint: false,
    useDualstackEndpoint: false,
    accountIdEndpointMode: 'disabled',
    disableClockSkewCorrection: true,
    authSchemePreference: [],
    userAgentAppId: 'geosim',
    endpoint: 'https://dynamodb.us-east-1.amazonaws.com',
  };
  const client = new DynamoDBClient(config === 'explicit' ? ({ ...base, ...explicit } as DynamoDBClientConfig) : base);
  let result: { item: unknown; retryDelay: number | undefined } | undefined;
  world.schedule(0, async () => {
    const out = await client.send(new GetItemCommand({ TableName: 'T', Key: { pk: { S: 'x' } } }));
    result = { item: out.Item, retryDelay: out.$metadata.totalRetryDelay };
  });
  while (await world.runNext());
  installed.uninstall();
  installed = undefined;
  return { attempts, ...result! };
}

describe('virtual time: the AWS SDK retries in the run’s time, repeatably', () => {
  for (const config of ['explicit', 'minimal'] as const) {
    it(`two throttled attempts then success: same virtual times and ids for one seed, other times for another (${config} client config)`, async () => {
      const first = await throttledGet(1, config);
      const again = await throttledGet(1, config);
      const other = await throttledGet(2, config);
      expect(first.item).toEqual({ pk: { S: 'x' } });
      expect(first.attempts.map((a) => a.attempt?.split(';')[0])).toEqual(['attempt=1', 'attempt=2', 'attempt=3']);
      // The retries waited in virtual time: attempt n+1 comes 3 ms (the answer) + the SDK's backoff after attempt n.
      const times = first.attempts.map((a) => a.at);
      expect(times[0]).toBe(0);
      expect(times[2]! - 6).toBe(first.retryDelay);
      expect(first.retryDelay).toBeGreaterThan(0);
      expect(again).toEqual(first);
      expect(other.attempts.map((a) => a.at)).not.toEqual(times);
      expect(other.attempts[0]!.invocationId).not.toBe(first.attempts[0]!.invocationId);
    });
  }
});
