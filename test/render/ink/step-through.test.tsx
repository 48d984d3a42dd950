import { render } from 'ink-testing-library';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from '../../../src/trace/report.js';
import { StepThrough } from '../../../src/render/ink/StepThrough.js';
import { plain, reportOf } from './report-fixtures.js';

let concurrent: RunReport;
beforeAll(async () => {
  concurrent = await reportOf('concurrent.yaml');
});

const RIGHT = '\u001B[C';
const LEFT = '\u001B[D';
const tick = () => new Promise((resolve) => setTimeout(resolve, 30));

/**
 * Types the keys, then waits for the frame to settle: ink draws at most every ~33ms, so a frame
 * read right after a key may still be the previous one (more so on a busy machine).
 */
async function press(app: ReturnType<typeof render>, ...keys: string[]): Promise<string> {
  for (const key of keys) {
    app.stdin.write(key);
    await tick();
  }
  return settled(app);
}

async function settled(app: ReturnType<typeof render>): Promise<string> {
  let last = app.lastFrame();
  let stable = 0;
  for (let i = 0; i < 120 && stable < 3; i++) {
    await new Promise((resolve) => setTimeout(resolve, 25));
    const frame = app.lastFrame();
    stable = frame === last ? stable + 1 : 0;
    last = frame;
  }
  return plain(last);
}

const counter = (frame: string) => /step (\d+)\/(\d+)/.exec(frame)?.slice(1).map(Number);

