import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as nodeCrypto from 'node:crypto';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { run } from '../../src/index.js';
import { javaAvailable } from '../helpers/dynamodb-local.js';
import { sequenceDiagram } from '../../src/render/mermaid/sequence.js';
import { buildTimeline } from '../../src/render/perfetto/timeline.js';
import { spacetime } from '../../src/render/spacetime/spacetime.js';
import { renderText } from '../../src/render/text.js';
import { EPOCH_MS } from '../../src/sim/simulation.js';
import type { TraceEvent } from '../../src/trace/events.js';

// Issue 13: a team's own handler in the middle, run unchanged in virtual time (fixtures in
// test/fixtures/user-apps: nothing in them refers to geosim).
const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'user-apps');
const REGIONS = ['us-east-1', 'eu-west-1'];

function scenario(application: Record<string, unknown>, steps: unknown[], extra: Record<string, unknown> = {}) {
  return { name: 'user-app', regions: REGIONS, replication: { lag: { distribution: 'fixed', ms: 1000 } }, application, steps, ...extra };
}
const event = (at: number, id: string, region: string, more: Record<string, unknown> = {}) => ({ at, event: { id, region, key: id, item: `ITEM#${id}`, data: { n: 1 }, ...more } });
const kinds = (trace: TraceEvent[], kind: TraceEvent['kind']) => trace.filter((e) => e.kind === kind);

