import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SEQUENCE_LIMITS, sequenceDiagram, summarise } from '../../../src/render/mermaid/sequence.js';
import type { TraceEventInput } from '../../../src/trace/events.js';
import { burst, concurrentWrites, hostileNames, reportOf } from './fixtures.js';
import { parseDiagram } from './headless-mermaid.js';

const E = 'us-east-1';
const W = 'eu-west-1';

/** Arrow lines of a diagram, with label line breaks read as spaces. */
function arrows(mmd: string): string[] {
  return mmd.split('\n').filter((l) => /^\s+\w+(->>|-->>|-\)|--\)|-x|--x)\w+: /.test(l)).map((l) => l.replace(/<br\/>/g, ' '));
}
function notes(mmd: string): string[] {
  return mmd.split('\n').filter((l) => /^\s+Note over /.test(l)).map((l) => l.replace(/<br\/>/g, ' '));
}

describe('sequenceDiagram on a synthetic report with every trace kind', () => {
  const report = concurrentWrites();
  const mmd = sequenceDiagram(report);

  it('uses every kind of the trace union', () => {
    expect(new Set(report.trace.map((e) => e.kind)).size).toBe(11);
  });

  it('declares the client, a box per region with its Lambda and replica, and the replication', async () => {
    const { sequence } = await parseDiagram(mmd);
    expect([...sequence!.actors.values()]).toEqual([
      'Client',
      'Lambda us-east-1',
      'Table replica us-east-1',
      'Global table replication',
      'Table replica eu-west-1',
      'Lambda eu-west-1',
    ]);
    expect(sequence!.boxes.map((b) => b.name.split(' ').pop())).toEqual([E, W]);
    expect(sequence!.boxes[0]!.actors).toEqual(['Lambda_us_east_1', 'Table_us_east_1']);
    expect(sequence!.boxes[1]!.actors).toEqual(['Table_eu_west_1', 'Lambda_eu_west_1']);
    expect(mmd).toContain('\n  autonumber\n');
  });

  it('labels messages with the virtual time and the item', async () => {
    const { sequence } = await parseDiagram(mmd);
    // What happened (event id, item, change), not the TMF688 event type.
    expect(sequence!.messages).toContain('t=0ms e1: ORDER#1 status=paid (key k1)');
    expect(sequence!.messages).toContain('t=200ms retry 2 of e1-r: ORDER#1 (key k1)');
    expect(mmd).not.toContain('OrderStateChangeEvent');
    expect(sequence!.messages).toContain('t=500ms apply ORDER#1 (v2 status=cancelled by eu-west-1, from eu-west-1)');
    expect(sequence!.messages).toContain('t=900ms strong read ORDER#1 (v2 status=cancelled by eu-west-1)');
  });

  it('notes a discarded write, a duplicate key, a failed condition, a conflict and a repair', async () => {
    const { sequence } = await parseDiagram(mmd);
    const texts = sequence!.messages.join('\n');
    expect(texts).toContain('LWW loser discarded: incoming 0ms@us-east-1 older than kept 100ms@eu-west-1');
    expect(texts).toContain('duplicate idempotency key k1: not applied again');
    expect(texts).toContain('failed condition Version = 1; replica holds v2 status=cancelled by eu-west-1');
    expect(texts).toContain('conflict: ORDER#1 overwritten by 100ms@eu-west-1');
    expect(texts).toContain('conflict repair: keep v2 status=cancelled by eu-west-1, drop v2 status=paid by us-east-1');
    expect(texts).toContain('t=1s check converged: passed');
    expect(texts).toContain('t=800ms coalesced ORDER#1 → eu-west-1');
  });

  it('merges the replication sends of one instant into one arrow', () => {
    expect(arrows(mmd).filter((l) => l.includes('replicate'))).toEqual([
      '  Table_us_east_1-)Replication: t=0ms replicate ×2#58; IDEMPOTENCY#35;k1, ORDER#35;1 → eu-west-1',
      '  Table_eu_west_1-)Replication: t=100ms replicate ORDER#35;1 → us-east-1 (due t=500ms)',
    ]);
  });
});

