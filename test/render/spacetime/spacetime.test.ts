import { describe, expect, it } from 'vitest';
import type { Item } from '../../../src/trace/item.js';
import type { TraceEventInput } from '../../../src/trace/events.js';
import { SPACETIME_MAX_STEPS, spacetime } from '../../../src/render/spacetime/spacetime.js';
import { reportOf } from '../mermaid/fixtures.js';
import { parseSvg, pathPoints, regionX, yOn } from './svg-dom.js';

const E = 'us-east-1';
const W = 'eu-west-1';
const DAY = 86_400_000;

function item(id: string, region: string, data: Record<string, string>): Item {
  return { Id: id, Version: 1, LastUpdatedRegion: region, Data: data };
}

/** us-east-1 writes at 0, eu-west-1 at 100; each replicates in 800 ms; eu-west-1 discards the older one. */
function race(): TraceEventInput[] {
  const a = item('ORDER#1', E, { status: 'shipped' });
  const b = item('ORDER#1', W, { status: 'cancelled' });
  return [
    { kind: 'local-write', t: 0, region: E, itemId: 'ORDER#1', op: 'put', before: null, after: a, version: { ts: 0, region: E } },
    { kind: 'replication-sent', t: 0, from: E, to: W, itemId: 'ORDER#1', version: { ts: 0, region: E }, arrivesAt: 800 },
    { kind: 'local-write', t: 100, region: W, itemId: 'ORDER#1', op: 'put', before: null, after: b, version: { ts: 100, region: W } },
    { kind: 'replication-sent', t: 100, from: W, to: E, itemId: 'ORDER#1', version: { ts: 100, region: W }, arrivesAt: 900 },
    { kind: 'replication-discarded', t: 800, from: E, to: W, itemId: 'ORDER#1', incoming: a, kept: b, incomingVersion: { ts: 0, region: E }, keptVersion: { ts: 100, region: W }, reason: 'older', conflict: true },
    { kind: 'replication-applied', t: 900, from: W, to: E, itemId: 'ORDER#1', before: a, after: b, version: { ts: 100, region: W }, conflict: true, replacedVersion: { ts: 0, region: E } },
  ];
}

