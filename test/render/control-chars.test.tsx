import { renderToString } from 'ink';
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { escapeControlChars, quoteString } from '../../src/render/control-chars.js';
import { formatItem, formatValue } from '../../src/render/format-item.js';
import { RunView } from '../../src/render/ink/RunView.js';
import { StepThrough } from '../../src/render/ink/StepThrough.js';
import { sequenceDiagram } from '../../src/render/mermaid/sequence.js';
import { renderText } from '../../src/render/text.js';
import type { Scenario } from '../../src/scenario/model.js';
import { runScenario } from '../../src/pipeline/run-scenario.js';
import type { RunReport } from '../../src/trace/report.js';
import { scenarioFromYaml } from '../helpers/scenario.js';

const CLEAR = '\u001b[2J';
const TITLE = '\u001b]0;pwned\u0007';

describe('escapeControlChars', () => {
  it('writes control characters as visible escapes and leaves other text alone', () => {
    expect(escapeControlChars(`a${CLEAR}b`)).toBe('a\\x1b[2Jb');
    expect(escapeControlChars(TITLE)).toBe('\\x1b]0;pwned\\x07');
    expect(escapeControlChars('line\nnext\ttab\r')).toBe('line\\nnext\\ttab\\r');
    expect(escapeControlChars('\u0000\u007f\u009b\u202e\u2028')).toBe('\\x00\\x7f\\x9b\\u202e\\u2028');
    expect(escapeControlChars('ORDER#1 → {status: shipped} ✓ é 東京')).toBe('ORDER#1 → {status: shipped} ✓ é 東京');
  });
});

describe('quoteString: one escaping for ids and quoted values (review finding 12)', () => {
  it('writes a control character in a quoted value as it does in an id', () => {
    // It used to be JSON.stringify then escapeControlChars: `"v\u001b[41m\x9b2J"` beside `e\x1b[5m1`.
    const raw = 'v\u001b[41m\u009b2J';
    expect(formatValue(raw)).toBe('"v\\x1b[41m\\x9b2J"');
    expect(formatValue(raw)).toBe(`"${escapeControlChars(raw)}"`);
    expect(formatItem({ Id: 'I\u001b[1mD', Data: { k: raw, s: '\u202eRTL', n: 'a\nb' } } as never)).toBe('{k: "v\\x1b[41m\\x9b2J", n: "a\\nb", s: "\\u202eRTL"}'); // canonical order: nested maps sorted
    expect(formatValue('record e\u001b[5m1')).toBe('"record e\\x1b[5m1"');
  });

  it('keeps quotes and backslashes readable and unambiguous', () => {
    expect(quoteString('say "hi"')).toBe('"say \\"hi\\""');
    expect(quoteString('C:\\x1b')).toBe('"C:\\\\x1b"');
    expect(quoteString('C:\\x1b')).not.toBe(quoteString('C:\u001b'));
    expect(formatValue('two words')).toBe('"two words"');
    expect(formatValue('plain-word')).toBe('plain-word');
  });
});

/**
 * A scenario whose ids, names and data carry a clear-screen (ESC[2J) and a set-title
 * (ESC]0;…BEL) sequence. They are put in after loading, so the test holds whatever the loader
 * decides to accept.
 */
async function hostileReport(): Promise<RunReport> {
  const clean = scenarioFromYaml(`
name: hostile-NAME
description: a description with CLEAR in it
regions: [us-east-1, eu-west-1]
replication: { lag: { distribution: fixed, ms: 100 } }
application: { strategy: client-lww, idempotency: local }
steps:
  - at: 0
    event: { id: evt-CLEAR, region: us-east-1, key: key-TITLE, item: "ORDER#TITLE", data: { "noteCLEAR": "say TITLE" } }
  - at: 50
    event: { id: evt-2, region: eu-west-1, key: key-2, item: "ORDER#TITLE", data: { status: CLEAR } }
  - at: 60
    put: { region: us-east-1, item: { Id: "ITEM-CLEAR", "attrTITLE": "v-CLEAR" } }
  - at: 500
    check: { name: "check TITLE", converged: true }
expect:
  converged: true
  items: { "ITEM-CLEAR": { "attrTITLE": "v-CLEAR" } }
`);
  const json = JSON.stringify(clean)
    .replaceAll('NAME', '\\u001b]0;name\\u0007')
    .replaceAll('CLEAR', '\\u001b[2J')
    .replaceAll('TITLE', '\\u001b]0;pwned\\u0007');
  return runScenario(JSON.parse(json) as Scenario, {});
}

/** What must never reach a terminal raw: the two sequences' introducers and the bell. */
function expectNoRawControls(output: string): void {
  expect(output).not.toContain('\u001b[2J');
  expect(output).not.toContain('\u001b]');
  expect(output).not.toContain('\u0007');
}

describe('user text with terminal escapes, in every view (issue 10 item 5)', () => {
  it('the plain view shows them escaped', async () => {
    const report = await hostileReport();
    // The run did carry the raw sequences: the trace holds them.
    expect(JSON.stringify(report.trace)).toContain('\\u001b[2J');
    const text = renderText(report);
    expectNoRawControls(text);
    expect(text).toContain('evt-\\x1b[2J');
    expect(text).toContain('ORDER#\\x1b]0;pwned\\x07');
    expect(text).toContain('hostile-\\x1b]0;name\\x07');
    expect(text).toContain('ITEM-\\x1b[2J');
  });

  it('the terminal view shows them escaped', async () => {
    const report = await hostileReport();
    for (const columns of [120, 60]) {
      const frame = renderToString(<RunView report={report} columns={columns} />, { columns });
      expectNoRawControls(frame);
      expect(frame).toContain('\\x1b[2J');
    }
  });

  it('the stepper shows them escaped at every step', async () => {
    const report = await hostileReport();
    const app = render(<StepThrough report={report} speed={2} columns={120} rows={40} />);
    const frames: string[] = [];
    for (let i = 0; i < report.trace.length; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      frames.push(app.lastFrame() ?? '');
      app.stdin.write(' ');
    }
    await new Promise((resolve) => setTimeout(resolve, 60));
    frames.push(app.lastFrame() ?? '');
    app.unmount();
    for (const frame of frames) expectNoRawControls(frame);
    expect(frames.join('\n')).toContain('ORDER#\\x1b]0;pwned\\x07');
  });

  it('the Mermaid source shows them escaped', async () => {
    const mmd = sequenceDiagram(await hostileReport());
    expectNoRawControls(mmd);
    expect(mmd).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });
});