it('notes a second effect when a key is applied again', () => {
  const applied = (t: number, region: string): TraceEventInput => ({ kind: 'event-outcome', t, region, eventId: `e${t}`, idempotencyKey: 'k', itemId: 'A', outcome: 'applied', attempts: 1 });
  const mmd = sequenceDiagram(reportOf([applied(0, E), applied(200, W)]));
  // Over the region's participants, so the note stays inside its box.
  expect(notes(mmd)[0]).toBe('  Note over Table_eu_west_1,Lambda_eu_west_1: second effect#58; key k was already applied in us-east-1 at t=0ms');
});

it('draws three regions, fanning one write out to both others in one arrow', async () => {
  const A = 'ap-south-1';
  const sent = (to: string): TraceEventInput => ({ kind: 'replication-sent', t: 0, from: E, to, itemId: 'X', version: { ts: 0, region: E }, arrivesAt: 500 });
  const mmd = sequenceDiagram(
    reportOf(
      [
        { kind: 'local-write', t: 0, region: E, itemId: 'X', op: 'put', before: null, after: { Id: 'X' }, version: { ts: 0, region: E } },
        sent(W),
        sent(A),
        { kind: 'replication-applied', t: 500, from: E, to: A, itemId: 'X', before: null, after: { Id: 'X' }, version: { ts: 0, region: E }, conflict: false },
      ],
      { regions: [E, W, A] },
    ),
  );
  const { sequence } = await parseDiagram(mmd);
  expect(sequence!.boxes.map((b) => b.name.split(' ').pop())).toEqual([E, W, A]);
  expect(arrows(mmd)).toContain('  Table_us_east_1-)Replication: t=0ms replicate ×2#58; X → eu-west-1, ap-south-1');
});

describe('determinism', () => {
  it('gives the same bytes for the same report, whatever the key order of its items', () => {
    const a = concurrentWrites();
    const b = JSON.parse(JSON.stringify(a), (_k, v: unknown) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
    ) as typeof a;
    // Item attribute order is reversed in b; the trace order itself is part of the input.
    b.trace.sort((x, y) => x.seq - y.seq);
    expect(sequenceDiagram(b)).toBe(sequenceDiagram(a));
    expect(sequenceDiagram(burst(150))).toBe(sequenceDiagram(burst(150)));
  });

  it('summarises an item in a stable order', () => {
    expect(summarise({ Id: 'A', Version: 3, Data: { z: 1, a: 'x' } })).toBe('v3 a=x z=1');
    expect(summarise({ Id: 'IDEMPOTENCY#k' })).toBe('');
  });
});