describe('StepThrough (geosim run --step)', () => {
  it('starts on the first step and lists the keys', async () => {
    const app = render(<StepThrough report={concurrent} speed={2} columns={120} rows={40} />);
    const frame = await settled(app);
    expect(counter(frame)).toEqual([1, concurrent.trace.length]);
    expect(frame).toMatch(/space\/→ +next +← +previous +p +play \(2 steps\/s\) +q +quit/);
    app.unmount();
  });

  it('moves forward with space and the right arrow, back with the left arrow', async () => {
    const app = render(<StepThrough report={concurrent} speed={2} columns={120} rows={40} />);
    await tick();
    expect(counter(await press(app, ' '))).toEqual([2, concurrent.trace.length]);
    expect(counter(await press(app, RIGHT, RIGHT))).toEqual([4, concurrent.trace.length]);
    expect(counter(await press(app, LEFT))).toEqual([3, concurrent.trace.length]);
    expect(counter(await press(app, LEFT, LEFT, LEFT, LEFT))).toEqual([1, concurrent.trace.length]);
    app.unmount();
  });

  it("shows every region's items as they stand after the current step", async () => {
    // 64 columns: the state panel sits under the timeline, region under region (from about 70
    // columns the regions sit side by side), so its lines start at the margin.
    const app = render(<StepThrough report={concurrent} speed={2} columns={64} rows={60} />);
    await tick();
    const panel = (frame: string) => frame.slice(frame.indexOf('items after step'), frame.indexOf('\nstep '));
    // Step 4 is us-east-1's write of ORDER#1: only us-east-1 holds it, marked as just changed.
    let frame = await press(app, ' ', ' ', ' ');
    expect(counter(frame)).toEqual([4, concurrent.trace.length]);
    expect(panel(frame)).toMatch(/us-east-1\n(.*\n)*▸≠ ORDER#1\n +\{status: shipped\} v1 by us-east-1/);
    expect(panel(frame)).toMatch(/eu-west-1 +\(empty\)/);
    // After eu-west-1's own write the two regions disagree on ORDER#1.
    frame = await press(app, ...Array<string>(6).fill(' '));
    expect(counter(frame)).toEqual([10, concurrent.trace.length]);
    expect(panel(frame)).toMatch(/us-east-1\n(.*\n)* ≠ ORDER#1\n +\{status: shipped\}(.*\n)*eu-west-1\n(.*\n)*▸≠ ORDER#1\n +\{status: cancelled\}/);
    expect(panel(frame)).toMatch(/in flight \(3\)/);
    // At the end both hold the winner and nothing is in flight.
    frame = await press(app, ...Array<string>(concurrent.trace.length).fill(RIGHT));
    expect(counter(frame)).toEqual([concurrent.trace.length, concurrent.trace.length]);
    expect(panel(frame).match(/ {2}ORDER#1\n +\{status: cancelled\} v1 by eu-west-1/g)).toHaveLength(2);
    expect(panel(frame)).not.toContain('≠');
    expect(panel(frame)).toContain('in flight  (none)');
    expect(frame).toMatch(/end: concurrent PASSED/);
    // And back: the state follows the step counter both ways.
    frame = await press(app, ...Array<string>(concurrent.trace.length - 4).fill(LEFT));
    expect(counter(frame)).toEqual([4, concurrent.trace.length]);
    expect(panel(frame)).toMatch(/eu-west-1 +\(empty\)/);
    app.unmount();
  });

  it('under a scenario check, shows what it asserted', async () => {
    const app = render(<StepThrough report={concurrent} speed={2} columns={120} rows={40} />);
    await tick();
    const check = concurrent.trace.findIndex((e) => e.kind === 'checkpoint') + 1;
    const frame = await press(app, ...Array<string>(check - 1).fill(' '));
    expect(counter(frame)).toEqual([check, concurrent.trace.length]);
    expect(frame).toMatch(/step \d+\/\d+ +400ms +CHECK/);
    expect(frame).toMatch(/✓ converged: expected false, got false/);
    expect(frame).toMatch(/✓ us-east-1 ORDER#1: expected \{Data: \{status: shipped\}\}/);
    app.unmount();
  });

  it('keeps the frame within the terminal height', async () => {
    const app = render(<StepThrough report={concurrent} speed={2} columns={60} rows={30} />);
    await tick();
    const frame = await press(app, ...Array<string>(concurrent.trace.length).fill(' '));
    expect(frame.split('\n').length).toBeLessThan(30);
    expect(counter(frame)).toEqual([concurrent.trace.length, concurrent.trace.length]);
    app.unmount();
  });

  it.each([
    [120, 24],
    [120, 16],
    [80, 24],
    [60, 20],
  ])('fits a %ix%i terminal at every step, on a scenario with many items', async (columns, rows) => {
    const report = await reportOf('pause-replication.yaml');
    const app = render(<StepThrough report={report} speed={2} columns={columns} rows={rows} />);
    await tick();
    for (let i = 0; i < report.trace.length; i += 5) {
      const frame = await press(app, ...Array<string>(5).fill(RIGHT));
      expect(frame.split('\n').length, `step ${i + 5}`).toBeLessThan(rows);
    }
    app.unmount();
  });

  it('keeps every time and the ▶ marker inside the time column, from 1 s on too (issue 10 item 10)', async () => {
    // failover.yaml runs to 10 000 ms; the marker used to overflow the column: `…3300ms`, `…0000ms`.
    const report = await reportOf('failover.yaml');
    const app = render(<StepThrough report={report} speed={2} columns={120} rows={40} />);
    await tick();
    const header = (frame: string) => frame.split('\n').find((l) => /time\s*│/.test(l))!;
    const separatorsOf = (line: string) => [...line].flatMap((ch, i) => (ch === '│' ? [i] : []));
    let frame = await press(app, ...Array<string>(10).fill(RIGHT));
    let current = frame.split('\n').find((l) => l.includes('▶'))!;
    expect(current).toMatch(/^ *▶ 1\.5s │/);
    expect(separatorsOf(current).slice(0, 4)).toEqual(separatorsOf(header(frame)).slice(0, 4));
    frame = await press(app, ...Array<string>(report.trace.length).fill(RIGHT));
    expect(counter(frame)).toEqual([report.trace.length, report.trace.length]);
    current = frame.split('\n').find((l) => l.includes('▶'))!;
    expect(current).toMatch(/^ *▶ 10s │/);
    expect(frame).not.toMatch(/^…/m);
    for (const line of frame.split('\n').filter((l) => /^ *(▶ )?[\d.]+m?s │/.test(l))) {
      expect(separatorsOf(line).slice(0, 4), line).toEqual(separatorsOf(header(frame)).slice(0, 4));
    }
    expect(frame).toMatch(/step \d+\/\d+ {2}10s {2}APPLY/);
    app.unmount();
  });

  it.each([
    [80, 'DISCARD ORDER#1 1.5s@us-east-1 silently'],
    [120, 'DISCARD ORDER#1 1.5s@us-east-1 silently dropped'],
    [160, 'DISCARD ◂use1│ │ ORDER#1 1.5s@us-east-1 silently dropped: loses to'],
  ])('at %i columns every row keeps its key fact and the items wrap instead of being cut (review finding 12)', async (columns, keyFact) => {
    // At 120 columns the rows used to be cut at ~20 characters (`ORDER#1 1.5s@us-ea…`), the lane
    // label to `DISCARD ◂us…`, and the items pane cut the client timestamp (`ts 00…`).
    const report = await reportOf('failover.yaml');
    const app = render(<StepThrough report={report} speed={2} columns={columns} rows={40} />);
    await tick();
    const frame = await press(app, ...Array<string>(report.trace.length).fill(RIGHT));
    expect(counter(frame)).toEqual([report.trace.length, report.trace.length]);
    const lines = frame.split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(columns);
    // The LWW loser's row: its label (in its lane, or in front of the wording on compact lanes) and what happened.
    const discard = lines.find((l) => l.includes('DISCARD'))!;
    expect(discard.replace(/ +/g, ' ')).toContain(keyFact);
    expect(frame).not.toMatch(/◂us…|◂use…|DISCARD ◂u?…/);
    // Every step row shows its first two words whole: the label and the item, or the item and its version stamp.
    const rows = lines.filter((l) => /^ *(▶ )?[\d.]+m?s │/.test(l));
    expect(rows.length).toBeGreaterThan(8);
    for (const row of rows) expect(row.slice(row.lastIndexOf('│ ') + 2).split(' ').slice(0, 2).join(' '), row).not.toContain('…');
    // Both regions' ORDER#1 with its timestamp in the items pane, and once more in the step's `after`.
    expect(frame.match(/ts 00:00:04\.000/g)).toHaveLength(3);
    expect(frame).toMatch(/after {2}\{status: delivered\} v3 by eu-west-1 ts 00:00:04\.000/);
    app.unmount();
  });

  it('at 80 columns spells the current step out in full, wrapped under the grid (review finding 12)', async () => {
    const report = await reportOf('failover.yaml');
    const app = render(<StepThrough report={report} speed={2} columns={80} rows={40} />);
    await tick();
    const discard = report.trace.findIndex((e) => e.kind === 'replication-discarded') + 1;
    const frame = await press(app, ...Array<string>(discard - 1).fill(RIGHT));
    expect(counter(frame)).toEqual([discard, report.trace.length]);
    const panel = frame.slice(frame.indexOf('\nstep '));
    // The whole wording, to the dropped item's value (it used to be cut at the panel's edge).
    expect(panel.replace(/\n +/g, ' ')).toContain(
      'DISCARD  in eu-west-1 from us-east-1 ORDER#1 1.5s@us-east-1 silently dropped: loses to 4s@eu-west-1 (older), late: held since 2.5s; was {status: paid} v2 by us-east-1 ts 00:00:01.500',
    );
    app.unmount();
  });

  it('plays and pauses with p', async () => {
    const app = render(<StepThrough report={concurrent} speed={5} columns={120} rows={40} />);
    await settled(app);
    app.stdin.write('p');
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(counter(plain(app.lastFrame()))![0]).toBeGreaterThan(1);
    expect(plain(app.lastFrame())).toContain('▶ playing');
    app.stdin.write('p');
    const paused = await settled(app);
    expect(paused).not.toContain('▶ playing');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(counter(plain(app.lastFrame()))).toEqual(counter(paused));
    app.unmount();
  });

  it('Ctrl-Z suspends (the terminal in raw mode sends it as a key): it pauses, and neither moves nor quits', async () => {
    // It was read as no key at all: geosim could not be stopped as a shell job while stepping.
    let suspended = 0;
    const app = render(<StepThrough report={concurrent} speed={2} columns={120} rows={40} onSuspend={() => (suspended += 1)} />);
    await tick();
    let frame = await press(app, ' ', 'p');
    expect(frame).toContain('▶ playing');
    frame = await press(app, '\u001A');
    expect(suspended).toBe(1);
    expect(frame).not.toContain('▶ playing');
    const at = counter(frame);
    // paused: a second later it has not moved on
    await new Promise((resolve) => setTimeout(resolve, 700));
    expect(counter(await settled(app))).toEqual(at);
    // still running: the keys work
    expect(counter(await press(app, ' '))).toEqual([at![0]! + 1, concurrent.trace.length]);
    app.unmount();
  });
});
