import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { countTrace } from '../../src/check/counts.js';
import { runScenario } from '../../src/pipeline/run-scenario.js';
import type { TraceEvent, VersionStamp } from '../../src/trace/events.js';
import { scenarioFromYaml } from '../helpers/scenario.js';

// Issue 10 item 15: what `events` counts, measured on one run, and the README saying the same.
describe('counts.events', () => {
  it('counts every client send: first sends, retry steps and failover re-sends, not Lambda retries', async () => {
    const report = await runScenario(
      scenarioFromYaml(`
regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 100 } }
failover: { after: 300ms }
lambda: { invocation: async, retryDelay: 1s }
faults:
  - { at: 1s, until: 5s, outage: { region: us-east-1 } }
  - lambdaFailure: { event: a, attempts: [1], error: throw }
steps:
  - { at: 0, event: { id: a, region: us-east-1, item: "A#1", data: { n: 1 } } }
  - { at: 2s, event: { id: b, region: us-east-1, item: "B#1", data: { n: 1 } } }
  - { at: 6s, retry: { of: b, region: us-east-1 } }
`),
    );
    // a (1 send; its Lambda retry is no send), b refused (1) and re-sent to eu-west-1 (1), b's retry (1)
    expect(report.counts).toMatchObject({ events: 4, rejected: 1, failovers: 1, lambdaRetries: 1 });
    expect(report.trace.filter((e) => e.kind === 'client-event').map((e) => `${e.eventId}@${e.region}`)).toEqual(['a@us-east-1', 'b@us-east-1', 'b@eu-west-1', 'b@us-east-1']);
  });

  it('is documented that way in the README', () => {
    const readme = readFileSync('README.md', 'utf8');
    const row = readme.split('\n').find((l) => l.startsWith('| `counts: {name: n}`'))!;
    expect(row).toContain('`events` (client sends: first sends, `retry` steps and failover re-sends, a send the region refused included; Lambda\'s own retries and redrives are not client sends)');
  });
});

// countTrace from hand-written traces: a conflict is one pair of concurrent versions of an item,
// however many replicas see the two meet and in whichever order they meet.
describe('countTrace conflicts', () => {
  const A: VersionStamp = { ts: 100, region: 'us-east-1' };
  const B: VersionStamp = { ts: 105, region: 'eu-west-1' };
  const C: VersionStamp = { ts: 105, region: 'ap-south-1' }; // same ms as B, another region: another version

  let seq = 0;
  const applied = (to: string, itemId: string, version: VersionStamp, replacedVersion: VersionStamp | undefined, conflict: boolean): TraceEvent => ({
    seq: ++seq,
    t: 200,
    kind: 'replication-applied',
    from: version.region,
    to,
    itemId,
    before: null,
    after: { Id: itemId },
    version,
    ...(replacedVersion ? { replacedVersion } : {}),
    conflict,
  });
  const discarded = (to: string, itemId: string, incomingVersion: VersionStamp, keptVersion: VersionStamp, conflict: boolean): TraceEvent => ({
    seq: ++seq,
    t: 200,
    kind: 'replication-discarded',
    from: incomingVersion.region,
    to,
    itemId,
    incoming: { Id: itemId },
    kept: { Id: itemId },
    incomingVersion,
    keptVersion,
    reason: 'older',
    conflict,
  });

  it('counts one pair once, whether a replica applies the newer version or discards the older one, and in either order', () => {
    const counts = countTrace([
      applied('us-east-1', 'X', B, A, true), // us-east-1 held A; B wins there
      discarded('eu-west-1', 'X', A, B, true), // eu-west-1 held B; A loses there (the pair named the other way round)
      applied('ap-south-1', 'X', A, undefined, false),
      applied('ap-south-1', 'X', B, A, true), // a third replica sees the same two meet
    ]);
    expect(counts).toMatchObject({ conflicts: 1, replicatedWrites: 3, discardedWrites: 1 });
  });

  it('counts each pair of an item, and the same stamps on two items as two conflicts', () => {
    expect(countTrace([applied('us-east-1', 'X', B, A, true), applied('us-east-1', 'X', C, B, true)]).conflicts).toBe(2);
    expect(countTrace([applied('us-east-1', 'X', B, A, true), discarded('eu-west-1', 'Y', A, B, true)]).conflicts).toBe(2);
  });

  it('tells two versions written in the same millisecond by two regions apart', () => {
    expect(countTrace([discarded('us-east-1', 'X', C, B, true), discarded('us-east-1', 'X', B, C, true)]).conflicts).toBe(1);
    expect(countTrace([applied('us-east-1', 'X', B, A, true), applied('us-east-1', 'X', C, A, true)]).conflicts).toBe(2);
  });

  it('counts no conflict for a newer descendant, nor for a conflict flag without the replaced version', () => {
    const counts = countTrace([applied('eu-west-1', 'X', B, A, false), discarded('us-east-1', 'X', A, B, false), applied('ap-south-1', 'X', C, undefined, true)]);
    expect(counts).toMatchObject({ conflicts: 0, replicatedWrites: 2, discardedWrites: 1 });
  });
});