describe('legibility rule', () => {
  it('merges the writes of a transaction and their sends within one instant, not across instants', () => {
    const w = (t: number, id: string): TraceEventInput => ({
      kind: 'local-write', t, region: E, itemId: id, op: 'put', before: null, after: { Id: id }, version: { ts: t, region: E }, transaction: `tx${t}`,
    });
    const s = (t: number, id: string): TraceEventInput => ({ kind: 'replication-sent', t, from: E, to: W, itemId: id, version: { ts: t, region: E }, arrivesAt: t + 500 });
    const mmd = sequenceDiagram(reportOf([w(0, 'A'), s(0, 'A'), w(0, 'B'), s(0, 'B'), w(10, 'C'), s(10, 'C')]));
    expect(arrows(mmd)).toEqual([
      '  Client->>Table_us_east_1: t=0ms TransactWriteItems ×2#58; put A, put B',
      '  Table_us_east_1-)Replication: t=0ms replicate ×2#58; A, B → eu-west-1',
      '  Client->>Table_us_east_1: t=10ms TransactWriteItems put C',
      '  Table_us_east_1-)Replication: t=10ms replicate C → eu-west-1 (due t=510ms)',
    ]);
  });

  it('never draws a send or an outcome above the write it follows', () => {
    const w = (id: string, tx: string): TraceEventInput => ({
      kind: 'local-write', t: 0, region: E, itemId: id, op: 'put', before: null, after: { Id: id }, version: { ts: 0, region: E }, transaction: tx, cause: `e${id}`,
    });
    const s = (id: string): TraceEventInput => ({ kind: 'replication-sent', t: 0, from: E, to: W, itemId: id, version: { ts: 0, region: E }, arrivesAt: 500 });
    const o = (id: string): TraceEventInput => ({ kind: 'event-outcome', t: 0, region: E, eventId: `e${id}`, idempotencyKey: `k${id}`, itemId: id, outcome: 'applied', attempts: 1 });
    const verbs = arrows(sequenceDiagram(reportOf([w('A', 'tx1'), s('A'), o('A'), w('B', 'tx2'), s('B'), o('B')]))).map((l) => /ms (\w+)/.exec(l)?.[1]);
    expect(verbs).toEqual(['TransactWriteItems', 'replicate', 'applied', 'TransactWriteItems', 'replicate', 'applied']);
  });

  it('merges a run of like arrows at different times into one with a time range and +N more', () => {
    const applies: TraceEventInput[] = [0, 1, 2, 3, 4].map((i) => ({
      kind: 'replication-applied', t: 500 + i, from: E, to: W, itemId: `I${i}`, before: null, after: { Id: `I${i}` }, version: { ts: i, region: E }, conflict: false,
    }));
    expect(arrows(sequenceDiagram(reportOf(applies)))).toEqual(['  Replication-)Table_eu_west_1: t=500ms..504ms apply ×5#58; I0, I1, I2 +2 more']);
  });

  it('never merges a noteworthy step', () => {
    const discard = (t: number): TraceEventInput => ({
      kind: 'replication-discarded', t, from: E, to: W, itemId: 'A', incoming: null, kept: null, incomingVersion: { ts: 0, region: E }, keptVersion: { ts: 1, region: W }, reason: 'older',
    });
    const mmd = sequenceDiagram(reportOf([discard(1), discard(1), discard(1)]));
    expect(arrows(mmd)).toHaveLength(3);
    expect(notes(mmd).filter((n) => n.includes('LWW loser'))).toHaveLength(3);
  });

  it('keeps a short scenario whole', () => {
    const mmd = sequenceDiagram(burst(10));
    // 10 events × (event, write, outcome, send), then the 10 applies in a row merged into one.
    expect(arrows(mmd)).toHaveLength(41);
    expect(arrows(mmd).at(-1)).toBe('  Replication-)Table_eu_west_1: t=500ms..590ms apply ×10#58; ORDER#35;0, ORDER#35;1, ORDER#35;2 +7 more');
    expect(mmd).not.toContain('more routine steps');
  });

  it('summarises routine runs of a long scenario, keeping an example, every noteworthy step and the counts', async () => {
    const report = burst(200);
    const mmd = sequenceDiagram(report);
    expect(mmd).toContain('%% More than 80 arrows');
    expect(arrows(mmd).length).toBeLessThanOrEqual(SEQUENCE_LIMITS.softArrowCap);
    expect(arrows(mmd)[0]).toContain('t=0ms e0#58; ORDER#35;0');
    expect(mmd).toContain('check halfway#58; FAILED');
    const hidden = notes(mmd)
      .map((n) => /… (\d+) more routine steps/.exec(n)?.[1])
      .filter((x): x is string => x !== undefined)
      .reduce((sum, n) => sum + Number(n), 0);
    // Every trace step is either drawn, merged into a drawn arrow, or counted in a summary.
    expect(hidden + arrows(mmd).length + 1).toBe(report.trace.length);
    await expect(parseDiagram(mmd)).resolves.toMatchObject({ type: 'sequence' });
  });

  it('stops at the hard cap with a note saying how many steps were left out', async () => {
    const discards: TraceEventInput[] = Array.from({ length: 300 }, (_, i) => ({
      kind: 'replication-discarded', t: i, from: E, to: W, itemId: `I${i}`, incoming: null, kept: null, incomingVersion: { ts: 0, region: E }, keptVersion: { ts: 1, region: W }, reason: 'older',
    }));
    const mmd = sequenceDiagram(reportOf(discards));
    expect(arrows(mmd)).toHaveLength(SEQUENCE_LIMITS.hardStatementCap - 1);
    expect(mmd).toContain(`… ${300 - (SEQUENCE_LIMITS.hardStatementCap - 1)} more steps not drawn (limit ${SEQUENCE_LIMITS.hardStatementCap})`);
    await expect(parseDiagram(mmd)).resolves.toMatchObject({ type: 'sequence' });
  });

  it('leaves out the replication participant and the Lambdas when nothing uses them', async () => {
    const mmd = sequenceDiagram(reportOf([{ kind: 'read', t: 0, region: E, itemId: 'A', consistency: 'eventual', item: null }]));
    const { sequence } = await parseDiagram(mmd);
    expect([...sequence!.actors.keys()]).not.toContain('Replication');
    expect([...sequence!.actors.keys()]).not.toContain('DLQ');
    // No application ran: no Lambda; every region still shows its replica.
    expect([...sequence!.actors.keys()]).toEqual(['Client', 'Table_us_east_1', 'Table_eu_west_1']);
  });

  it('names the table the final state covers when the trace wrote to other tables (a geosim serve session), never "no items" alone', async () => {
    const mmd = sequenceDiagram(reportOf([
      { kind: 'local-write', t: 0, region: E, itemId: 'o-1', table: 'Orders', op: 'put', before: null, after: { pk: 'o-1' }, version: { ts: 0, region: E } },
    ]));
    const { sequence } = await parseDiagram(mmd);
    expect(sequence!.messages).toContain('final state of GlobalEventTable at t=0ms, the same in every region: no items (not shown: table Orders)');
    // a read DynamoDB refused names a table that is not there: not one to show (it read "not shown: table Nope")
    const refused = sequenceDiagram(reportOf([{ kind: 'read', t: 0, region: E, itemId: 'a', table: 'Nope', consistency: 'eventual', item: null, error: { name: 'ResourceNotFoundException', message: 'Cannot do operations on a non-existent table' } }]));
    expect(refused).not.toContain('Nope)');
  });

  it('lists each table the report holds (a serve session’s tables) under its name, the first too (the heading named the first alone, and the others read as part of it)', async () => {
    const report = reportOf([{ kind: 'local-write', t: 0, region: E, itemId: 'o-1', table: 'Orders', op: 'put', before: null, after: { pk: 'o-1' }, version: { ts: 0, region: E } }]);
    report.tables = { GlobalEventTable: report.final, Orders: Object.fromEntries(report.regions.map((r) => [r, { 'o-1': { pk: 'o-1', total: 3 } }])) };
    const { sequence } = await parseDiagram(sequenceDiagram(report));
    expect(sequence!.messages).toContain('final state at t=0ms, the same in every region: GlobalEventTable: no items Orders: o-1: pk=o-1 total=3');
  });
});