describe('spacetime: replication arrows', () => {
  const drawing = spacetime(reportOf(race()));
  const doc = parseSvg(drawing.svg);
  const xE = regionX(doc, E);
  const xW = regionX(doc, W);
  const y = (t: number): number => yOn(drawing.axis, t);

  it('draws a replicated write from its send (origin line, time sent) to its arrival (destination line, time applied)', () => {
    const g = doc.querySelector('g.st-replication[data-seq="6"]')!;
    expect(g.getAttribute('data-send-seq')).toBe('4');
    expect([g.getAttribute('data-from'), g.getAttribute('data-to')]).toEqual([W, E]);
    const [start, end] = pathPoints(g.querySelector('path')!.getAttribute('d')!);
    expect(start![0]).toBeCloseTo(xW, 0);
    expect(start![1]).toBeCloseTo(y(100), 0);
    expect(end![0]).toBeCloseTo(xE, 0);
    expect(end![1]).toBeCloseTo(y(900), 0);
    expect(g.querySelector('path')!.getAttribute('marker-end')).toBe('url(#st-head)');
  });

  it('gives equal lags equal slopes, and a later arrival a lower end', () => {
    const slope = (seq: number): number => {
      const [s, e] = pathPoints(doc.querySelector(`g.st-replication[data-seq="${seq}"] path`)!.getAttribute('d')!);
      return (e![1] - s![1]) / Math.abs(e![0] - s![0]);
    };
    expect(slope(5)).toBeGreaterThan(0);
    expect(slope(5)).toBeCloseTo(slope(6), 2);
  });

  it('shows the race: the write in flight crosses the other region’s write', () => {
    const [a0, a1] = pathPoints(doc.querySelector('g.st-replication[data-seq="5"] path')!.getAttribute('d')!);
    const [b0, b1] = pathPoints(doc.querySelector('g.st-replication[data-seq="6"] path')!.getAttribute('d')!);
    // Where the arrow from us-east-1 passes the middle, the one from eu-west-1 is higher on the left.
    const at = (p: [number, number], q: [number, number], x: number): number => p[1] + ((x - p[0]) / (q[0] - p[0])) * (q[1] - p[1]);
    const mid = (xE + xW) / 2;
    expect(Math.sign(at(a0!, a1!, xE + 1) - at(b0!, b1!, xE + 1))).not.toBe(Math.sign(at(a0!, a1!, xW - 1) - at(b0!, b1!, xW - 1)));
    expect(at(a0!, a1!, mid)).toBeGreaterThan(y(100));
  });

  it('ends a discarded write’s arrow in a cross, dashed, without an arrow head', () => {
    const g = doc.querySelector('g.st-replication[data-seq="5"]')!;
    expect(g.classList.contains('st-discarded')).toBe(true);
    expect(g.querySelector('.st-cross')).not.toBeNull();
    expect(g.querySelector('[marker-end]')).toBeNull();
    expect(drawing.svg).toMatch(/\.st-replication\.st-discarded path\{[^}]*stroke-dasharray/);
    const cross = pathPoints(g.querySelector('.st-cross')!.getAttribute('d')!);
    expect(Math.abs(cross[0]![0] - xW)).toBeLessThan(12);
    expect(Math.abs((cross[0]![1] + cross[1]![1]) / 2 - y(800))).toBeLessThan(1);
    expect(doc.querySelectorAll('.st-cross').length).toBe(2); // this one and the legend's
  });

  it('marks a conflict (applied over a concurrent write) with its own symbol', () => {
    const g = doc.querySelector('g.st-replication[data-seq="6"]')!;
    expect(g.classList.contains('st-conflict')).toBe(true);
    expect(g.querySelector('.st-conflict-mark')).not.toBeNull();
    expect(doc.querySelector('g.st-replication[data-seq="5"] .st-conflict-mark')).toBeNull();
  });

  it('labels writes with the item and a short value, the full words in the title', () => {
    const w = doc.querySelector('g.st-write[data-seq="1"]')!;
    expect(w.querySelector('title')!.textContent).toContain('WRITE ORDER#1');
    const labels = [...doc.querySelectorAll('text.st-label')].map((t) => t.textContent);
    expect(labels.some((l) => l!.startsWith('ORDER#1 {status: shipped}'))).toBe(true);
  });
});

