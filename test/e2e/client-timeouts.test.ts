import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/index.js';
import type { TraceEvent } from '../../src/trace/events.js';

// A team's DynamoDBClient keeps the timeouts of the HTTP handler it was given: the facade routed its
// requests to the run's tables and dropped them, so a call slower than its timeout simply waited.
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'user-apps');

async function counter(client: string) {
  const scenario = {
    name: 'client-timeouts',
    regions: ['us-east-1', 'eu-west-1'],
    application: { module: './client-timeouts.mjs', latency: '200ms' },
    steps: [{ at: 0, event: { id: client, region: 'us-east-1', key: client, item: 'ITEM#1', data: { client } } }],
  };
  const report = await run(scenario, { baseDir: FIXTURES });
  const writes = report.trace.filter((e): e is Extract<TraceEvent, { kind: 'local-write' }> => e.kind === 'local-write' && e.region === 'us-east-1');
  const failures = report.trace.filter((e): e is Extract<TraceEvent, { kind: 'lambda-attempt-failed' }> => e.kind === 'lambda-attempt-failed');
  return { n: report.final['us-east-1']![`COUNTER#${client}`]!['n'], writes: writes.length, failures: failures.map((f) => [f.t, f.message]) };
}

const SOCKET = 'TimeoutError: @smithy/node-http-handler - the request socket timed out after 100 ms of inactivity (configured by client requestHandler).';

describe('a client’s own timeouts, in the run’s time', () => {
  it('socketTimeout: each of the SDK’s 3 attempts times out at 100 ms and each one’s ADD lands: n is 3', async () => {
    const r = await counter('socket');
    expect([r.n, r.writes]).toEqual([3, 3]);
    expect(r.failures).toHaveLength(1);
    expect(r.failures[0]![1]).toBe(SOCKET);
    // three attempts of 100 ms each, and the SDK’s backoffs between them
    expect(r.failures[0]![0]).toBeGreaterThan(300);
  });

  it('requestTimeout with throwOnRequestTimeout fails each attempt as the SDK’s handler does (ETIMEDOUT)', async () => {
    const r = await counter('strict');
    expect([r.n, r.writes]).toEqual([3, 3]);
    expect(r.failures.map((f) => f[1])).toEqual(['TimeoutError: @smithy/node-http-handler - [ERROR] a request has exceeded the configured 100 ms requestTimeout.']);
  });

  it('a requestTimeout the call gives, on a handler with throwOnRequestTimeout only, fails it too', async () => {
    const r = await counter('perCall');
    expect([r.n, r.writes]).toEqual([3, 3]);
    expect(r.failures.map((f) => f[1])).toEqual(['TimeoutError: @smithy/node-http-handler - [ERROR] a request has exceeded the configured 100 ms requestTimeout.']);
  });

  it('requestTimeout alone only warns in this SDK release: the call waits for its answer', async () => {
    const r = await counter('warns');
    expect([r.n, r.writes, r.failures]).toEqual([1, 1, []]);
  });

  it('the handler’s options as a plain object, and an older handler whose requestTimeout was the socket’s, time out too', async () => {
    expect(await counter('plain')).toMatchObject({ n: 3, writes: 3, failures: [[expect.any(Number), SOCKET]] });
    expect(await counter('older')).toMatchObject({ n: 3, writes: 3, failures: [[expect.any(Number), SOCKET]] });
  });

  it('a timeout longer than the answer changes nothing', async () => {
    expect(await counter('roomy')).toEqual({ n: 1, writes: 1, failures: [] });
  });
});