describe('escaping', () => {
  it('keeps ; # : % < > " in labels as text, never as Mermaid syntax', async () => {
    const mmd = sequenceDiagram(hostileNames());
    const { sequence } = await parseDiagram(mmd);
    expect(sequence!.messages).toEqual([
      't=0ms e1: ORD;ER#1: <b>"x"</b> %% end note;=a#b:c<d> (key k;#:1)',
      't=0ms put ORD;ER#1: <b>"x"</b> %% end (note;=a#b:c<d>)',
      't=5ms condition failed ORD;ER#1: <b>"x"</b> %% end',
      'failed condition attribute_not_exists(Id); #x: y; replica holds no item',
      't=10ms check name;with#specials: and %% more: passed',
      'final state at t=10ms, the same in every region: no items',
      'no assertions',
    ]);
    // Once Mermaid's entity codes are taken out, no label holds a raw ; # : % < > or ".
    for (const line of [...arrows(mmd), ...notes(mmd)]) {
      const label = line.slice(line.indexOf(': ') + 2).replace(/<br\/>/g, ' ');
      expect(label.replace(/#(\d+|lt|gt|quot);/g, '')).not.toMatch(/[;#:%<>"]/);
    }
  });
});

describe('real scenarios', () => {
  const dir = join(import.meta.dirname, '../../../scenarios');
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();

  it.each(files)('%s draws as valid Mermaid with a box per region', async (file) => {
    const { loadScenarioFile } = await import('../../../src/scenario/load.js');
    const { runScenario } = await import('../../../src/pipeline/run-scenario.js');
    const loaded = await loadScenarioFile(join(dir, file));
    if (!loaded.ok) throw new Error(`${file} does not load: ${JSON.stringify(loaded.problems)}`);
    const report = await runScenario({ ...loaded.scenario, file: `scenarios/${file}` });
    const mmd = sequenceDiagram(report);
    const { sequence } = await parseDiagram(mmd);
    // MRSC's witness gets a box of its own, after the replicas, when a fault names it
    const witness = report.witness !== undefined && report.trace.some((e) => (e.kind === 'fault-started' || e.kind === 'fault-ended') && e.regions.includes(report.witness!)) ? [report.witness] : [];
    expect(sequence!.boxes.map((b) => b.name.split(' ').pop())).toEqual([...report.regions, ...witness]);
    for (const w of witness) expect(sequence!.actors.get(`Table_${w.replace(/-/g, '_')}`)).toBe(`Witness ${w} (no replica)`);
    for (const r of report.regions) {
      expect(sequence!.actors.get(`Table_${r.replace(/-/g, '_')}`)).toBe(`Table replica ${r}`);
      // A region's Lambda shows when the application ran there.
      const ran = report.trace.some((e) => (e.kind === 'client-event' || e.kind === 'conflict-repaired') && e.region === r);
      expect(sequence!.actors.get(`Lambda_${r.replace(/-/g, '_')}`)).toBe(ran ? `Lambda ${r}` : undefined);
    }
    expect(sequenceDiagram(report)).toBe(mmd);
  });

  it.each([
    ['strategy-counter.yaml', /Lambda_us_east_1->>Table_us_east_1: t=1\.7s put SKU#35;1 \(v2 stock=12/, 'counter merge'],
    ['clock-skew.yaml', /Lambda_eu_west_1->>Table_eu_west_1: t=1\.4s put PRODUCT#35;1/, 'conflict repair'],
  ])('%s draws its consumer’s write once, from the region’s Lambda, with a note', async (file, write, note) => {
    const { loadScenarioFile } = await import('../../../src/scenario/load.js');
    const { runScenario } = await import('../../../src/pipeline/run-scenario.js');
    const loaded = await loadScenarioFile(join(dir, file));
    if (!loaded.ok) throw new Error(`${file} does not load`);
    const mmd = sequenceDiagram(await runScenario({ ...loaded.scenario, file: `scenarios/${file}` }));
    // the scenarios write through client events only: the client never writes to a table itself
    expect(mmd).not.toMatch(/Client->>Table_/);
    expect(mmd).toMatch(write);
    expect(mmd.split('\n').filter((line) => / (merge|repair) (SKU|PRODUCT)#35;1$/.test(line))).toEqual([]);
    expect(mmd.split('\n').filter((line) => line.trimStart().startsWith('Note over') && line.includes(note))).toHaveLength(1);
  });
});

describe('faults, failures, the dead-letter queue and Step Functions', () => {
  it('puts the DLQ and Step Functions in their region, tints the fault, and notes each failure', async () => {
    const { failuresAndFaults } = await import('./fixtures.js');
    const mmd = sequenceDiagram(failuresAndFaults());
    const { sequence } = await parseDiagram(mmd);
    expect(sequence!.boxes[0]!.actors).toEqual(['StepFunctions_us_east_1', 'DLQ_us_east_1', 'Lambda_us_east_1', 'Table_us_east_1']);
    expect(sequence!.boxes[1]!.actors).toEqual(['Table_eu_west_1', 'Lambda_eu_west_1']);
    expect(sequence!.actors.get('DLQ_us_east_1')).toBe('DLQ us-east-1');
    expect(sequence!.actors.get('StepFunctions_us_east_1')).toBe('Step Functions us-east-1');
    // The pause bars the replication's lifeline from its start to its end (no rect over every
    // participant); the held writes are one note on the replica they wait for, not an arrow.
    const lines = mmd.split('\n');
    const start = lines.indexOf('  activate Replication');
    const end = lines.indexOf('  deactivate Replication');
    expect(start).toBeGreaterThan(0);
    expect(lines.slice(start, end).join('\n').replace(/<br\/>/g, ' ')).toContain(
      'Note over Table_eu_west_1,Lambda_eu_west_1: t=150ms..170ms held ×3, not delivered#58; ORDER#35;1, ORDER#35;2, ORDER#35;3 from us-east-1 (link paused or region down)',
    );
    expect(mmd.match(/activate /g)).toHaveLength(2);
    expect(mmd).not.toContain(' rect ');
    expect(arrows(mmd).filter((l) => l.includes('held'))).toEqual([]);
    const texts = sequence!.messages.join('\n');
    expect(texts).toContain('t=100ms fault: replication paused into and out of eu-west-1, until t=1.1s (red bar)');
    expect(texts).toContain('t=1.1s fault over: replication paused into and out of eu-west-1; 3 held writes sent on');
    expect(texts).toContain('t=200ms async invocation of e9 attempt 1 failed (throw): boom; #1: bad');
    expect(texts).toContain('t=200ms retry e9 as attempt 2 at t=1m00.2s');
    expect(texts).toContain('t=3m00.2s dead-letter ORDER#9 (e9, key k-e9)');
    expect(texts).toContain('after 3 attempts (async): boom');
    expect(texts).toContain('t=3m20s redrive e9');
    expect(texts).toContain('t=1.3s rejected steps[3] (eu-west-1 unavailable, client fails over to us-east-1 at t=1.4s)');
    expect(texts).toContain('t=1.2s client clock in eu-west-1: skew 0ms → -3s');
    expect(texts).toContain('t=5m..5m00.001s state ×2: Process, Done');
    expect(texts).toContain('deduplicated: execution k-e11 still runs with the same input (Standard, this region only)');
    expect(texts).toContain('execution k-e11 has closed: its name is refused');
    expect(texts).toContain('t=3m20.001s event e10 lost: no dead-letter queue');
  });

  it('leaves DLQ and Step Functions out when the trace has no such steps', () => {
    const mmd = sequenceDiagram(concurrentWrites());
    expect(mmd).not.toMatch(/DLQ_|StepFunctions_/);
    expect(mmd).not.toContain(' rect ');
  });
});

describe('wrapLabel', () => {
  it('breaks at spaces into lines of at most the width, escaping each line', async () => {
    const { wrapLabel } = await import('../../../src/render/mermaid/sequence.js');
    expect(wrapLabel('aaa bbb ccc ddd', 7)).toBe('aaa bbb<br/>ccc ddd');
    expect(wrapLabel('a;b averyveryverylongword c', 5)).toBe('a#59;b<br/>averyveryverylongword<br/>c');
    expect(wrapLabel('short', 44)).toBe('short');
  });
});

describe('issue 10 item 12: failover reads right', () => {
  const ROOT = join(import.meta.dirname, '../../..');
  async function failover(): Promise<string> {
    const { runScenarioFileForDiagram } = await import('../../../src/pipeline/diagram-run.js');
    const run = await runScenarioFileForDiagram('scenarios/failover.yaml', undefined, ROOT);
    if (!run.ok) throw new Error(run.problems);
    return sequenceDiagram(run.report);
  }

  it('bars only us-east-1 for its outage, from the fault note to the fault-over note, never a rect over every lane', async () => {
    const mmd = await failover();
    await expect(parseDiagram(mmd)).resolves.toMatchObject({ type: 'sequence' });
    expect(mmd).not.toContain(' rect ');
    const lines = mmd.split('\n');
    expect(lines.filter((l) => /^\s+(de)?activate /.test(l))).toEqual([
      '  activate Lambda_us_east_1',
      '  activate Table_us_east_1',
      '  deactivate Table_us_east_1',
      '  deactivate Lambda_us_east_1',
    ]);
    const start = lines.indexOf('  activate Table_us_east_1');
    expect(notes(lines[start + 1]!)[0]).toMatch(/^  Note over Lambda_us_east_1,Table_us_east_1: t=2s fault#58; us-east-1 is down/);
    expect(notes(lines[lines.indexOf('  deactivate Table_us_east_1') - 1]!)[0]).toMatch(/^  Note over Lambda_us_east_1,Table_us_east_1: t=10s fault over/);
    expect(mmd).toMatch(/^%%\{init: .*"activationBkgColor"/m);
  });

  it('draws held writes as a note saying so, not as an arrow', async () => {
    const mmd = await failover();
    expect(arrows(mmd).filter((l) => l.includes('held'))).toEqual([]);
    expect(notes(mmd)).toContain('  Note over Table_eu_west_1,Lambda_eu_west_1: t=2.5s held ×2, not delivered#58; IDEMPOTENCY#35;order-1-paid, ORDER#35;1 from us-east-1 (link paused or region down)');
  });

  it('labels client arrows with the event id and the change, not the TMF688 type', async () => {
    const mmd = await failover();
    expect(mmd).not.toContain('ResourceAttributeValueChangeEvent');
    expect(arrows(mmd)[0]).toBe('  Client->>Lambda_us_east_1: t=0ms created#58; ORDER#35;1 status=created (key order-1-created)');
    expect(arrows(mmd)).toContain('  Client->>Lambda_eu_west_1: t=3.3s retry 2 of shipped#58; ORDER#35;1 status=shipped (key order-1-shipped)');
  });

  it('ends with the final items and the verdict', async () => {
    const mmd = await failover();
    expect(notes(mmd).slice(-2)).toEqual([
      '  Note over Table_us_east_1,Table_eu_west_1: final state at t=10.1s, the same in every region#58; ORDER#35;1#58; v3 status=delivered by eu-west-1 4 idempotency records',
      '  Note over Client,Lambda_eu_west_1: ✔ 20 assertions passed',
    ]);
  });
});

describe('the end of every diagram', () => {
  const a = { Id: 'A', Version: 2, LastUpdatedRegion: E, Data: { status: 'paid' } };
  const b = { Id: 'A', Version: 2, LastUpdatedRegion: W, Data: { status: 'cancelled' } };

  it('shows each region when they diverged, and each failed assertion', async () => {
    const report = reportOf([{ kind: 'checkpoint', t: 5, name: 'x', passed: true }], {
      final: { [E]: { A: a, 'IDEMPOTENCY#k': { Id: 'IDEMPOTENCY#k' } }, [W]: { A: b } },
      assertions: [
        { name: 'converged', passed: false, expected: true, actual: false },
        { name: 'effects of key k', passed: false, expected: 1, actual: 2 },
        { name: 'count events', passed: true, expected: 1, actual: 1 },
      ],
      endedAt: 900,
    });
    const mmd = sequenceDiagram(report);
    await expect(parseDiagram(mmd)).resolves.toMatchObject({ type: 'sequence' });
    expect(notes(mmd).slice(-3)).toEqual([
      '  Note over Table_us_east_1: final state at t=900ms in us-east-1#58; A#58; v2 status=paid by us-east-1 1 idempotency record',
      '  Note over Table_eu_west_1: final state at t=900ms in eu-west-1#58; A#58; v2 status=cancelled by eu-west-1',
      '  Note over Table_us_east_1,Table_eu_west_1: ✘ 2 of 3 assertions failed ✘ converged#58; expected true, got false ✘ effects of key k#58; expected 1, got 2',
    ]);
  });

  it('keeps a note over two neighbouring participants narrow enough for its box, in every scenario', async () => {
    const { runScenarioFileForDiagram } = await import('../../../src/pipeline/diagram-run.js');
    const { NARROW_NOTE_WIDTH } = await import('../../../src/render/mermaid/sequence.js');
    const root = join(import.meta.dirname, '../../..');
    for (const f of readdirSync(join(root, 'scenarios')).filter((x) => x.endsWith('.yaml'))) {
      const run = await runScenarioFileForDiagram(join('scenarios', f), undefined, root);
      if (!run.ok) throw new Error(run.problems);
      const mmd = sequenceDiagram(run.report);
      const order = [...mmd.matchAll(/^\s+participant (\w+)/gm)].map((m) => m[1]);
      for (const m of mmd.matchAll(/^\s+Note over (\w+),(\w+): (.*)$/gm)) {
        if (Math.abs(order.indexOf(m[2]) - order.indexOf(m[1])) !== 1) continue;
        const decoded = m[3]!.split('<br/>').map((l) => l.replace(/#(\d+);/g, 'x').replace(/#(lt|gt|quot);/g, 'x'));
        // A single word longer than the width stays whole (wrapLabel); every other line fits.
        for (const line of decoded) if (line.includes(' ')) expect(line.length, `${f}: ${line}`).toBeLessThanOrEqual(NARROW_NOTE_WIDTH);
      }
    }
  });
});