describe('a team’s handler module in the model', () => {
  it('runs a TypeScript module per region: module-scope state and clients are the region’s, its own imports bundled, its waits virtual', async () => {
    const report = await run(
      scenario({ module: './counter.ts', env: { TABLE_NAME: 'GlobalEventTable' }, latency: '5ms' }, [
        event(0, 'a1', 'us-east-1'),
        event(0, 'b1', 'eu-west-1'),
        event(100, 'a2', 'us-east-1'),
        event(400, 'a3', 'us-east-1'),
      ]),
      { baseDir: FIXTURES },
    );
    expect(report.failures).toEqual([]);
    const us = report.final['us-east-1']!;
    // Each region's module counts its own invocations. a2 came while a1 was still running: a second
    // execution environment, a cold start, with its own count (as on Lambda, they share no module
    // state); a3 came after both ended and reused the first, warm one.
    expect([us['ITEM#a1'], us['ITEM#a2'], us['ITEM#a3']]).toMatchObject([{ invocationsHere: 1 }, { invocationsHere: 1 }, { invocationsHere: 2, region: 'us-east-1', waitedMs: 250, hits: 1 }]);
    expect(us['ITEM#b1']).toMatchObject({ invocationsHere: 1, region: 'eu-west-1', waitedMs: 250 });
    // The 250 ms timer and the 5 ms call happen in the run's time, and the two regions' first
    // invocations interleave: both write at 255 ms, neither waits for the other.
    const writes = kinds(report.trace, 'local-write').map((e) => [e.t, (e as { itemId: string }).itemId]);
    expect(writes).toEqual([
      [250, 'ITEM#a1'],
      [250, 'ITEM#b1'],
      [350, 'ITEM#a2'],
      [650, 'ITEM#a3'],
    ]);
    expect(kinds(report.trace, 'event-outcome').map((e) => [(e as { eventId: string }).eventId, e.t, (e as { outcome: string }).outcome])).toEqual([
      ['a1', 255, 'applied'],
      ['b1', 255, 'applied'],
      ['a2', 355, 'applied'],
      ['a3', 655, 'applied'],
    ]);
    expect(report.counts.effects).toEqual({ a1: 1, b1: 1, a2: 1, a3: 1 });
  });

  it('process.pid, process.ppid and os.hostname() are an execution environment’s, the same every run and on every machine (they were the machine’s: an id built from them changed run to run)', async () => {
    const report = await run(scenario({ module: './host-ids.mjs' }, [event(0, 'h1', 'us-east-1')]), { baseDir: FIXTURES });
    // through `import process from 'node:process'` too (it was the machine's process: its pid, no AWS_REGION)
    expect(report.final['us-east-1']!['ORDER#h1']).toEqual({ Id: 'ORDER#h1', fingerprint: '8-1-169.254.10.1-169.254.10.1', viaImport: '8-8-us-east-1', cpus: true });
    // geosim's own process is untouched
    expect(process.pid).not.toBe(8);
    // a signal to its own pid ends the runtime, as process.exit does (it signalled the machine's pid 8)
    const killed = await run(scenario({ module: './host-ids.mjs' }, [event(0, 'h2', 'us-east-1', { data: { kill: true } })]), { baseDir: FIXTURES });
    const failed = kinds(killed.trace, 'event-outcome')[0] as Extract<TraceEvent, { kind: 'event-outcome' }>;
    expect(failed.detail).toContain('Runtime.ExitError: Runtime exited with error: signal: terminated');
    // signal 0 asks whether it is alive: it is, and nothing ends
    const alive = await run(scenario({ module: './host-ids.mjs' }, [event(0, 'h3', 'us-east-1', { data: { alive: true } })]), { baseDir: FIXTURES });
    expect(alive.final['us-east-1']!['ALIVE#h3']).toEqual({ Id: 'ALIVE#h3', alive: true });
  });

  it('an invocation that comes while the region’s environment is busy gets one of its own (a cold start: module scope runs again, process.uptime() counts from it), so overlapping invocations share no module state; they shared one, and uptime counted from the run’s start', async () => {
    const report = await run(scenario({ module: './request-context.mjs', latency: '5ms' }, [event(0, 'e1', 'us-east-1'), event(2, 'e2', 'us-east-1'), event(100, 'e3', 'us-east-1')]), { baseDir: FIXTURES });
    const us = report.final['us-east-1']!;
    expect(['e1', 'e2', 'e3'].map((id) => us[`LOG#${id}`])).toEqual([
      { Id: 'LOG#e1', loggedAs: 'e1', invocations: 1, uptime: 0 },
      // its environment started with it, at 2 ms
      { Id: 'LOG#e2', loggedAs: 'e2', invocations: 1, uptime: 0 },
      // after both ended: the first environment, warm, up since 0 ms
      { Id: 'LOG#e3', loggedAs: 'e3', invocations: 2, uptime: 0.1 },
    ]);
    // the config read of each environment's module scope: both regions’ at the start, e2’s cold start at 2 ms
    const configReads = kinds(report.trace, 'read').filter((r) => (r as { itemId: string }).itemId === 'CONFIG') as Extract<TraceEvent, { kind: 'read' }>[];
    expect(configReads.map((r) => [r.t, r.region, r.cause])).toEqual([
      [0, 'us-east-1', 'module scope'],
      [0, 'eu-west-1', 'module scope'],
      [2, 'us-east-1', 'module scope'],
    ]);
    // each cold start is traced, before the module scope's requests (no trace event marked them)
    const starts = kinds(report.trace, 'cold-start') as Extract<TraceEvent, { kind: 'cold-start' }>[];
    expect(starts.map((e) => [e.t, e.region, e.function, e.reason, e.eventId, e.environments])).toEqual([
      [0, 'us-east-1', './request-context.mjs#handler', 'first', undefined, 1],
      [0, 'eu-west-1', './request-context.mjs#handler', 'first', undefined, 1],
      [2, 'us-east-1', './request-context.mjs#handler', 'busy', 'e2', 2],
    ]);
    expect(report.trace.indexOf(starts[2]!)).toBeLessThan(report.trace.indexOf(configReads[2]!));
    expect(renderText(report)).toMatch(/^ +2ms │ COLD START +│.*│ \.\/request-context\.mjs#handler: a new execution environment for e2 \(1 busy: now 2\); its module scope runs$/m);
    expect(spacetime(report).svg).toMatch(/<g class="st-cold"[^>]*>.*<title>COLD START \.\/request-context\.mjs#handler: a new execution environment for e2/s);
    expect(buildTimeline(report).instants.filter((i) => i.name.includes('cold-start') || i.name.includes('COLD START')).map((i) => i.region)).toEqual(['us-east-1', 'eu-west-1', 'us-east-1']);
    expect(sequenceDiagram(report).replace(/<br\/>/g, ' ').replaceAll('#58;', ':')).toContain('Note over Lambda_us_east_1,Table_us_east_1: t=2ms cold start for e2: a new execution environment (1 busy: now 2)');
  });

  it('an environment whose invocation timed out or exited is reset, as Lambda resets it: the next invocation initializes afresh; one that threw stays warm', async () => {
    const steps = [event(0, 'ok1', 'us-east-1'), event(100, 'stall', 'us-east-1'), event(5000, 'ok2', 'us-east-1'), event(5100, 'exit', 'us-east-1'), event(5200, 'ok3', 'us-east-1'), event(5300, 'ok4', 'us-east-1')];
    const report = await run(scenario({ module: './request-context.mjs', handler: 'stalls', latency: '5ms' }, steps), { baseDir: FIXTURES });
    const us = report.final['us-east-1']!;
    // ok1 and stall in the first environment; ok2 in a fresh one after the timeout; exit there too; ok3 fresh again; ok4 warm
    expect(['ok1', 'ok2', 'ok3', 'ok4'].map((id) => us[`LOG#${id}`]?.['invocations'])).toEqual([1, 1, 1, 2]);
    expect(kinds(report.trace, 'read').filter((r) => r.region === 'us-east-1').map((r) => r.t)).toEqual([0, 5000, 5200]);
    const starts = kinds(report.trace, 'cold-start').filter((e) => e.region === 'us-east-1') as Extract<TraceEvent, { kind: 'cold-start' }>[];
    expect(starts.map((e) => [e.t, e.reason, e.eventId])).toEqual([
      [0, 'first', undefined],
      [5000, 'reset', 'ok2'],
      [5200, 'reset', 'ok3'],
    ]);
  });

  it('a reset environment’s module-scope timers go with it (they ran on), an idle one’s wait for its next invocation (they ticked on), and a cold start whose module scope throws fails that invocation only (it stopped the run)', async () => {
    const steps = [event(0, 'stall', 'us-east-1'), event(100, 'a', 'us-east-1'), event(5000, 'b', 'us-east-1'), event(9000, 'c', 'us-east-1'), event(0, 'e1', 'eu-west-1'), event(600, 'e2', 'eu-west-1'), event(2000, 'e3', 'eu-west-1')];
    const logged = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    let lines: string[] = [];
    const report = await run(scenario({ module: './ticking.mjs', latency: '5ms' }, steps), { baseDir: FIXTURES }).finally(() => {
      lines = logged.mock.calls.map((c) => String(c[0]).trim());
      logged.mockRestore();
    });
    const us = report.final['us-east-1']!;
    const warm = us['LOG#a']!['environment'];
    expect([us['LOG#b']!['environment'], us['LOG#c']!['environment']]).toEqual([warm, warm]);
    const ticks = lines.map((line) => line.split(' ')).filter(([word]) => word === 'tick');
    // the stalled environment ticked at 1 s and 2 s, then timed out at 3 s and was reset (it ticked on);
    // the warm one (made at 0.1 s) ticks only while it runs an invocation, as Lambda freezes it between
    // them: at 1.1 s (a), once at 5 s for all it missed and a period later at 6 s (b), alike at 9 and 10 s (c)
    expect(ticks.filter(([, env]) => env !== warm).map(([, , n]) => n)).toEqual(['1', '2']);
    expect(ticks.filter(([, env]) => env === warm).map(([, , n]) => n)).toEqual(['1', '2', '3', '4', '5']);
    const failures = kinds(report.trace, 'lambda-attempt-failed') as Extract<TraceEvent, { kind: 'lambda-attempt-failed' }>[];
    expect(failures.map((f) => [f.region, f.t, f.message])).toEqual([
      ['eu-west-1', 600, 'the module threw while loading in a new execution environment (a cold start): Error: config not found (at ticking.mjs:7:105)'],
      ['us-east-1', 3000, 'Task timed out after 3.00 seconds'],
    ]);
    expect(report.final['eu-west-1']!['LOG#e3']).toBeDefined();
  });

  it('the streamHandler is a function of its own, as on AWS: its environments share no module state with the handler’s (they shared one instance)', async () => {
    const report = await run(scenario({ module: './two-functions.mjs', streamHandler: 'onChange', latency: '5ms' }, [event(0, 'o1', 'us-east-1'), event(50, 'o2', 'us-east-1')]), { baseDir: FIXTURES });
    const us = report.final['us-east-1']!;
    expect([us['ORDER#o1']?.['handledHere'], us['ORDER#o2']?.['handledHere']]).toEqual([1, 2]);
    expect([us['SEEN#ORDER#o1']?.['handledSeenByStream'], us['SEEN#ORDER#o2']?.['handledSeenByStream']]).toEqual([0, 0]);
  });

  it('SQS stamps a message with its own clock, not the client’s skewed one, and keeps its first receive through redeliveries (it moved, and SentTimestamp came after the receive)', async () => {
    const report = await run(scenario({ module: './sqs-attributes.mjs', event: 'sqs' }, [event(1000, 'o1', 'eu-west-1')], { clocks: { 'eu-west-1': { skew: '2s' } }, lambda: { maxReceiveCount: 2, visibilityTimeout: '30s' } }), { baseDir: FIXTURES });
    const eu = report.final['eu-west-1']!;
    const [first, second] = [eu['RECEIVE#1']!, eu['RECEIVE#2']!];
    // virtual time 1s: the queue's clock says so, whatever the sending region's clock reads
    expect(first['sent']).toBe(EPOCH_MS + 1000);
    expect(first['first']).toBeGreaterThanOrEqual(first['sent'] as number);
    expect([second['sent'], second['first']]).toEqual([first['sent'], first['first']]);
  });

  it('a write that changes nothing reaches no stream handler, in its region or where it is replicated, as DynamoDB Streams records none (each was a MODIFY)', async () => {
    const report = await run(scenario({ module: './noop-writes.mjs', streamHandler: 'onChange', latency: '5ms' }, [event(0, 'o1', 'us-east-1')]), { baseDir: FIXTURES });
    // the writing region's consumer: the first put's INSERT, not the second put's nor the update's MODIFY
    expect(report.final['us-east-1']!['SEEN#us-east-1#ORDER#o1']).toMatchObject({ records: 1, kinds: { $SS: ['INSERT'] } });
    // nor in the other region once replicated, where it changes nothing either (each was a MODIFY of equal images there)
    expect(report.final['eu-west-1']!['SEEN#eu-west-1#ORDER#o1']).toMatchObject({ records: 1, kinds: { $SS: ['INSERT'] } });
  });

  it('stream.maximumBatchingWindow gathers the stream’s records before the handler is invoked (it ran at each write’s own ms)', async () => {
    const batches = async (stream: Record<string, unknown>) => {
      const report = await run(scenario({ module: './batching-window.mjs', streamHandler: 'onChange', latency: '5ms', stream }, [event(0, 'o1', 'us-east-1'), event(300, 'o2', 'us-east-1')]), { baseDir: FIXTURES });
      return Object.entries(report.final['us-east-1']!)
        .filter(([id]) => id.startsWith('BATCH#us-east-1#'))
        .map(([id, item]) => `${Number(id.split('#')[2]) - EPOCH_MS}:${String(item['orders'])}`);
    };
    // the writes land at 0 and 300 ms (their answers come 5 ms later); a 1 s window from the first takes both at 1 s
    expect(await batches({ maximumBatchingWindow: '1s' })).toEqual(['1000:2']);
    expect(await batches({})).toEqual(['0:1', '300:1']);
  });

  it('gives the same bytes twice, and the same with another Node process', async () => {
    const file = join(FIXTURES, 'counter.yaml');
    const once = spawnSync(process.execPath, ['bin/geosim', 'run', file, '--format', 'json'], { encoding: 'utf8' });
    const twice = spawnSync(process.execPath, ['bin/geosim', 'run', file, '--format', 'json'], { encoding: 'utf8' });
    expect(once.status).toBe(0);
    expect(once.stdout.length).toBeGreaterThan(1000);
    expect(twice.stdout).toBe(once.stdout);
  });

  it('ids the handler draws from Web Crypto and node:crypto (sync and async) are the seed’s: the same bytes twice, other ids with another seed; the real functions are back after the run', async () => {
    const real = { randomBytes: nodeCrypto.randomBytes, randomFillSync: nodeCrypto.randomFillSync, randomFill: nodeCrypto.randomFill, randomInt: nodeCrypto.randomInt, getRandomValues: globalThis.crypto.getRandomValues };
    const ids = async (seed: number) => {
      const report = await run(scenario({ module: './random-ids.mjs' }, [event(0, 'r1', 'us-east-1')], { seed }), { baseDir: FIXTURES });
      expect(report.failures).toEqual([]);
      const { Id, ...drawn } = report.final['us-east-1']!['ids-r1'] as Record<string, string>;
      return { drawn, trace: JSON.stringify(report.trace) };
    };
    const once = await ids(1);
    const twice = await ids(1);
    expect(twice.drawn).toEqual(once.drawn);
    expect(twice.trace).toBe(once.trace);
    expect(Object.keys(once.drawn)).toHaveLength(9);
    const other = await ids(2);
    for (const [name, id] of Object.entries(once.drawn)) expect(other.drawn[name], name).not.toBe(id);
    const after = { randomBytes: nodeCrypto.randomBytes, randomFillSync: nodeCrypto.randomFillSync, randomFill: nodeCrypto.randomFill, randomInt: nodeCrypto.randomInt, getRandomValues: globalThis.crypto.getRandomValues };
    for (const name of Object.keys(real) as (keyof typeof real)[]) expect(after[name], name).toBe(real[name]);
    expect(Object.getOwnPropertyDescriptor(globalThis.crypto, 'getRandomValues')).toBeUndefined();
  });

  it('a throw after a write is a failed attempt whose write counts as an effect; Lambda retries an asynchronous event', async () => {
    const report = await run(scenario({ module: './failing.mjs', handler: 'throwsAfterWrite', event: 'eventbridge' }, [event(0, 'p1', 'us-east-1')], { lambda: { maximumRetryAttempts: 1, deadLetterQueue: true } }), { baseDir: FIXTURES });
    const failures = kinds(report.trace, 'lambda-attempt-failed') as Array<Extract<TraceEvent, { kind: 'lambda-attempt-failed' }>>;
    expect(failures.map((f) => [f.t, f.invocation, f.error, f.message])).toEqual([
      [5, 'async', 'throw', 'Error: payment provider said no to p1 (at failing.mjs:10:9)'],
      [60_010, 'async', 'throw', 'Error: payment provider said no to p1 (at failing.mjs:10:9)'],
    ]);
    expect(kinds(report.trace, 'dead-lettered')).toHaveLength(1);
    // Both attempts wrote before throwing: the at-most-once invariant sees two effects.
    expect(report.counts.effects).toEqual({ p1: 2 });
    expect(report.failures.map((f) => f.name)).toContain('at most one effect per idempotency key');
  });

  it('Powertools’ lock, written and deleted again by an attempt that threw before any write, is not an effect: its retry is the one', async () => {
    const steps = [event(0, 'pay-1', 'us-east-1'), { at: 10_000, retry: { of: 'pay-1', region: 'us-east-1' } }];
    const report = await run(scenario({ module: './powertools-flaky.ts', functionName: 'payments' }, steps, { expect: { items: { 'ACCOUNT#9': { captures: 1 } } } }), { baseDir: FIXTURES });
    const outcomes = kinds(report.trace, 'event-outcome') as Array<Extract<TraceEvent, { kind: 'event-outcome' }>>;
    expect(outcomes.map((o) => o.outcome)).toEqual(['failed', 'applied']);
    // the lock was written and deleted by the first attempt (the key Powertools hashes)
    expect(kinds(report.trace, 'local-write').filter((w) => w.kind === 'local-write' && w.region === 'us-east-1' && w.itemId.startsWith('payments#')).length).toBeGreaterThanOrEqual(3);
    expect(report.counts.effects).toEqual({ 'pay-1': 1 });
    expect(report.failures).toEqual([]);
    // its record is an idempotency record in every view, not data (it was listed with the items, and "idempotency records: 0")
    const recordId = Object.keys(report.final['us-east-1']!).find((id) => id.startsWith('payments#'))!;
    expect(report.records).toEqual([recordId]);
    const text = renderText(report);
    expect(text).toContain('idempotency records: us-east-1 1, eu-west-1 1');
    expect(text.slice(text.indexOf('final items'))).not.toContain('payments#');
  });

  it('crypto.subtle.digest answers at once in the run’s time (Node computes it on its thread pool, which the run cannot see): it timed out', async () => {
    const report = await run(scenario({ module: './digest.mjs' }, [event(0, 'd1', 'us-east-1')]), { baseDir: FIXTURES });
    expect(kinds(report.trace, 'lambda-attempt-failed')).toEqual([]);
    const item = report.final['us-east-1']!['digest-d1']!;
    expect(item['sha256']).toBe(nodeCrypto.createHash('sha256').update('d1').digest('hex'));
    expect(item['sha1']).toBe(nodeCrypto.createHash('sha1').update('d1').digest('hex'));
    // the real function is back after the run
    expect(Object.hasOwn(nodeCrypto.webcrypto.subtle, 'digest')).toBe(false);
  });

  it('work on Node’s thread pool (Web Crypto’s sign, pbkdf2, scrypt, hkdf, a key pair, gzip, brotli) takes no time in the run: the run’s time moved on while the pool computed, so two runs differed', async () => {
    // events 1 ms apart in both regions: had the run moved on while a pool job ran, a write would land after its event’s time
    const steps = [0, 1, 2, 3].map((at) => event(at, `p${at}`, REGIONS[at % 2]!));
    const realPbkdf2 = nodeCrypto.pbkdf2;
    const reports = [];
    for (let i = 0; i < 2; i++) reports.push(await run(scenario({ module: './pool-work.mjs', latency: '5ms' }, steps), { baseDir: FIXTURES }));
    const [report, again] = reports as [Awaited<ReturnType<typeof run>>, Awaited<ReturnType<typeof run>>];
    expect(report.failures).toEqual([]);
    const writes = kinds(report.trace, 'local-write') as Extract<TraceEvent, { kind: 'local-write' }>[];
    expect(writes.filter((w) => w.itemId.startsWith('pool-')).map((w) => [w.itemId, w.t])).toEqual([
      ['pool-p0', 0],
      ['pool-p1', 1],
      ['pool-p2', 2],
      ['pool-p3', 3],
    ]);
    const item = report.final['us-east-1']!['pool-p0']!;
    const hmac = nodeCrypto.createHmac('sha256', 'secret').update('p0').digest('hex');
    expect([item['hmac'], item['pbkdf2'], item['scrypt'], item['keyType']]).toEqual([hmac, nodeCrypto.pbkdf2Sync('p0', 'salt', 50_000, 16, 'sha256').toString('hex'), nodeCrypto.scryptSync('p0', 'salt', 16).toString('hex'), 'ed25519']);
    expect(JSON.stringify(again.trace)).toBe(JSON.stringify(report.trace));
    // the real functions are back after the run
    expect(Object.hasOwn(nodeCrypto.webcrypto.subtle, 'sign')).toBe(false);
    expect(nodeCrypto.pbkdf2).toBe(realPbkdf2);
  });

  it('node:timers/promises’ setInterval and scheduler.wait, and AbortSignal.timeout, wait in the run’s time (they waited until the Lambda timeout)', async () => {
    const report = await run(scenario({ module: './promised-timers.mjs', latency: '5ms' }, [event(0, 'w1', 'us-east-1')]), { baseDir: FIXTURES });
    expect(kinds(report.trace, 'lambda-attempt-failed')).toEqual([]);
    expect(report.final['us-east-1']!['waited-w1']).toEqual({ Id: 'waited-w1', afterInterval: 600, afterWait: 900, abortedAt49: false, reason: 'TimeoutError' });
    expect(kinds(report.trace, 'local-write').map((w) => w.t)).toEqual([950]);
  });

  it('an SDK call whose abortSignal (AbortSignal.timeout) fires before its answer gives up with AbortError in the run’s time; the write it sent stays done, as on a real table', async () => {
    const report = await run(scenario({ module: './promised-timers.mjs', handler: 'deadline', latency: '10ms' }, [event(0, 'd1', 'us-east-1')]), { baseDir: FIXTURES });
    const failures = kinds(report.trace, 'lambda-attempt-failed') as Extract<TraceEvent, { kind: 'lambda-attempt-failed' }>[];
    expect(failures.map((f) => [f.t, f.message])).toEqual([[2, 'AbortError: Request aborted']]);
    expect(report.final['us-east-1']!['late-d1']).toEqual({ Id: 'late-d1' });
    // as the SDK’s handler builds it: the signal’s reason as its cause, or as its message when not an Error
    const told = await run(scenario({ module: './promised-timers.mjs', handler: 'deadlineCause', latency: '10ms' }, [event(0, 'd2', 'us-east-1')]), { baseDir: FIXTURES });
    expect(told.final['us-east-1']!['seen-d2']!['seen']).toBe('AbortError: Request aborted (cause TimeoutError) / AbortError: shutting down');
    expect(told.final['us-east-1']!['never-d2']).toBeUndefined();
  });

  it('process.exit in a handler fails the invocation with Lambda’s Runtime.ExitError, and the run reports (it ended geosim with no report)', async () => {
    const report = await run(scenario({ module: './process-output.mjs', handler: 'exits' }, [event(0, 'x0', 'us-east-1'), event(0, 'x1', 'eu-west-1')]), { baseDir: FIXTURES });
    const failures = kinds(report.trace, 'lambda-attempt-failed') as Extract<TraceEvent, { kind: 'lambda-attempt-failed' }>[];
    expect(failures.map((f) => f.message)).toEqual(['Runtime.ExitError: Runtime exited without providing a reason (at process-output.mjs:14:11)', 'Runtime.ExitError: Runtime exited with error: exit status 3 (at process-output.mjs:14:11)']);
    // caught and gone on from: the runtime is gone all the same (it returned as if nothing happened)
    const logged = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const caught = await run(scenario({ module: './process-output.mjs', handler: 'exitsInTry' }, [event(0, 'x2', 'us-east-1')]), { baseDir: FIXTURES }).finally(() => logged.mockRestore());
    const exited = kinds(caught.trace, 'lambda-attempt-failed') as Extract<TraceEvent, { kind: 'lambda-attempt-failed' }>[];
    expect(exited.map((f) => [f.region, f.message])).toEqual([['us-east-1', 'Runtime.ExitError: Runtime exited with error: exit status 2 (at process-output.mjs:20:13)']]);
  });

  it('what the code stores on globalThis is its region’s and its run’s, as each region’s function has its own sandbox', async () => {
    const steps = [event(0, 'g1', 'us-east-1'), event(0, 'g2', 'eu-west-1')];
    for (let i = 0; i < 2; i++) {
      const report = await run(scenario({ module: './global-state.mjs' }, steps), { baseDir: FIXTURES });
      const final = report.final['us-east-1']!;
      expect([final['seen-g1-us-east-1'], final['seen-g2-eu-west-1']].map((item) => item && [item['loads'], item['cachedFor'], item['sameObject']])).toEqual([
        [1, 'us-east-1', true],
        [1, 'eu-west-1', true],
      ]);
    }
    expect('loads' in globalThis).toBe(false);
  });

  it('that global behaves as a global of its own: non-configurable and read-only names, accessors, deletes, Node’s own getters', async () => {
    const report = await run(scenario({ module: './global-state.mjs', handler: 'globalChecks' }, [event(0, 'c1', 'us-east-1')]), { baseDir: FIXTURES });
    expect(report.failures).toEqual([]);
    expect(report.final['us-east-1']!['checks-c1']).toEqual({ Id: 'checks-c1', singleton: true, readOnlyKept: true, accessorThis: true, deleted: true, nodeGetter: true, prototype: true, undefinedFixed: true });
    expect('__SINGLETON__' in globalThis).toBe(false);
    expect(typeof globalThis.fetch).toBe('function');
  });

  it('an error thrown in a file the handler imports names that file and line, relative to the module (the same in the CLI, where Node maps the stack, as under vitest)', async () => {
    const report = await run(scenario({ module: './profile.ts' }, [event(0, 'c1', 'us-east-1')]), { baseDir: FIXTURES });
    const message = "TypeError: Cannot read properties of undefined (reading 'name') (at lib/customer.ts:4:19)";
    expect(kinds(report.trace, 'lambda-attempt-failed').map((e) => (e as { message: string }).message)).toEqual([message]);
    expect(kinds(report.trace, 'event-outcome').map((e) => (e as { detail?: string }).detail)).toEqual([`throw: ${message}`]);
    // Run from the fixtures' directory, so no absolute path is expected anywhere in the output.
    const cli = spawnSync(process.execPath, [join(import.meta.dirname, '..', '..', 'bin', 'geosim'), 'run', 'profile.yaml', '--format', 'text'], { encoding: 'utf8', cwd: FIXTURES });
    expect(cli.stdout).toContain(`c1 failed (throw: ${message})`);
    expect(cli.stdout).not.toContain(FIXTURES);
  });

  it('a handler that never settles times out at lambda.timeout in the run’s time', async () => {
    const report = await run(scenario({ module: './failing.mjs', handler: 'hangs' }, [event(0, 'h1', 'eu-west-1')], { lambda: { timeout: '5s' } }), { baseDir: FIXTURES });
    const failure = kinds(report.trace, 'lambda-attempt-failed')[0] as Extract<TraceEvent, { kind: 'lambda-attempt-failed' }>;
    expect([failure.t, failure.error, failure.message]).toEqual([5000, 'timeout', 'Task timed out after 5.00 seconds']);
    expect(report.endedAt).toBe(5000);
  });

  it('a call to a real URL fails the invocation, naming it, and fails the run', async () => {
    const report = await run(scenario({ module: './failing.mjs', handler: 'callsTheInternet' }, [event(0, 'n1', 'us-east-1')]), { baseDir: FIXTURES });
    const failure = kinds(report.trace, 'lambda-attempt-failed')[0] as Extract<TraceEvent, { kind: 'lambda-attempt-failed' }>;
    expect(failure.message).toMatch(/fetch\(https:\/\/payments\.example\.com\/charge\)/);
    expect(kinds(report.trace, 'handler-problem').map((e) => [(e as { problem: string }).problem, (e as { eventId: string }).eventId])).toEqual([['refused', 'n1']]);
    expect(report.failures.map((f) => f.name)).toEqual(['your handler stayed inside the model']);
  });

  it('the SDK’s aggregated client (DynamoDB, also under DynamoDBDocument, and its paginators) writes to the run’s replicas, not to AWS', async () => {
    const report = await run(scenario({ module: './aggregated-client.mjs' }, [event(0, 'g1', 'eu-west-1')]), { baseDir: FIXTURES });
    expect(report.failures).toEqual([]);
    const writes = kinds(report.trace, 'local-write').map((e) => [(e as { region: string }).region, (e as { itemId: string }).itemId]);
    // the Document client's region is the one its code names, as on AWS
    expect(writes).toEqual([
      ['eu-west-1', 'AGG#g1'],
      ['us-east-1', 'DOC#g1'],
      ['eu-west-1', 'SEEN#g1'],
    ]);
    // the scans saw eu-west-1's replica: AGG#g1 only (DOC#g1 was written in us-east-1, still replicating)
    expect(report.final?.['eu-west-1']?.['SEEN#g1']).toMatchObject({ seen: 2 });
  });

  it('the handler’s local time is UTC, as on Lambda, whatever the machine’s zone; the zone is the machine’s again after the run', async () => {
    const zone = process.env.TZ;
    process.env.TZ = 'America/Los_Angeles';
    try {
      const report = await run(scenario({ module: './local-time.mjs' }, [event(0, 'z1', 'us-east-1')]), { baseDir: FIXTURES });
      expect(report.final?.['us-east-1']?.['CLOCK#1']).toMatchObject({ local: '2026-1-1 0h offset 0', tz: ':UTC' });
      expect(new Date(0).getTimezoneOffset()).toBe(480);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('geosim runs in UTC from its start, so explore’s worker threads see UTC too (a thread keeps the zone of its first local date)', { timeout: 60_000 }, () => {
    // (10 s: a thread joins a search with 3 s left after its first blocks, which a loaded machine slows)
    const r = spawnSync(process.execPath, ['bin/geosim', 'explore', join(FIXTURES, 'local-time.yaml'), '--time', '10s', '--workers', '2'], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, TZ: 'America/Los_Angeles' },
    });
    expect(r.stdout).toContain('ran on this thread and 1 worker thread');
    expect(r.stdout.trimEnd().split('\n').at(-1), r.stdout + r.stderr).toMatch(/^explored \d+ runs: 0 failed$/);
    expect(r.status).toBe(0);
  });

  it('an error thrown after the invocation returned is the team’s, not geosim’s: a rejection nobody awaited is reported and fails the run; a timer’s throw comes in the next invocation, which it crashes, as on Lambda', async () => {
    const steps = [event(0, 'l1', 'us-east-1'), event(100, 'l2', 'eu-west-1'), event(200, 'l3', 'us-east-1')];
    const rejected = await run(scenario({ module: './failing.mjs', handler: 'lateReject' }, steps), { baseDir: FIXTURES });
    const problems = kinds(rejected.trace, 'handler-problem') as Array<Extract<TraceEvent, { kind: 'handler-problem' }>>;
    expect(problems[0]).toMatchObject({ problem: 'late-error', eventId: 'l1', t: 0, message: 'Error: audit log unreachable (at failing.mjs:35:18)' });
    expect(rejected.failures.map((f) => f.name)).toEqual(['your handler stayed inside the model']);
    // l1's timer comes due at 50 ms while us-east-1's environment is frozen: it throws as l3 starts there
    const thrown = await run(scenario({ module: './failing.mjs', handler: 'lateThrow' }, steps), { baseDir: FIXTURES });
    const failures = kinds(thrown.trace, 'lambda-attempt-failed') as Extract<TraceEvent, { kind: 'lambda-attempt-failed' }>[];
    expect(failures.map((f) => [f.t, f.region, f.message])).toEqual([[200, 'us-east-1', 'Uncaught Error: flush failed (at failing.mjs:29:11)']]);
    // a rejection of a promise l1 left behind alike (it was only reported late, and l3 went on)
    const rejectedLate = await run(scenario({ module: './failing.mjs', handler: 'lateRejectTimer' }, steps), { baseDir: FIXTURES });
    const crashed = kinds(rejectedLate.trace, 'lambda-attempt-failed') as Extract<TraceEvent, { kind: 'lambda-attempt-failed' }>[];
    expect(crashed.map((f) => [f.t, f.region, f.message.replace(/ \(at .*\)$/, '')])).toEqual([[200, 'us-east-1', 'Uncaught Error: async flush failed']]);
  });

  it('an environment is frozen between invocations, as on Lambda: a module-scope interval that writes ticks only while it works (it kept the run going to the horizon), a timer left behind fires in the next invocation', async () => {
    // (a horizon of a minute: ticking on, it ran to the default ten years)
    const beats = await run(scenario({ module: './heartbeat.mjs', latency: '5ms' }, [event(0, 'h1', 'us-east-1'), event(2000, 'h2', 'us-east-1')]), { baseDir: FIXTURES, horizon: 60_000 });
    expect(beats.stopped).toBeUndefined();
    // each invocation lasts its 5 ms put: no tick of the interval (every 100 ms from 0) falls in h1's;
    // h2's thaw runs the ones it missed, once (the tick due at 2 s with them); the run ends when that
    // write has replicated (1 s)
    const heartbeats = kinds(beats.trace, 'local-write').filter((e) => (e as { itemId: string }).itemId.startsWith('HEARTBEAT#'));
    expect(heartbeats.map((e) => [e.t, e.region])).toEqual([[2000, 'us-east-1']]);
    expect(beats.endedAt).toBe(3000);
    const late = await run(scenario({ module: './heartbeat.mjs', handler: 'leavesWrite', latency: '5ms' }, [event(0, 'l1', 'us-east-1'), event(0, 'e1', 'eu-west-1'), event(2000, 'l2', 'us-east-1')]), { baseDir: FIXTURES });
    const lateWrites = (report: Awaited<ReturnType<typeof run>>) => kinds(report.trace, 'local-write').filter((e) => (e as { itemId: string }).itemId.startsWith('LATE#')).map((e) => [e.t, (e as { itemId: string }).itemId, (e as { cause?: string }).cause]);
    // l1's timer (due at 50 ms) fires when us-east-1's environment next works, still l1's work; e1's never does
    expect(lateWrites(late)).toEqual([[2000, 'LATE#l1', 'l1']]);
    // the module scope's ticks are no event's (a warm-up write was counted as the next event's effect)
    expect(new Set(heartbeats.map((e) => (e as { cause?: string }).cause))).toEqual(new Set(['module scope']));
    // a timer left behind that comes due while a later invocation works there fires then (it was lost)
    const during = await run(scenario({ module: './heartbeat.mjs', handler: 'leavesWrite', latency: '5ms' }, [event(0, 'l1', 'us-east-1'), event(20, 'slow1', 'us-east-1')]), { baseDir: FIXTURES });
    expect(lateWrites(during)).toEqual([[50, 'LATE#l1', 'l1'], [70, 'LATE#slow1', 'slow1']]);
    // thawed by an invocation that returns at once: its write goes out still (the SDK reached the table after the return)
    const quick = await run(scenario({ module: './heartbeat.mjs', handler: 'returnsAtOnce', latency: '5ms' }, [event(0, 'l1', 'us-east-1'), event(2000, 'l2', 'us-east-1')]), { baseDir: FIXTURES });
    expect(lateWrites(quick)).toEqual([[2000, 'LATE#l1', 'l1']]);
  });

  it('imported timers freeze too: node:timers’ setInterval and a for-await heartbeat over node:timers/promises tick only while their environment works (they kept the run going)', async () => {
    const report = await run(scenario({ module: './imported-timers.mjs', latency: '5ms' }, [event(0, 'i1', 'us-east-1'), event(5000, 'i2', 'us-east-1')]), { baseDir: FIXTURES, horizon: 60_000 });
    expect(report.stopped).toBeUndefined();
    const us = report.final['us-east-1']!;
    // i1 works 0-250 ms: ticks at 100 and 200; i2 at 5 s: the missed one at once, then 5.1 and 5.2 s
    expect([us['IMPORTED#us-east-1']?.['n'], us['ITERATED#us-east-1']?.['n']]).toEqual([5, 5]);
    expect(report.final['us-east-1']!['IMPORTED#eu-west-1']).toBeUndefined();
  });

  it('a module-scope timer’s throw or rejection crashes the invocation its own environment runs, not the latest anywhere (it crashed another region’s)', async () => {
    const report = await run(scenario({ module: './region-throw.mjs' }, [event(0, 'u1', 'us-east-1'), event(50, 'e1', 'eu-west-1')]), { baseDir: FIXTURES });
    const failures = kinds(report.trace, 'lambda-attempt-failed') as Extract<TraceEvent, { kind: 'lambda-attempt-failed' }>[];
    expect(failures.map((f) => [f.t, f.region, f.message])).toEqual([[100, 'us-east-1', 'Uncaught Error: health check failed in us-east-1 (at region-throw.mjs:5:11)']]);
    // an async check’s rejection alike (it crashed eu-west-1’s)
    const rejected = await run(scenario({ module: './region-throw.mjs', env: { ASYNC: '1' } }, [event(0, 'u1', 'us-east-1'), event(50, 'e1', 'eu-west-1')]), { baseDir: FIXTURES });
    const rejections = kinds(rejected.trace, 'lambda-attempt-failed') as Extract<TraceEvent, { kind: 'lambda-attempt-failed' }>[];
    expect(rejections.map((f) => [f.t, f.region])).toEqual([[100, 'us-east-1']]);
  });

  it('a module-scope setInterval neither keeps the run going nor stretches it to the function timeout', async () => {
    const report = await run(scenario({ module: './interval.mjs' }, [event(0, 'i1', 'us-east-1'), event(1000, 'i2', 'us-east-1')], { lambda: { timeout: '900s' } }), { baseDir: FIXTURES });
    expect(report.endedAt).toBe(1000);
    expect(report.passed).toBe(true);
  });

  it('a synchronous loop is ended by the wall-clock watchdog with a clear message (exit 2, a limit as --horizon; it was 1, an assertion’s)', () => {
    // 3 s, not less: the module's own scope (the SDK bundle it imports) counts too, and on a busy
    // 2-core CI machine it has taken over 1 s; the loop must be what trips the watchdog.
    const r = spawnSync(process.execPath, ['bin/geosim', 'run', join(FIXTURES, 'spins.yaml'), '--sync-limit', '3s', '--format', 'text'], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/\.\/failing\.mjs#spins in us-east-1 \(s1\): the handler ran [\d.]+ s of wall-clock time without yielding \(a synchronous loop\?\)/);
    expect(r.stderr).toMatch(/--sync-limit/);
    expect(r.stderr).not.toMatch(/ at .*\.js:\d+/);
  });

  it('run() from a test suite whose runner makes process.exit throw (vitest\'s forks): a stuck handler still ends the process at once, exit 2, the message once, naming syncLimitMs', { timeout: 60_000 }, () => {
    // Without the fallback the throw ended only the watchdog's hook: the loop ran on and the hook
    // fired again every poll, a test suite hanging until its CI job timed out.
    const script = `process.exit = (code) => { throw new Error('process.exit unexpectedly called with "' + code + '"'); };
      const { run } = await import(${JSON.stringify(join(process.cwd(), 'dist/index.js'))});
      await run(${JSON.stringify(join(FIXTURES, 'spins.yaml'))}, { syncLimitMs: 2000 });
      console.log('run() returned');`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 45_000 });
    expect(r.status, r.stderr.slice(0, 2000)).toBe(2);
    expect(r.stdout).not.toContain('run() returned');
    const messages = r.stderr.match(/without yielding \(a synchronous loop\?\)/g) ?? [];
    expect(messages).toHaveLength(1);
    expect(r.stderr).toContain('(the limit is 2.0 s (syncLimitMs))');
  });

  // --workers 2 runs in this thread first, and starts its worker thread once the search has seconds
  // left: --time 60s does. spins-in-worker.yaml's handler loops in a worker thread only. Each case
  // takes the 3 s limit and a start of geosim (and of the thread): a test each, with room for a busy machine.
  it.each<[string, string, string, RegExp]>([
    // and the run it was in: the search reaches it again with --runs one past it
    ['this thread (--workers 1)', '1', 'spins.yaml', /^explore run 0 of seed 1 \(rerun with --seed 1 --runs 1\): \.\/failing\.mjs#spins in us-east-1 \(s1\)/m],
    ['this thread (--workers 2)', '2', 'spins.yaml', /^explore run 0 of seed 1 \(rerun with --seed 1 --runs 1\): \.\/failing\.mjs#spins in us-east-1 \(s1\)/m],
    // a worker thread's names the runs it was in, and how to see which handler
    ['a worker thread (--workers 2), whose watchdog cannot interrupt it', '2', 'spins-in-worker.yaml', /^explore: one of runs \d+-\d+ \(--workers 1 names its handler and event\)/m],
  ])('explore stops on a synchronous loop too: in %s', { timeout: 60_000 }, (_where, workers, file, names) => {
    const r = spawnSync(process.execPath, ['bin/geosim', 'explore', join(FIXTURES, file), '--time', '60s', '--workers', workers, '--sync-limit', '3s'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, `${file} --workers ${workers}: ${r.stderr}`).toBe(2);
    expect(r.stderr).toMatch(/the handler ran [\d.]+ s of wall-clock time without yielding \(a synchronous loop\?\); geosim cannot interrupt it and stopped the run \(the limit is 3\.0 s \(--sync-limit\)\)/);
    expect(r.stderr).toMatch(names);
    expect(r.stderr).not.toMatch(/ at .*\.js:\d+/);
  });
});

describe('a team’s API Gateway proxy handler', () => {
  const proxyRun = (handler: string) => run(scenario({ module: './proxy-responses.mjs', handler, event: 'apigateway' }, [event(0, 'o1', 'us-east-1')]), { baseDir: FIXTURES });

  it.each([
    ['objectBody', 'API Gateway answered HTTP 502: malformed Lambda proxy response (body is object, not a string (JSON.stringify it))'],
    ['noStatus', 'API Gateway answered HTTP 502: malformed Lambda proxy response (no statusCode)'],
    ['nothing', 'API Gateway answered HTTP 502: malformed Lambda proxy response (the handler returned nothing, not { statusCode, body })'],
    ['circular', /then function-error: the handler's result cannot be sent as JSON \(Converting circular structure to JSON/],
  ])('a response API Gateway cannot read, or the runtime cannot send (%s), is the client’s failure, not a success', async (handler, message) => {
    const report = await proxyRun(handler);
    const outcome = kinds(report.trace, 'event-outcome')[0] as Extract<TraceEvent, { kind: 'event-outcome' }>;
    // it wrote the order first: applied, and then the failure the client saw
    expect(outcome.outcome).toBe('applied');
    expect(outcome.detail).toMatch(message);
  });

  it('a well-formed response passes as it did, a status code given as a string too (AWS’s blueprints answer one); a 5xx string is the client’s failure', async () => {
    const report = await proxyRun('fine');
    const outcome = kinds(report.trace, 'event-outcome')[0] as Extract<TraceEvent, { kind: 'event-outcome' }>;
    expect([outcome.outcome, outcome.detail]).toEqual(['applied', '1 data write or call']);
    const strings = await run(scenario({ module: './proxy-responses.mjs', handler: 'stringStatus', event: 'apigateway' }, [event(0, 'o1', 'us-east-1'), event(0, 'o2', 'us-east-1')]), { baseDir: FIXTURES });
    expect(kinds(strings.trace, 'event-outcome').map((e) => (e as { detail?: string }).detail)).toEqual(['1 data write or call', '1 data write or call, then function-error: the handler answered HTTP 503']);
  });
});

describe('a team’s SQS consumer and stream consumer', () => {
  const sqsRun = (handler: string, lambda: Record<string, unknown> = {}) =>
    run(scenario({ module: './batch-responses.mjs', handler, event: 'sqs' }, [event(0, 'o1', 'us-east-1'), event(0, 'o2', 'us-east-1')], { lambda: { maxReceiveCount: 2, visibilityTimeout: '30s', ...lambda } }), { baseDir: FIXTURES });

  it.each([
    ['orderId', 'batchItemFailures named "ORDER#o1", not the messageId of a message of the batch'],
    ['nullId', 'an itemIdentifier in batchItemFailures is null, not a string'],
    ['emptyId', 'an itemIdentifier in batchItemFailures is empty'],
    ['misspelt', 'an entry of batchItemFailures has no itemIdentifier (keys: itemIdentifer)'],
    ['notAList', /^batchItemFailures is "[^"]+", not a list$/],
  ])('a batch response naming a failure the wrong way (%s) fails the whole batch, as Lambda reads it: every message comes back, then goes to the dead-letter queue', async (handler, message) => {
    const report = await sqsRun(handler);
    const failures = kinds(report.trace, 'lambda-attempt-failed') as Array<Extract<TraceEvent, { kind: 'lambda-attempt-failed' }>>;
    expect(failures.map((f) => [f.t, f.eventIds.join()])).toEqual([
      // each receive's two 5 ms writes: the batch fails as it returns, and is received again 30 s after the first receive
      [10, 'o1,o2'],
      [30_010, 'o1,o2'],
    ]);
    for (const f of failures) expect(f.message).toMatch(message);
    expect(kinds(report.trace, 'dead-lettered').map((e) => (e as { eventId: string }).eventId)).toEqual(['o1', 'o2']);
    expect(kinds(report.trace, 'event-outcome').map((e) => (e as { outcome: string }).outcome)).toEqual(['applied', 'applied', 'applied', 'applied']);
    // each attempt wrote its order: the second receive wrote it again
    expect(report.counts.effects).toEqual({ o1: 2, o2: 2 });
  });

  it.each(['nullList', 'noResponse'])('a null list or no response (%s) is a complete success: nothing comes back', async (handler) => {
    const report = await sqsRun(handler);
    expect(kinds(report.trace, 'lambda-attempt-failed')).toEqual([]);
    expect(report.counts.effects).toEqual({ o1: 1, o2: 1 });
  });

  it('without ReportBatchItemFailures Lambda reads nothing of the response: a wrong identifier fails nothing, and a message it names is not traced as failed', async () => {
    const report = await sqsRun('orderId', { reportBatchItemFailures: false });
    expect(kinds(report.trace, 'lambda-attempt-failed')).toEqual([]);
    expect(kinds(report.trace, 'event-outcome').map((e) => (e as { outcome: string }).outcome)).toEqual(['applied', 'applied']);
    expect(report.counts.effects).toEqual({ o1: 1, o2: 1 });
    // a right identifier: the message is deleted with the batch, so its attempt did not fail (it did nothing)
    const named = await run(scenario({ module: './sqs-batch.mjs', event: 'sqs' }, [event(0, 'bad', 'us-east-1', { type: 'Poison' })], { lambda: { reportBatchItemFailures: false } }), { baseDir: FIXTURES });
    expect(kinds(named.trace, 'event-outcome').map((e) => (e as { outcome: string }).outcome)).toEqual(['duplicate']);
    expect(kinds(named.trace, 'lambda-attempt-failed')).toEqual([]);
  });

  it('a Time to Live delete reaches the stream handler with the service’s userIdentity in the region that expired it; the replicated delete elsewhere carries none (it reached it without one)', async () => {
    // the second event keeps the run going past the first session's expiry at 5 s
    const report = await run(scenario({ module: './ttl-archive.mjs', streamHandler: 'archive', stream: { eventNames: ['REMOVE'] } }, [event(0, 's1', 'eu-west-1'), event(20_000, 's2', 'eu-west-1')]), { baseDir: FIXTURES });
    const us = report.final['us-east-1']!;
    // the first region runs Time to Live; each region's consumer archived the delete it saw
    expect(us['ARCHIVE#SESSION#s1#us-east-1']).toMatchObject({ expired: true });
    expect(us['ARCHIVE#SESSION#s1#eu-west-1']).toMatchObject({ expired: false });
    expect(us['SESSION#s1']).toBeUndefined();
  });

  it('a stream consumer naming a record of its batch and a sequence number that is not fails the whole batch (it checkpointed the records before the first)', async () => {
    const report = await run(
      scenario({ module: './batch-responses.mjs', handler: 'noResponse', event: 'sqs', streamHandler: 'streamStranger', stream: { eventNames: ['INSERT'], maximumRetryAttempts: 1 } }, [event(0, 'o1', 'us-east-1'), event(0, 'o2', 'us-east-1')]),
      { baseDir: FIXTURES },
    );
    const failures = kinds(report.trace, 'lambda-attempt-failed') as Array<Extract<TraceEvent, { kind: 'lambda-attempt-failed' }>>;
    expect(failures.length).toBeGreaterThanOrEqual(2);
    expect(failures.every((f) => f.message === 'batchItemFailures named "not-a-sequence-number", not the sequence number of a record of the batch')).toBe(true);
  });

  it('a stream consumer’s batchItemFailures retry its batch from the record named; without ReportBatchItemFailures on the mapping Lambda ignores them, a wrong identifier too, and the batch succeeds', async () => {
    const streamRun = (streamHandler: string, stream: Record<string, unknown>) =>
      run(scenario({ module: './batch-responses.mjs', handler: 'noResponse', event: 'sqs', streamHandler, stream: { eventNames: ['INSERT'], maximumRetryAttempts: 1, ...stream } }, [event(0, 'o1', 'us-east-1')]), { baseDir: FIXTURES });
    const failed = (report: Awaited<ReturnType<typeof streamRun>>) => kinds(report.trace, 'lambda-attempt-failed').length;
    // the default (infra/template.yaml deploys the mapping with it): the named record is retried
    expect(failed(await streamRun('streamLastOrder', {}))).toBeGreaterThanOrEqual(2);
    expect(failed(await streamRun('streamLastOrder', { reportBatchItemFailures: true }))).toBeGreaterThanOrEqual(2);
    for (const handler of ['streamLastOrder', 'streamStranger', 'streamNullId']) {
      const report = await streamRun(handler, { reportBatchItemFailures: false });
      expect([handler, failed(report), kinds(report.trace, 'stream-records-discarded').length]).toEqual([handler, 0, 0]);
    }
  });

  it('a stream consumer reporting a null itemIdentifier fails its batch, which is retried', async () => {
    const report = await run(
      scenario({ module: './batch-responses.mjs', handler: 'noResponse', event: 'sqs', streamHandler: 'streamNullId', stream: { eventNames: ['INSERT'], maximumRetryAttempts: 1 } }, [event(0, 'o1', 'us-east-1')]),
      { baseDir: FIXTURES },
    );
    const failures = kinds(report.trace, 'lambda-attempt-failed') as Array<Extract<TraceEvent, { kind: 'lambda-attempt-failed' }>>;
    expect(failures.length).toBeGreaterThanOrEqual(2);
    expect(failures.every((f) => f.message === 'an itemIdentifier in batchItemFailures is null, not a string')).toBe(true);
  });

  it('an SQS batch with one failing record: only that message comes back, then reaches the dead-letter queue', async () => {
    const report = await run(
      scenario({ module: './sqs-batch.mjs', event: 'sqs', streamHandler: 'onTableChange', stream: { eventNames: ['INSERT'] } }, [
        event(0, 'o1', 'us-east-1'),
        event(0, 'bad', 'us-east-1', { type: 'Poison' }),
        event(0, 'o2', 'us-east-1'),
      ], { lambda: { maxReceiveCount: 2, visibilityTimeout: '30s' } }),
      { baseDir: FIXTURES },
    );
    const failures = kinds(report.trace, 'lambda-attempt-failed') as Array<Extract<TraceEvent, { kind: 'lambda-attempt-failed' }>>;
    // One batch of three; `bad` is reported in batchItemFailures, received again 30 s later, fails
    // again and, at its second receive's end, moves to the dead-letter queue.
    expect(failures.map((f) => [f.t, f.invocation, f.eventIds.join(), f.message])).toEqual([
      // o1 and o2 each make one 5 ms call before the batch returns at 10 ms.
      [10, 'sqs', 'bad', 'batchItemFailures named 1 of 3 messages'],
      [30_000, 'sqs', 'bad', 'batchItemFailures named 1 of 1 message'],
    ]);
    expect(kinds(report.trace, 'dead-lettered').map((e) => (e as { eventId: string }).eventId)).toEqual(['bad']);
    const outcomes = kinds(report.trace, 'event-outcome').map((e) => [(e as { eventId: string }).eventId, (e as { outcome: string }).outcome]);
    expect(outcomes).toEqual([
      ['o1', 'applied'],
      ['bad', 'failed'],
      ['o2', 'applied'],
      ['bad', 'failed'],
    ]);
    // Each record's writes and its SendMessage are credited to its own event.
    const effects = kinds(report.trace, 'side-effect').map((e) => [(e as { eventId: string }).eventId, (e as { service: string }).service, (e as { operation: string }).operation]);
    expect(effects).toEqual([
      ['o1', 'sqs', 'SendMessage'],
      ['o2', 'sqs', 'SendMessage'],
    ]);
    expect(report.counts.effects).toEqual({ o1: 1, o2: 1 });
    expect(report.final['us-east-1']!['ORDER#o1']).toMatchObject({ receiveCount: 1 });
    // The stream consumer in each region saw both orders' INSERTs, local and replicated.
    expect(report.final['us-east-1']!['SEEN#us-east-1']).toMatchObject({ orders: 2 });
    expect(report.final['eu-west-1']!['SEEN#eu-west-1']).toMatchObject({ orders: 2 });
  });
});

describe('an SQS batch whose handler parses every body before its first write', () => {
  it('credits each write and recorded call to the record it names, so a retry’s second charge fails at-most-once', async () => {
    const report = await run(
      scenario({ module: './sqs-batch.mjs', handler: 'parsesAllFirst', event: 'sqs' }, [
        event(0, 'p1', 'us-east-1'),
        event(0, 'p2', 'us-east-1'),
        { at: 0, retry: { of: 'p1', region: 'eu-west-1' } },
      ]),
      { baseDir: FIXTURES },
    );
    const writes = kinds(report.trace, 'local-write').map((e) => [(e as { itemId: string }).itemId, (e as { cause?: string }).cause]);
    expect(writes).toEqual(expect.arrayContaining([
      ['CHARGE#p1#us-east-1', 'p1'],
      ['CHARGE#p1#eu-west-1', 'p1'],
      ['CHARGE#p2#us-east-1', 'p2'],
    ]));
    const effects = kinds(report.trace, 'side-effect').map((e) => [(e as { region: string }).region, (e as { eventId: string }).eventId]);
    expect(effects).toEqual(expect.arrayContaining([['us-east-1', 'p1'], ['us-east-1', 'p2'], ['eu-west-1', 'p1']]));
    expect(report.failures.map((f) => f.name)).toEqual(['at most one effect per idempotency key']);
    expect(report.counts.effects).toMatchObject({ p1: 2, p2: 1 });
  });

  it('a write that names the record the code is working on stays that record’s, though it names another record’s event too', async () => {
    // a1 redelivered well after its claim replicated, in one batch with b1, an event about order a1
    const report = await run(
      scenario({ module: './sqs-batch.mjs', handler: 'perRecordClaim', event: 'sqs' }, [
        { at: 0, event: { id: 'a1', region: 'eu-west-1', key: 'a1', item: 'ORDER#a1', data: { n: 1 } } },
        { at: 5000, retry: { of: 'a1', region: 'us-east-1' } },
        { at: 5000, event: { id: 'b1', region: 'us-east-1', key: 'b1', item: 'ORDER#a1', data: { n: 2 } } },
      ]),
      { baseDir: FIXTURES },
    );
    expect(report.failures).toEqual([]);
    const writes = kinds(report.trace, 'local-write').filter((e) => (e as { region: string }).region === 'us-east-1');
    expect(writes.map((e) => [(e as { itemId: string }).itemId, (e as { cause?: string }).cause])).toEqual([
      ['IDEMPOTENCY#b1', 'b1'],
      ['ORDER#a1', 'b1'],
    ]);
  });
});

describe('a team’s handler’s reads', () => {
  /** What each read saw, in trace order: region, operation, item, consistency, what it found, and for which event. */
  const reads = (trace: TraceEvent[]) =>
    kinds(trace, 'read').map((e) => {
      const r = e as Extract<TraceEvent, { kind: 'read' }>;
      return [r.region, r.request?.operation, r.itemId, r.consistency, r.items !== undefined ? `${r.items.length} items` : r.item === null ? 'absent' : 'found', r.cause];
    });
  const perAttempt = (region: string) => [
    [region, 'GetItem', 'IDEMPOTENCY#e1', 'eventual', 'absent', 'e1'],
    [region, 'BatchGetItem', 'CUSTOMER#7', 'strong', 'found', 'e1'],
    [region, 'BatchGetItem', 'IDEMPOTENCY#e1', 'strong', 'absent', 'e1'],
    [region, 'TransactGetItems', 'CUSTOMER#7', 'strong', 'found', 'e1'],
    [region, 'Query', 'IdempotencyIndex: IdempotencyKey = :k', 'eventual', '0 items', 'e1'],
  ];

  it('are traced with the event being handled, so the views show the retry reading nothing where the claim had not arrived', async () => {
    const report = await run('read-then-claim.yaml', { baseDir: FIXTURES });
    expect(report.failures.map((f) => f.name)).toEqual(['at most one effect per idempotency key']);
    expect(reads(report.trace)).toEqual([...perAttempt('us-east-1'), ...perAttempt('eu-west-1')]);
    // a read is not an effect: one charge per region
    expect(report.counts.effects).toEqual({ e1: 2 });
    const text = renderText(report);
    expect(text).toMatch(/1\.3s │\s+│ READ\s+│\s+│ IDEMPOTENCY#e1 \(eventual\) for e1 → \(absent\)/);
    // Mermaid: the replica answers the Lambda that asked, not the client
    expect(sequenceDiagram(report)).toContain('Table_eu_west_1-->>Lambda_eu_west_1: t=1.3s eventual read IDEMPOTENCY#35;e1 (not<br/>found)');
  });

  it('in an SQS batch each item read is credited to the record its key names; the init code’s read is the function’s', async () => {
    const report = await run(
      scenario({ module: './batch-reads.mjs', event: 'sqs' }, [event(0, 'a1', 'us-east-1'), event(0, 'b2', 'us-east-1'), event(0, 'c3', 'us-east-1')]),
      { baseDir: FIXTURES },
    );
    expect(report.failures).toEqual([]);
    const causes = kinds(report.trace, 'read').map((e) => [(e as { region: string }).region, (e as { itemId: string }).itemId, (e as { cause?: string }).cause]);
    // the module loads once per region (each region's function has its own)
    expect(causes).toEqual([
      ['us-east-1', 'SETTINGS', 'module scope'],
      ['eu-west-1', 'SETTINGS', 'module scope'],
      ['us-east-1', 'IDEMPOTENCY#a1', 'a1'],
      ['us-east-1', 'IDEMPOTENCY#b2', 'b2'],
      ['us-east-1', 'IDEMPOTENCY#c3', 'c3'],
    ]);
    expect(sequenceDiagram(report)).toContain('Table_us_east_1-->>Lambda_us_east_1: t=0ms eventual read SETTINGS (not found)');
  });

  it('a request for a table that is not there names it and the scenario’s tables (DynamoDB’s answer names neither)', async () => {
    const report = await run(scenario({ module: './wrong-table.mjs' }, [event(0, 'a1', 'us-east-1')]), { baseDir: FIXTURES });
    const failed = kinds(report.trace, 'lambda-attempt-failed') as Extract<TraceEvent, { kind: 'lambda-attempt-failed' }>[];
    expect(failed).toHaveLength(1);
    expect(failed[0]!.message).toContain(`Requested resource not found: no table "GlobalEventTabel" (the scenario's tables: GlobalEventTable)`);
  });

  it('a table named by its ARN works in its region; in another region the answer says whose ARN it is and where the request went (it said no table named so, naming it)', async () => {
    const env = { TABLE_ARN: 'arn:aws:dynamodb:us-east-1:123456789012:table/GlobalEventTable' };
    const report = await run(scenario({ module: './table-arn.mjs', env }, [event(0, 'a1', 'us-east-1'), event(0, 'b2', 'eu-west-1')]), { baseDir: FIXTURES });
    const writes = kinds(report.trace, 'local-write') as Extract<TraceEvent, { kind: 'local-write' }>[];
    expect(writes.map((w) => [w.region, w.itemId])).toEqual([['us-east-1', 'ITEM#a1']]);
    const failed = kinds(report.trace, 'lambda-attempt-failed') as Extract<TraceEvent, { kind: 'lambda-attempt-failed' }>[];
    expect(failed[0]).toMatchObject({ region: 'eu-west-1' });
    expect(failed[0]!.message).toContain(`Requested resource not found: "${env.TABLE_ARN}" is the ARN of GlobalEventTable in us-east-1, and this request went to eu-west-1's endpoint (each region's replica has its own ARN: build it from AWS_REGION)`);
  });

  it('a Scan is a read of each page, labelled by its table, with what it returned, in every view (it was not traced)', async () => {
    const report = await run(scenario({ module: './scan-orders.mjs' }, [event(0, 'a1', 'us-east-1'), event(10, 'b2', 'us-east-1')]), { baseDir: FIXTURES });
    expect(report.failures).toEqual([]);
    const scans = kinds(report.trace, 'read') as Extract<TraceEvent, { kind: 'read' }>[];
    expect(scans.map((r) => [r.t, r.itemId, r.request?.operation, r.request?.filter, r.items?.map((i) => i.Id), r.cause])).toEqual([
      [0, 'GlobalEventTable where begins_with(Id, :p)', 'Scan', 'begins_with(Id, :p)', [], 'a1'],
      [10, 'GlobalEventTable where begins_with(Id, :p)', 'Scan', 'begins_with(Id, :p)', ['ITEM#a1'], 'b2'],
    ]);
    expect(report.final['us-east-1']!['ITEM#b2']).toMatchObject({ seen: 1 });
    expect(renderText(report)).toMatch(/10ms │ SCAN\s+│.*GlobalEventTable where begins_with\(Id, :p\) \[:p = ITEM#\] \(eventual\) for b2 → 1 item: ITEM#a1 seen=0/);
    expect(sequenceDiagram(report)).toContain('Table_us_east_1-->>Lambda_us_east_1: t=10ms eventual scan GlobalEventTable where');
  });

  it('of a home region (a client built for another region) name the Lambda that made them, in the trace and in Mermaid', async () => {
    const report = await run(scenario({ module: './read-then-claim.mjs', handler: 'homeClaim' }, [event(0, 'e1', 'eu-west-1'), { at: 5000, retry: { of: 'e1', region: 'us-east-1' } }]), { baseDir: FIXTURES });
    expect(report.failures).toEqual([]);
    const requests = report.trace.filter((e) => e.kind === 'read' || e.kind === 'local-write').map((e) => [e.kind, e.region, (e as { itemId: string }).itemId, (e as { caller?: string }).caller ?? '-']);
    expect(requests).toEqual([
      ['read', 'us-east-1', 'IDEMPOTENCY#e1', 'eu-west-1'],
      ['local-write', 'us-east-1', 'IDEMPOTENCY#e1', 'eu-west-1'],
      ['local-write', 'eu-west-1', 'CHARGE#e1#eu-west-1', '-'],
      ['read', 'us-east-1', 'IDEMPOTENCY#e1', '-'],
    ]);
    expect(renderText(report)).toContain('IDEMPOTENCY#e1 (strong) for e1 from eu-west-1 → (absent)');
    const mermaid = sequenceDiagram(report);
    expect(mermaid).toContain('Lambda_eu_west_1->>Table_us_east_1: t=75ms put IDEMPOTENCY#35;e1');
    expect(mermaid).toContain('Table_us_east_1-->>Lambda_eu_west_1: t=0ms strong read IDEMPOTENCY#35;e1 (not found)');
  });

  it.skipIf(!javaAvailable())('are traced alike on DynamoDB Local (--backend dynamodb --local) (skipped when Java 17 is not installed; CI installs it)', () => {
    const r = spawnSync(process.execPath, ['bin/geosim', 'run', join(FIXTURES, 'read-then-claim.yaml'), '--backend', 'dynamodb', '--local', '--format', 'json'], {
      encoding: 'utf8',
      timeout: 150_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const out = JSON.parse(r.stdout) as { scenarios: Array<{ trace: TraceEvent[] }> };
    expect(reads(out.scenarios[0]!.trace)).toEqual([...perAttempt('us-east-1'), ...perAttempt('eu-west-1')]);
  }, 180_000);
});

describe('a write DynamoDB refuses for its key\'s type (`Id: 42` on a string key)', () => {
  const failures = (trace: TraceEvent[]) => trace.filter((e) => e.kind === 'operation-failed').map((e) => [e.itemId, e.op, e.error.name]);
  const expected = [
    ['42', 'put', 'ValidationException'],
    ['43', 'put', 'ValidationException'],
  ];

  it('is traced and counted in operationFailures, alone and in a batch (a put with no key names no item)', async () => {
    const report = await run(join(FIXTURES, 'mistyped-keys.yaml'));
    expect(report.failures).toEqual([]);
    expect(failures(report.trace)).toEqual(expected);
  });

  it.skipIf(!javaAvailable())('is traced and counted alike on DynamoDB Local, which gives the verdict the model gives (it counted none there) (skipped when Java 17 is not installed; CI installs it)', () => {
    const r = spawnSync(process.execPath, ['bin/geosim', 'run', join(FIXTURES, 'mistyped-keys.yaml'), '--backend', 'dynamodb', '--local', '--format', 'json'], { encoding: 'utf8', timeout: 150_000, maxBuffer: 64 * 1024 * 1024 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as { scenarios: Array<{ trace: TraceEvent[]; counts: { operationFailures: number } }> };
    expect(failures(out.scenarios[0]!.trace)).toEqual(expected);
    expect(out.scenarios[0]!.counts.operationFailures).toBe(2);
  }, 180_000);
});

describe('an SQS dead-letter queue redriven', () => {
  it('sends the message back to its source queue, where the handler gets it as a new SQS message', async () => {
    const report = await run(
      scenario({ module: './sqs-batch.mjs', event: 'sqs' }, [event(0, 'bad', 'eu-west-1', { type: 'Poison' }), { at: '10m', redrive: { region: 'eu-west-1' } }], { lambda: { maxReceiveCount: 1 } }),
      { baseDir: FIXTURES },
    );
    const path = report.trace.filter((e) => ['dead-lettered', 'redriven', 'lambda-attempt-failed'].includes(e.kind)).map((e) => [e.kind, e.t]);
    expect(path).toEqual([
      ['lambda-attempt-failed', 0],
      ['dead-lettered', 30_000],
      ['redriven', 600_000],
      ['lambda-attempt-failed', 600_000],
      ['dead-lettered', 630_000],
    ]);
  });
});

describe('a module that cannot be loaded is exit 2 with its path', () => {
  const geosim = (file: string) => spawnSync(process.execPath, ['bin/geosim', 'run', join(FIXTURES, file), '--format', 'text'], { encoding: 'utf8' });

  it('names a module that is not there, and an export that is not there', () => {
    const missing = geosim('missing-module.yaml');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/no-such-handler\.ts/);
    const noExport = geosim('missing-export.yaml');
    expect(noExport.status).toBe(2);
    expect(noExport.stderr).toMatch(/failing\.mjs.*notThere|notThere.*failing\.mjs/s);
    // placed at the scenario's setting, as a module that is not there is (it had no line or column)
    expect(noExport.stderr).toContain(`${join(FIXTURES, 'missing-export.yaml')}:2:48 error[module-export] `);
    expect(noExport.stderr).toContain('   2 | application: { module: ./failing.mjs, handler: notThere }\n     |                                                ^^^^^^^^\n');
    for (const r of [missing, noExport]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('a rejection its module scope left unhandled is reported in the region of the environment that left it (both were reported in the first region)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'geosim-module-reject-'));
    writeFileSync(join(dir, 'rejects.mjs'), "Promise.reject(new Error('boot failed'));\nexport const handler = async () => {};\n");
    const report = await run(scenario({ module: './rejects.mjs' }, [event(0, 'e1', 'us-east-1')]), { baseDir: dir });
    const problems = kinds(report.trace, 'handler-problem') as Extract<TraceEvent, { kind: 'handler-problem' }>[];
    expect(problems.map((p) => [p.region, p.eventId, p.problem, p.message])).toEqual([
      ['us-east-1', 'module scope', 'late-error', 'Error: boot failed (at rejects.mjs:1:16)'],
      ['eu-west-1', 'module scope', 'late-error', 'Error: boot failed (at rejects.mjs:1:16)'],
    ]);
    expect(renderText(report)).toContain('module scope: Error: boot failed (at rejects.mjs:1:16) (thrown outside any invocation)');
  });

  it('places a module that throws while loading, does not compile, or throws a value that is not an Error at the scenario’s application.module; a misspelt export gets a “did you mean” (none had a line or column)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'geosim-module-place-'));
    writeFileSync(join(dir, 'app.mjs'), 'export const fixedHandler = async () => {};\nexport const other = 1;\n');
    writeFileSync(join(dir, 'object.mjs'), 'throw { code: 42, reason: "no config" };\n');
    writeFileSync(join(dir, 'syntax.ts'), 'export const handler = async () => { return 1 ;\n');
    const scenarioWith = (application: string) => `name: placed\nregions: [us-east-1, eu-west-1]\napplication:\n${application}\nsteps:\n  - { at: 0, event: { id: e1, region: us-east-1, item: A, data: {} } }\n`;
    const run = (name: string, application: string) => {
      writeFileSync(join(dir, name), scenarioWith(application));
      return spawnSync(process.execPath, [join(import.meta.dirname, '../../bin/geosim'), 'run', name], { cwd: dir, encoding: 'utf8' });
    };
    const misspelt = run('misspelt.yaml', '  module: ./app.mjs\n  handler: fixedHandlr');
    expect(misspelt.status).toBe(2);
    expect(misspelt.stderr).toMatch(/^misspelt\.yaml:5:12 error\[module-export\] .*app\.mjs: the application module has no export "fixedHandlr" \(application\.handler\); its exports: fixedHandler, other\n {2}hint: did you mean "fixedHandler"\?\n/);
    // the handler left at its default: placed at the module, and its near export suggested (it had no line)
    writeFileSync(join(dir, 'handle.mjs'), 'export const handle = async () => {};\n');
    const defaulted = run('defaulted.yaml', '  module: ./handle.mjs');
    expect(defaulted.status).toBe(2);
    expect(defaulted.stderr).toMatch(/^defaulted\.yaml:4:11 error\[module-export\] .*handle\.mjs: the application module has no export "handler" \(application\.handler\); its exports: handle\n(.*\n)* {2}hint: did you mean "handle"\?\n/);
    // Lambda's file.export form: the export named
    const lambdaStyle = run('lambda-style.yaml', '  module: ./app.mjs\n  handler: app.fixedHandler');
    expect(lambdaStyle.stderr).toMatch(/^lambda-style\.yaml:5:12 error\[module-export\] .*\n(.*\n)* {2}hint: did you mean "fixedHandler"\? the setting names the export alone; Lambda's "file\.export" is two keys here: application\.module \(the file\) and this one \(the export\)\n/);
    // CommonJS in a .js file that its package.json makes an ES module: Node and Lambda cannot load it (it ran here)
    mkdirSync(join(dir, 'esm'));
    writeFileSync(join(dir, 'esm', 'package.json'), '{ "type": "module" }\n');
    writeFileSync(join(dir, 'esm', 'cjs.js'), 'exports.handler = async () => 1;\n');
    const cjsInEsm = run('cjs-in-esm.yaml', '  module: ./esm/cjs.js');
    expect(cjsInEsm.status).toBe(2);
    expect(cjsInEsm.stderr).toMatch(/^cjs-in-esm\.yaml:4:11 error\[module-syntax\] .*cjs\.js: this module cannot be loaded as Lambda loads it:\n(.*\n)*.*esm\/cjs\.js:1:1: The CommonJS "exports" variable is treated as a global variable in an ECMAScript module: its package\.json says "type": "module"/);
    // a .mjs file is one whatever its package.json; a UMD module that exports and guards its `module` loads on Node, and runs
    writeFileSync(join(dir, 'cjs.mjs'), 'module.exports = { handler: async () => 1 };\n');
    expect(run('cjs-mjs.yaml', '  module: ./cjs.mjs').stderr).toContain('The CommonJS "module" variable is treated as a global variable in an ECMAScript module: a .mjs file is an ES module, so Node and Lambda load it as one, where this fails (ReferenceError: module is not defined in ES module scope)');
    writeFileSync(join(dir, 'esm', 'umd.js'), "export const handler = async () => 1;\nif (typeof module !== 'undefined' && module.exports) module.exports = { handler };\n");
    expect(run('umd.yaml', '  module: ./esm/umd.js').status).toBe(0);
    // a file that exports and also assigns exports, and a CommonJS helper the handler imports: Node refuses both
    writeFileSync(join(dir, 'esm', 'mixed.js'), 'export const handler = async () => 1;\nexports.helper = 1;\n');
    expect(run('mixed.yaml', '  module: ./esm/mixed.js').stderr).toMatch(/esm\/mixed\.js:2:1: The CommonJS "exports" variable/);
    writeFileSync(join(dir, 'esm', 'lib.js'), 'exports.helper = () => 1;\n');
    writeFileSync(join(dir, 'esm', 'entry.js'), "import { helper } from './lib.js';\nexport const handler = async () => helper();\n");
    const helper = run('helper.yaml', '  module: ./esm/entry.js');
    expect(helper.status).toBe(2);
    expect(helper.stderr).toMatch(/esm\/lib\.js:1:1: The CommonJS "exports" variable/);
    // require and __dirname in an ES module: Lambda throws at init (they ran here); the ESM idioms that declare them load
    writeFileSync(join(dir, 'req.mjs'), "const { createHash } = require('node:crypto');\nexport const handler = async () => createHash('sha1').digest('hex');\n");
    const req = run('req.yaml', '  module: ./req.mjs');
    expect(req.status).toBe(2);
    expect(req.stderr).toMatch(/req\.mjs:1:24: "require" is not defined in ES module scope: a \.mjs file is an ES module, .*use import, or createRequire\(import\.meta\.url\)/);
    writeFileSync(join(dir, 'esm', 'dir.js'), 'export const handler = async () => __dirname;\n');
    expect(run('dir.yaml', '  module: ./esm/dir.js').stderr).toMatch(/esm\/dir\.js:1:36: "__dirname" is not defined in ES module scope: its package\.json says "type": "module".*use import\.meta\.dirname/);
    writeFileSync(join(dir, 'idiom.mjs'), "import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\nconst { createHash } = require('node:crypto');\nexport const handler = async () => createHash('sha1').digest('hex');\n");
    expect(run('idiom.yaml', '  module: ./idiom.mjs').status).toBe(0);
    const thrown = run('thrown.yaml', '  module: ./object.mjs');
    expect(thrown.status).toBe(2);
    expect(thrown.stderr).toMatch(/^thrown\.yaml:4:11 error\[module-threw\] .*object\.mjs: the application module threw while loading \(module scope, region us-east-1\): \{"code":42,"reason":"no config"\} \(thrown, not an Error\)\n/);
    const syntax = run('syntax.yaml', '  module: ./syntax.ts');
    expect(syntax.status).toBe(2);
    expect(syntax.stderr).toMatch(/^syntax\.yaml:4:11 error\[module-syntax\] .*syntax\.ts: this module cannot be loaded:/);
    // a module scope that also left a rejected promise: the located error alone (Node crashed with its trace, exit 1)
    writeFileSync(join(dir, 'rejects.mjs'), "export const handler = async () => {};\nPromise.reject(new Error('left behind'));\n");
    const rejects = run('rejects.yaml', '  module: ./rejects.mjs\n  handler: hendler');
    expect(rejects.status).toBe(2);
    expect(rejects.stderr).toMatch(/^rejects\.yaml:5:12 error\[module-export\] /);
    expect(rejects.stderr).not.toContain('left behind');
    for (const r of [misspelt, thrown, syntax, rejects]) {
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stderr).toContain('1 scenario file not run: fix the errors above');
    }
    // several runs of the built CLI, one after another: 5 s alone, over 20 s on a loaded 2-core machine
  }, 90_000);

  it('names the scenario, runs the other scenarios and still closes with the counts', () => {
    const both = spawnSync(process.execPath, ['bin/geosim', 'run', join(FIXTURES, 'missing-module.yaml'), 'scenarios/concurrent.yaml', '--format', 'text'], { encoding: 'utf8' });
    expect(both.status).toBe(2);
    expect(both.stderr).toContain(`${join(FIXTURES, 'missing-module.yaml')}:2:24 error[module-not-found] `);
    expect(both.stderr).toContain('1 scenario file not run: fix the errors above');
    // The scenario after the broken one ran and was counted.
    expect(both.stdout.trimEnd().split('\n').at(-1)).toBe('1 passed, 0 failed');
  });
});

describe('on the machine\'s clock (--backend dynamodb --local), the module\'s timers stay inside the run', () => {
  it.skipIf(!javaAvailable())('a module-scope setInterval does not keep geosim running, and a timer that throws after its invocation never crashes geosim (skipped when Java 17 is not installed; CI installs it)', () => {
    const r = spawnSync(process.execPath, ['bin/geosim', 'run', join(FIXTURES, 'interval.yaml'), join(FIXTURES, 'late-throw.yaml'), '--backend', 'dynamodb', '--local', '--format', 'json'], {
      encoding: 'utf8',
      timeout: 150_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    // Before the fix the interval kept the process alive until the timeout killed it (status null).
    expect(r.status === 0 || r.status === 1).toBe(true);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const out = JSON.parse(r.stdout) as { scenarios: Array<{ trace: TraceEvent[] }> };
    expect(out.scenarios).toHaveLength(2);
    // Whether the 50 ms timer fires before the run ends depends on the wall clock (idle time is
    // skipped); when it does, the run reports it as the model does.
    for (const problem of kinds(out.scenarios[1]!.trace, 'handler-problem')) expect(problem).toMatchObject({ problem: 'late-error', message: 'Error: flush failed (at failing.mjs:29:11)' });
  }, 180_000);
});
