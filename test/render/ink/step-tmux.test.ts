import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';

// What only a real terminal shows: bin/geosim in a tmux pane (a pseudo-terminal), driven by keys.
// CI installs tmux (Debian package `tmux`); without it these tests are skipped, saying so.
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const skipped = ' (skipped when tmux is not installed; CI installs it: apt-get install tmux)';
const socket = `geosim-test-${process.pid}`;

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-L', socket, '-f', '/dev/null', ...args], { encoding: 'utf8' });
}

/** Starts geosim in a detached pane of the given size; the pane stays to show how it ended. */
function start(session: string, columns: number, rows: number, args: string): void {
  // As a user's terminal: without vitest's NODE_ENV=test (so the CLI loads the bundled view users
  // get) and without CI=true (under which ink deliberately draws only the final frame).
  const command = `cd ${JSON.stringify(process.cwd())} && env -u NODE_ENV -u CI ${JSON.stringify(process.execPath)} bin/geosim ${args}; echo "exit=$?"; sleep 60`;
  // A scrollback deep enough for every shipped scenario's view (tmux's default keeps 2000 lines).
  tmux('start-server', ';', 'set-option', '-g', 'history-limit', '50000', ';', 'new-session', '-d', '-s', session, '-x', String(columns), '-y', String(rows), '-e', 'NO_COLOR=', '-e', 'TERM=xterm-256color', command);
}

const capture = (session: string, escapes = false): string => tmux('capture-pane', '-p', ...(escapes ? ['-e'] : []), '-t', session);

async function waitFor(session: string, pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  let pane = '';
  while (Date.now() < until) {
    pane = capture(session);
    if (pattern.test(pane)) return pane;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`pane never showed ${pattern}; it shows:\n${pane}`);
}

afterAll(() => {
  if (hasTmux) spawnSync('tmux', ['-L', socket, 'kill-server']);
});

describe.skipIf(!hasTmux)(`geosim in a pseudo-terminal${skipped}`, () => {
  it(`--step: space and → go forward, ← goes back, the items follow, q quits${skipped}`, async () => {
    start('step', 120, 40, 'run scenarios/concurrent.yaml --step');
    // Keys typed before ink takes the terminal are not seen: wait for the first frame.
    let pane = await waitFor('step', /step 1\/17/);
    expect(pane).toContain('space/→');
    expect(pane).toMatch(/us-east-1 +\(empty\)/);
    tmux('send-keys', '-t', 'step', 'Space');
    await waitFor('step', /step 2\/17/);
    tmux('send-keys', '-t', 'step', 'Right', 'Right');
    pane = await waitFor('step', /step 4\/17/);
    expect(pane).toMatch(/▸≠ ORDER#1/);
    tmux('send-keys', '-t', 'step', 'Left');
    pane = await waitFor('step', /step 3\/17/);
    expect(pane).not.toMatch(/ORDER#1 +\{status/);
    expect(capture('step', true)).toMatch(/\u001b\[[0-9;]*m/);
    tmux('send-keys', '-t', 'step', 'q');
    pane = await waitFor('step', /exit=\d+/);
    expect(pane).toContain('1 passed, 0 failed');
    expect(pane).toContain('exit=0');
  }, 60_000);

  it(`a directory of scenarios on a terminal: every scenario drawn, no warnings, the closing line${skipped}`, async () => {
    start('all', 120, 50, 'run scenarios');
    await waitFor('all', /exit=\d+/, 50_000);
    const pane = tmux('capture-pane', '-p', '-S', '-5000', '-t', 'all');
    const files = readdirSync('scenarios').filter((f) => f.endsWith('.yaml'));
    expect(pane.match(/^━━ /gm)).toHaveLength(files.length);
    // No Node warning or error; a DynamoDB error a scenario's timeline shows (MRSC's InternalServerError) is content.
    expect(pane.replaceAll('InternalServerError', '')).not.toMatch(/Warning|Error/);
    const closing = /^(\d+) passed, (\d+) failed$/m.exec(pane);
    expect(Number(closing?.[1]) + Number(closing?.[2])).toBe(files.length);
  }, 90_000);

  it.each([120, 60])(`the terminal view at %i columns keeps its lanes and ends with the verdict${skipped}`, async (columns) => {
    const session = `view${columns}`;
    start(session, columns, 50, 'run scenarios/concurrent.yaml');
    await waitFor(session, /exit=\d+/);
    const pane = tmux('capture-pane', '-p', '-S', '-200', '-t', session);
    expect(pane).toContain('exit=0');
    expect(pane).toContain('1 passed, 0 failed');
    const lines = pane.split('\n');
    const header = lines.find((l) => /time\s*│/.test(l))!;
    const at = [...header].flatMap((ch, i) => (ch === '│' ? [i] : []));
    // The grid ends where the final items begin (their wrapped values have separators of their own).
    const end = lines.findIndex((l) => l.startsWith('final items'));
    const grid = lines.slice(0, end).filter((l) => /^\s+(\d+ms)?\s*│/.test(l));
    expect(grid.length).toBeGreaterThan(17);
    for (const line of grid) expect([...line].flatMap((ch, i) => (ch === '│' ? [i] : [])).slice(0, 4)).toEqual(at.slice(0, 4));
  }, 60_000);
});