describe('spacetime: element conventions', () => {
  const drawing = spacetime(reportOf(race()));
  const doc = parseSvg(drawing.svg);

  it('is one root svg.geosim-spacetime with one style, no external references, ids prefixed st- and unique', () => {
    expect(doc.documentElement.getAttribute('class')).toBe('geosim-spacetime');
    expect(doc.querySelectorAll('style').length).toBe(1);
    expect(drawing.svg).not.toMatch(/href|@import|url\((?!#st-)/);
    const ids = [...doc.querySelectorAll('[id]')].map((e) => e.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^st-/);
    for (const cls of drawing.svg.matchAll(/^\.([\w-]+)/gm)) expect(cls[1]).toMatch(/^(st-|geosim-spacetime)/);
  });

  it('has a legend of what it draws only', () => {
    const legend = [...doc.querySelectorAll('.st-legend text')].map((t) => t.textContent);
    expect(legend.some((t) => t!.startsWith('replicated write discarded'))).toBe(true);
    expect(legend.some((t) => t!.startsWith('conflict'))).toBe(true);
    expect(legend.some((t) => t!.includes('outage') || t!.includes('paused') || t!.includes('Lambda'))).toBe(false);
  });

  it('gives every mark data-seq and a title', () => {
    const marks = [...doc.querySelectorAll('g[data-seq]')];
    expect(marks.length).toBeGreaterThan(3);
    for (const g of marks) {
      expect(g.querySelector(':scope > title')?.textContent?.length).toBeGreaterThan(0);
      expect(g.getAttribute('class')).toMatch(/^st-(write|replication|discarded|conflict|fault|event|read|lambda)\b/);
    }
  });

  it('reports its size and numbers with at most one decimal', () => {
    expect(doc.documentElement.getAttribute('width')).toBe(String(drawing.width));
    expect(doc.documentElement.getAttribute('height')).toBe(String(drawing.height));
    expect(drawing.svg).not.toMatch(/\d\.\d\d/);
    expect(drawing.drawnSteps).toBe(6);
  });

  it('is deterministic and leaves out the scenario’s file path', () => {
    const report = reportOf(race(), { scenario: { name: 'race', file: '/home/someone/scenarios/race.yaml' } });
    const a = spacetime(report).svg;
    expect(spacetime(structuredClone(report)).svg).toBe(a);
    expect(a).not.toContain('/home/someone');
  });

  it('escapes <, & and " in item ids and values, and control characters', () => {
    const id = 'A<&"B\u001b';
    const odd = item(id, E, { note: '<b>&"x"' });
    const report = reportOf([
      { kind: 'local-write', t: 0, region: E, itemId: id, op: 'put', before: null, after: odd, version: { ts: 0, region: E } },
      { kind: 'replication-sent', t: 0, from: E, to: W, itemId: id, version: { ts: 0, region: E }, arrivesAt: 500 },
      { kind: 'replication-applied', t: 500, from: E, to: W, itemId: id, before: null, after: odd, version: { ts: 0, region: E }, conflict: false },
    ]);
    const svg = spacetime(report).svg;
    const d = parseSvg(svg);
    expect(svg).toContain('A&lt;&amp;&quot;B\\x1b');
    expect(svg).not.toContain('\u001b');
    const label = [...d.querySelectorAll('text.st-label')].map((t) => t.textContent).join('\n');
    expect(label).toContain('A<&"B\\x1b');
    expect(d.querySelector('g.st-write title')!.textContent).toContain('<b>&');
  });
});

describe('spacetime: Lambda giving up', () => {
  it('names the bar for what it marks: a dead-letter queue, or stream records dropped with none', () => {
    const records: TraceEventInput = { kind: 'stream-records-discarded', t: 500, region: E, records: ['ORDER#1#1'], firstSequenceNumber: '1', lastSequenceNumber: '1', reason: 'RetryAttemptsExhausted', attempts: 3, error: 'boom' };
    const doc = parseSvg(spacetime(reportOf([...race(), records])).svg);
    expect(doc.querySelector('g.st-lambda.st-dlq')).not.toBeNull();
    const legend = [...doc.querySelectorAll('.st-legend text')].map((t) => t.textContent ?? '');
    const row = legend.find((t) => t.startsWith('Lambda'));
    expect(row).toContain('dropped');
    expect(row).toContain('DLQ');
  });
});

describe('spacetime: faults', () => {
  it('shades a pause over its region for its window; a held write waits (dotted) and lands at release', () => {
    const report = reportOf([
      { kind: 'fault-started', t: 1000, fault: 'pause-replication', index: 0, description: 'replication paused into and out of eu-west-1', regions: [W], until: 5000 },
      { kind: 'local-write', t: 2000, region: E, itemId: 'ORDER#1', op: 'put', before: null, after: item('ORDER#1', E, { status: 'paid' }), version: { ts: 2000, region: E } },
      { kind: 'replication-sent', t: 2000, from: E, to: W, itemId: 'ORDER#1', version: { ts: 2000, region: E }, arrivesAt: 2500 },
      { kind: 'replication-held', t: 2500, from: E, to: W, itemId: 'ORDER#1', version: { ts: 2000, region: E } },
      { kind: 'fault-ended', t: 5000, fault: 'pause-replication', index: 0, description: 'replication paused into and out of eu-west-1', regions: [W], released: 1 },
      { kind: 'replication-applied', t: 5500, from: E, to: W, itemId: 'ORDER#1', before: null, after: item('ORDER#1', E, { status: 'paid' }), version: { ts: 2000, region: E }, conflict: false, heldSince: 2500 },
    ]);
    const drawing = spacetime(report);
    const doc = parseSvg(drawing.svg);
    const y = (t: number): number => yOn(drawing.axis, t);
    const band = doc.querySelector('g.st-fault[data-seq="1"]')!;
    expect(band.getAttribute('data-end-seq')).toBe('5');
    expect(band.querySelector('title')!.textContent).toContain('replication paused into and out of eu-west-1');
    const rect = band.querySelector('rect.st-fault-band')!;
    const x = Number(rect.getAttribute('x'));
    const top = Number(rect.getAttribute('y'));
    const xW = regionX(doc, W);
    expect(x).toBeLessThan(xW);
    expect(x + Number(rect.getAttribute('width'))).toBeGreaterThan(xW);
    expect(top).toBeCloseTo(y(1000), 0);
    expect(top + Number(rect.getAttribute('height'))).toBeCloseTo(y(5000), 0);
    // Only over eu-west-1's line.
    expect(band.querySelectorAll('rect.st-fault-band').length).toBe(1);
    expect(band.querySelector('text')!.textContent).toContain('replication paused');

    const g = doc.querySelector('g.st-replication[data-seq="6"]')!;
    expect(g.classList.contains('st-held')).toBe(true);
    const held = pathPoints(g.querySelector('.st-held-part')!.getAttribute('d')!);
    expect(held[0]![1]).toBeCloseTo(y(2500), 0);
    expect(held[1]![1]).toBeCloseTo(y(5000), 0);
    const paths = [...g.querySelectorAll('path')].map((p) => pathPoints(p.getAttribute('d')!));
    const last = paths[paths.length - 1]!;
    expect(last[last.length - 1]![0]).toBeCloseTo(xW, 0);
    expect(last[last.length - 1]![1]).toBeCloseTo(y(5500), 0);
  });

  it('hatches an outage both ways and a pause one way, so print tells them apart', () => {
    const report = reportOf([
      { kind: 'fault-started', t: 0, fault: 'outage', index: 0, description: 'us-east-1 is down', regions: [E], until: 100 },
      { kind: 'fault-ended', t: 100, fault: 'outage', index: 0, description: 'us-east-1 outage', regions: [E] },
    ]);
    const doc = parseSvg(spacetime(report).svg);
    const band = doc.querySelector('g.st-fault.st-fault-outage')!;
    expect(band.querySelector('rect[fill="url(#st-hatch-x)"]')).not.toBeNull();
  });
});

describe('spacetime: the time axis', () => {
  it('compresses a long idle gap into a break that names it, keeping order and arrivals below sends', () => {
    const w = (t: number, id: string): TraceEventInput => ({ kind: 'local-write', t, region: E, itemId: id, op: 'put', before: null, after: item(id, E, { n: id }), version: { ts: t, region: E } });
    const report = reportOf([
      w(0, 'A'),
      { kind: 'replication-sent', t: 0, from: E, to: W, itemId: 'A', version: { ts: 0, region: E }, arrivesAt: 500 },
      { kind: 'replication-applied', t: 500, from: E, to: W, itemId: 'A', before: null, after: item('A', E, {}), version: { ts: 0, region: E }, conflict: false },
      w(3 * DAY, 'B'),
      { kind: 'replication-sent', t: 3 * DAY, from: E, to: W, itemId: 'B', version: { ts: 3 * DAY, region: E }, arrivesAt: 3 * DAY + 1 },
      { kind: 'replication-applied', t: 3 * DAY + 1, from: E, to: W, itemId: 'B', before: null, after: item('B', E, {}), version: { ts: 3 * DAY, region: E }, conflict: false },
    ]);
    const drawing = spacetime(report);
    const doc = parseSvg(drawing.svg);
    for (let i = 1; i < drawing.axis.length; i++) {
      expect(drawing.axis[i]!.t).toBeGreaterThan(drawing.axis[i - 1]!.t);
      expect(drawing.axis[i]!.y).toBeGreaterThan(drawing.axis[i - 1]!.y);
    }
    expect(drawing.height).toBeLessThan(1500);
    expect(doc.querySelector('.st-break-text')!.textContent).toBe('… 2d23h59m59.5s later');
    expect(doc.querySelectorAll('.st-zigzag').length).toBe(2); // one per region line
    const y = (t: number): number => yOn(drawing.axis, t);
    // A 1 ms flight is still drawn a readable step down.
    expect(y(3 * DAY + 1) - y(3 * DAY)).toBeGreaterThanOrEqual(16);
    for (const seq of ['3', '6']) {
      const [s, e] = pathPoints(doc.querySelector(`g.st-replication[data-seq="${seq}"] path`)!.getAttribute('d')!);
      expect(e![1]).toBeGreaterThan(s![1]);
    }
  });

  it('keeps distinct times at least a line apart', () => {
    const trace: TraceEventInput[] = [0, 1, 2, 1000, 1001].map((t) => ({ kind: 'checkpoint', t, name: `c${t}`, passed: true }));
    const drawing = spacetime(reportOf(trace));
    for (let i = 1; i < drawing.axis.length; i++) expect(drawing.axis[i]!.y - drawing.axis[i - 1]!.y).toBeGreaterThanOrEqual(16);
  });
});

describe('spacetime: the step limit', () => {
  const many = (n: number): TraceEventInput[] => Array.from({ length: n }, (_, i) => ({ kind: 'checkpoint', t: i * 10, name: `c${i}`, passed: true }) as TraceEventInput);

  it(`draws the first ${SPACETIME_MAX_STEPS} steps by default and says how many there were and how to raise it`, () => {
    const drawing = spacetime(reportOf(many(2500)));
    expect(drawing.drawnSteps).toBe(2000);
    const doc = parseSvg(drawing.svg);
    expect(doc.querySelector('.st-note')!.textContent).toBe('first 2,000 of 2,500 steps; raise with --max-steps');
    expect(doc.querySelectorAll('g[data-seq]').length).toBe(2000);
  });

  it('honours maxSteps, and leaves a write still in flight at the cut open', () => {
    const drawing = spacetime(reportOf(race()), { maxSteps: 4 });
    expect(drawing.drawnSteps).toBe(4);
    const doc = parseSvg(drawing.svg);
    expect(doc.querySelector('.st-note')!.textContent).toBe('first 4 of 6 steps; raise with --max-steps');
    const inflight = [...doc.querySelectorAll('g.st-replication.st-inflight')];
    expect(inflight.map((g) => g.getAttribute('data-seq'))).toEqual(['2', '4']);
  });

  it('writes no note when everything is drawn', () => {
    expect(parseSvg(spacetime(reportOf(race())).svg).querySelector('.st-note')).toBeNull();
  });
});

describe('spacetime: coalescing and synchronous replication', () => {
  it('joins a coalesced write to the message in flight, which arrives with the newest version', () => {
    const w = (t: number, v: string): TraceEventInput => ({ kind: 'local-write', t, region: E, itemId: 'G', op: 'put', before: null, after: item('G', E, { v }), version: { ts: t, region: E } });
    const drawing = spacetime(
      reportOf([
        w(0, '1'),
        { kind: 'replication-sent', t: 0, from: E, to: W, itemId: 'G', version: { ts: 0, region: E }, arrivesAt: 500 },
        w(40, '2'),
        { kind: 'replication-coalesced', t: 40, from: E, to: W, itemId: 'G', dropped: { ts: 0, region: E }, by: { ts: 40, region: E } },
        { kind: 'replication-applied', t: 500, from: E, to: W, itemId: 'G', before: null, after: item('G', E, { v: '2' }), version: { ts: 40, region: E }, conflict: false },
      ]),
    );
    const doc = parseSvg(drawing.svg);
    expect(doc.querySelector('g.st-replication[data-seq="5"]')!.getAttribute('data-send-seq')).toBe('2');
    const joined = doc.querySelector('g.st-replication.st-coalesced[data-seq="4"]')!;
    expect(Number(joined.querySelector('circle')!.getAttribute('cy'))).toBeCloseTo(yOn(drawing.axis, 40), 0);
  });

  it('draws an MRSC write applied with no message in flight level, from the write', () => {
    const drawing = spacetime(
      reportOf(
        [
          { kind: 'local-write', t: 10, region: E, itemId: 'X', op: 'put', before: null, after: item('X', E, {}), version: { ts: 10, region: E }, answeredAt: 90 },
          { kind: 'replication-applied', t: 10, from: E, to: W, itemId: 'X', before: null, after: item('X', E, {}), version: { ts: 10, region: E }, conflict: false },
        ],
        { mode: 'mrsc' },
      ),
    );
    const doc = parseSvg(drawing.svg);
    const g = doc.querySelector('g.st-replication[data-seq="2"]')!;
    expect(g.hasAttribute('data-send-seq')).toBe(false);
    const [s, e] = pathPoints(g.querySelector('path')!.getAttribute('d')!);
    expect(s![1]).toBe(e![1]);
  });
});
