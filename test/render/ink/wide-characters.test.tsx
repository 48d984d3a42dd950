import { renderToString } from 'ink';
import stringWidth from 'string-width';
import { beforeAll, describe, expect, it } from 'vitest';
import { RunView } from '../../../src/render/ink/RunView.js';
import { StepFrame } from '../../../src/render/ink/StepFrame.js';
import { clampLines, cutLine, fillLines } from '../../../src/render/ink/StepRow.js';
import { stepThroughData } from '../../../src/render/ink/step-through-layout.js';
import { wrapWords } from '../../../src/render/text.js';
import { runScenario } from '../../../src/pipeline/run-scenario.js';
import type { RunReport } from '../../../src/trace/report.js';
import { scenarioFromYaml } from '../../helpers/scenario.js';
import { plain } from './report-fixtures.js';

/**
 * Ids and values in CJK and emoji, two terminal columns each (a flag is two code points of two
 * UTF-16 units each): the terminal view measured them in UTF-16 units, so a wrapped line was wider
 * than its column (ink cut it one column too wide, the terminal wrapped the row and a lone `…`
 * broke the lane grid) and a cut fell inside a character (half a surrogate pair, printed as �).
 */
let wide: RunReport;
beforeAll(async () => {
  wide = await runScenario(
    scenarioFromYaml(
      `
name: 注文の競合 😀
seed: 1
regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 800 } }
application: { strategy: client-lww, idempotency: local }
steps:
  - at: 0
    event: { id: 東京-イベント-1, region: us-east-1, key: キー😀1, item: "注文#1😀東京大阪名古屋札幌福岡", data: { status: 出荷済み${'😀'.repeat(25)} } }
  - at: 100
    event: { id: evt-2, region: eu-west-1, key: k2, item: "注文#1😀東京大阪名古屋札幌福岡", data: { status: キャンセル${'🇯🇵'.repeat(13)} } }
expect: { converged: true }
`,
      'wide.yaml',
    ),
    {},
  );
});

/** Lines wider than `columns` terminal columns, and lines holding a broken character. */
function misfits(frame: string, columns: number): string[] {
  return frame.split('\n').filter((line) => stringWidth(line) > columns || line.includes('\uFFFD') || /[\uD800-\uDFFF]/u.test(line));
}

describe('wide characters in the terminal view', () => {
  it('fillLines measures in terminal columns and never splits a character', () => {
    const lines = fillLines(`sets {status: "出荷済み${'😀'.repeat(25)}"}`, 40);
    for (const line of lines) expect(stringWidth(line), line).toBeLessThanOrEqual(40);
    expect(lines.join('')).not.toMatch(/[\uD800-\uDFFF]/u);
    expect(lines.join('').replace(/ /g, '')).toBe(`sets{status:"出荷済み${'😀'.repeat(25)}"}`);
    // a flag is one character: never cut between its two halves
    for (const line of fillLines('🇯🇵'.repeat(13), 9)) expect(line).toMatch(/^(🇯🇵)+$/u);
  });

  it('clampLines and cutLine keep the ellipsis inside the width, between characters', () => {
    const [first, second] = clampLines(['東京大阪名古屋札幌福岡', '😀😀😀😀😀😀😀😀😀😀', 'more'], 2, 15);
    expect(first).toBe('東京大阪名古屋札幌福岡');
    expect(stringWidth(second!)).toBeLessThanOrEqual(15);
    expect(second).toBe('😀😀😀😀😀😀 …');
    expect(cutLine('🇯🇵'.repeat(13), 10)).toBe('🇯🇵🇯🇵🇯🇵🇯🇵…');
    expect(cutLine('plain words that fit', 40)).toBe('plain words that fit');
  });

  it('wrapWords breaks in terminal columns when asked to, and in code units for the plain view as before', async () => {
    const { TERMINAL_CELLS } = await import('../../../src/render/ink/cells.js');
    for (const line of wrapWords('🇯🇵'.repeat(13), 10, TERMINAL_CELLS)) expect(line).toMatch(/^(🇯🇵){1,5}$/u);
    // the plain view's wrapping is unchanged: ten code units a line
    expect(wrapWords('abcdefghij-klmnopqrstuvwxyz', 10)).toEqual(['abcdefghij', '-klmnopqrs', 'tuvwxyz']);
  });

  it.each([200, 120, 80, 60])('the run view at %i columns: no line wider than the terminal, no broken character', (columns) => {
    const frame = plain(renderToString(<RunView report={wide} columns={columns} />, { columns }));
    expect(misfits(frame, columns)).toEqual([]);
    // the wording wraps at spaces by width: an id that fits a line stays whole (it was cut after 😀)
    if (columns >= 80) expect(frame).toContain('注文#1😀東京大阪名古屋札幌福岡');
  });

  it.each([
    [200, 60],
    [120, 40],
    [80, 24],
    [60, 20],
  ])('the stepper at %ix%i: no line wider than the terminal, no broken character', (columns, rows) => {
    const data = stepThroughData(wide);
    for (let index = 1; index <= wide.trace.length; index++) {
      const frame = plain(renderToString(<StepFrame report={wide} data={data} index={index} playing={false} speed={2} columns={columns} rows={rows} />, { columns }));
      expect(misfits(frame, columns), `step ${index}`).toEqual([]);
    }
  });
});
