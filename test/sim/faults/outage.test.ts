import { describe, expect, it } from 'vitest';
import { runScenario } from '../../../src/pipeline/run-scenario.js';
import { sequenceDiagram } from '../../../src/render/mermaid/sequence.js';
import { renderText } from '../../../src/render/text.js';
import type { TraceEvent } from '../../../src/trace/events.js';
import { scenarioFromYaml } from '../../helpers/scenario.js';
import { HOME_RECORD_IN_DOWN_REGION } from '../../helpers/outage-scenarios.js';

function of<K extends TraceEvent['kind']>(trace: TraceEvent[], kind: K): Array<Extract<TraceEvent, { kind: K }>> {
  return trace.filter((e): e is Extract<TraceEvent, { kind: K }> => e.kind === kind);
}

const HEAD = `
regions: [us-east-1, eu-west-1, ap-south-1]
replication: { lag: { distribution: fixed, ms: 1s } }
application: { strategy: service-lww, idempotency: local }
`;
const event = (at: string, id: string, region: string, status: string) =>
  `  - at: ${at}\n    event: { id: ${id}, region: ${region}, item: "ORDER#1", data: { status: ${status} } }\n`;

describe('region outage (aws-semantics §1.9)', () => {
  it('overlapping outages of one region: the first to end says another keeps the region down (it said the outage ended while requests were still refused)', async () => {
    const report = await runScenario(
      scenarioFromYaml(`${HEAD}
faults:
  - { at: 1s, until: 3s, outage: { region: us-east-1 } }
  - { at: 2s, until: 5s, outage: { region: us-east-1 } }
steps:
${event('3500', 'e1', 'us-east-1', 'x')}${event('5s', 'e2', 'us-east-1', 'y')}`),
    );
    expect(of(report.trace, 'fault-ended').map((e) => `${e.t} ${e.description}`)).toEqual(['3000 us-east-1 outage (another outage keeps it down)', '5000 us-east-1 outage']);
    expect(of(report.trace, 'request-rejected').map((r) => `${r.t}:${r.eventId}`)).toEqual(['3500:e1']);
    expect(renderText(report)).toMatch(/RECOVER +│.*│ us-east-1 outage \(another outage keeps it down\) ends\n/);
  });

  it('rejects client requests and plain reads in the region while it is down, and writes nothing there', async () => {
    const report = await runScenario(
      scenarioFromYaml(`${HEAD}
faults:
  - { at: 1s, duration: 5s, outage: { region: us-east-1 } }
steps:
${event('1s', 'e1', 'us-east-1', 'x')}  - at: 2s
    read: { region: us-east-1, item: "ORDER#1" }
${event('6s', 'e2', 'us-east-1', 'y')}`),
    );
    const rejected = of(report.trace, 'request-rejected');
    // The outage starting at 1s refuses the event due at 1s: transitions come before steps.
    expect(rejected.map((r) => `${r.t}:${r.eventId}`)).toEqual(['1000:e1', '2000:steps[1]']);
    expect(rejected.every((r) => r.failoverTo === undefined)).toBe(true);
    expect(of(report.trace, 'local-write').filter((w) => w.t < 6000)).toEqual([]);
    // At 6s the region is back: e2 is applied there.
    expect(of(report.trace, 'event-outcome').map((o) => `${o.t}:${o.eventId}:${o.outcome}`)).toEqual(['6000:e2:applied']);
    // e1 was refused and the client got the error: returned, not lost.
    expect(report.assertions.find((a) => a.source === 'invariant' && a.name.startsWith('conservation'))?.passed).toBe(true);
  });

  it('refuses a request another region’s Lambda sends it (a home-region idempotency record): the event fails, nothing is written there (it was taken as if the region were up)', async () => {
    const report = await runScenario(
      scenarioFromYaml(HOME_RECORD_IN_DOWN_REGION),
    );
    expect(of(report.trace, 'request-rejected').map((e) => [e.t, e.region, e.eventId, e.request])).toEqual([[1000, 'us-east-1', 'PutItem for k1', 'from ap-south-1']]);
    expect(of(report.trace, 'local-write')).toEqual([]);
    expect(of(report.trace, 'event-outcome').map((e) => [e.outcome, e.detail])).toEqual([['failed', 'idempotency record refused in home region us-east-1: InternalServerError']]);
    expect(report.counts.rejected).toBe(1);
    expect(renderText(report)).toContain('PutItem for k1, from ap-south-1: region unavailable; the Lambda in ap-south-1 gets the error');
    // drawn back to the Lambda that asked, not to the client
    expect(sequenceDiagram(report)).toContain('Table_us_east_1--xLambda_ap_south_1: t=1s rejected PutItem for k1 from ap-south-1');
  });

  it('refuses a region’s own Lambda too once an outage starts mid-invocation, and says the Lambda got the error', async () => {
    const report = await runScenario(
      scenarioFromYaml(`
regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 500 } }
application: { strategy: version, idempotency: local, requestLatency: 400 }
lambda: { invocation: async }
faults:
  - { at: 1200, until: 5s, outage: { region: us-east-1 } }
steps:
  - { at: 1s, event: { id: e1, region: us-east-1, item: "O#1", data: { a: 1 } } }
`),
    );
    expect(of(report.trace, 'request-rejected').map((e) => [e.t, e.eventId, e.request])).toEqual([[1400, 'TransactWriteItems for e1', 'from us-east-1']]);
    expect(renderText(report)).toContain('TransactWriteItems for e1, from us-east-1: region unavailable; the Lambda in us-east-1 gets the error');
    // the version strategy read at 1 s, its write at 1.4 s is refused; Lambda retries a minute later, and it applies once
    expect(report.counts.effects).toEqual({ e1: 1 });
  });

  it('fails a client over to the next region after its timeout, and on to a third when that one is down too', async () => {
    const report = await runScenario(
      scenarioFromYaml(`${HEAD}
failover: { after: 250ms }
faults:
  - { at: 0, duration: 5s, outage: { region: us-east-1 } }
  - { at: 0, duration: 5s, outage: { region: eu-west-1 } }
steps:
${event('1s', 'e1', 'us-east-1', 'x')}`),
    );
    const rejected = of(report.trace, 'request-rejected');
    expect(rejected.map((r) => `${r.t}:${r.region}->${r.failoverTo}@${r.failoverAt}`)).toEqual(['1000:us-east-1->eu-west-1@1250', '1250:eu-west-1->ap-south-1@1500']);
    expect(of(report.trace, 'client-event').map((c) => `${c.t}:${c.region}:${c.attempt}`)).toEqual(['1000:us-east-1:1', '1250:eu-west-1:2', '1500:ap-south-1:3']);
    expect(of(report.trace, 'event-outcome')).toMatchObject([{ t: 1500, region: 'ap-south-1', outcome: 'applied' }]);
    expect(report.counts.failovers).toBe(2);
  });

  it('gives up when every region has refused (the client gets the error)', async () => {
    const report = await runScenario(
      scenarioFromYaml(`
regions: [us-east-1, eu-west-1]
failover: { after: 100ms }
faults:
  - { at: 0, duration: 5s, outage: { region: us-east-1 } }
  - { at: 0, duration: 5s, outage: { region: eu-west-1 } }
steps:
${event('1s', 'e1', 'us-east-1', 'x')}`),
    );
    expect(of(report.trace, 'request-rejected').map((r) => r.failoverTo)).toEqual(['eu-west-1', undefined]);
  });

  it('sends the writes the region accepted before the outage after recovery, where they lose to newer writes', async () => {
    const report = await runScenario(
      scenarioFromYaml(`
regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 1s } }
application: { strategy: service-lww, idempotency: none }
faults:
  - { at: 2.5s, until: 10s, outage: { region: us-east-1 } }
steps:
${event('2s', 'before', 'us-east-1', 'paid')}${event('5s', 'elsewhere', 'eu-west-1', 'cancelled')}`),
    );
    const discarded = of(report.trace, 'replication-discarded');
    expect(discarded).toHaveLength(1);
    expect(discarded[0]).toMatchObject({ t: 10_000, from: 'us-east-1', to: 'eu-west-1', incomingVersion: { ts: 2000, region: 'us-east-1' }, keptVersion: { ts: 5000, region: 'eu-west-1' }, heldSince: 3000 });
    expect(report.final['us-east-1']!['ORDER#1']).toMatchObject({ Data: { status: 'cancelled' } });
  });

  it('runs a down region\'s stream consumers when it returns', async () => {
    const report = await runScenario(
      scenarioFromYaml(`
regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 100 } }
application: { strategy: client-lww, idempotency: none, consumerDelay: 50 }
clocks: { eu-west-1: { skew: 5s } }
faults:
  - { at: 120ms, until: 3s, outage: { region: eu-west-1 } }
steps:
${event('0', 'early', 'eu-west-1', 'a')}${event('10ms', 'late', 'us-east-1', 'b')}`),
    );
    // eu-west-1 got us-east-1's write at 110ms and would repair at 160ms; it is down then, so the repair waits for 3s.
    const repairs = of(report.trace, 'conflict-repaired');
    expect(repairs.map((r) => `${r.t}:${r.region}`)).toEqual(['3000:eu-west-1']);
  });

  it('names a DynamoDB-syntax read refused by an outage as it names the same read answered', async () => {
    const read = (at: string) => `  - at: ${at}\n    read: { region: eu-west-1, key: { Id: "ORDER#1" }, consistent: true, expect: null }\n`;
    const report = await runScenario(
      scenarioFromYaml(`regions: [us-east-1, eu-west-1]\nfaults:\n  - { at: 1s, duration: 1s, outage: { region: eu-west-1 } }\nsteps:\n${read('0')}${read('1.5s')}`),
    );
    const [answered, refused] = report.assertions.filter((a) => a.source === 'step');
    expect(answered).toMatchObject({ name: 'read eu-west-1 ORDER#1 (strong)', passed: true });
    expect(refused).toMatchObject({ name: 'read eu-west-1 ORDER#1 (strong)', passed: false, actual: 'rejected' });
  });
});
