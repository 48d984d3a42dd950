import { Box, Text, useApp, useInput, useStdout } from 'ink';
import { useEffect, useMemo, useState } from 'react';
import type { RunReport } from '../../trace/report.js';
import { escapeControlChars } from '../control-chars.js';
import { describeStepOrKind, type StepView } from '../describe.js';
import { formatTime } from '../format-time.js';
import { laneCells, shortRegionNames } from '../lanes.js';
import { statesByStep } from '../step-state.js';
import { showValue, verdictLine } from '../text.js';
import { Header } from './Header.js';
import { KeyHelp } from './KeyHelp.js';
import { LaneHeader } from './LaneHeader.js';
import { laneLayout, timeColumnWidth } from './layout.js';
import { fillItemLines, RegionState, regionStateHeight } from './RegionState.js';
import { clampLines, fillLines, StepRow } from './StepRow.js';
import { TONE_COLOR } from './tone-style.js';

export interface StepThroughProps {
  report: RunReport;
  /** Steps per second when playing. */
  speed: number;
  /** Fixed size for tests; a live terminal's size (and resizes) is used otherwise. */
  columns?: number;
  rows?: number;
}

/**
 * Width from which the item state sits beside the timeline rather than under it: there the
 * timeline keeps STEP_DETAIL columns for the wording with compact lanes beside a 34-column panel.
 */
const SIDE_BY_SIDE = 120;
/**
 * Columns the wording of a timeline row should get: enough for a step's key fact (`DISCARD
 * ORDER#1 1.5s@us-east-1 silently dropped`). Full lanes that would leave less go compact.
 */
const STEP_DETAIL = 44;
/** Lines besides the step window and the step panel: lane titles, two ⋮ lines, margin, verdict, keys, one spare. */
const FIXED_LINES = 7;
/** The step panel under the grid: the step's line, its wording (up to 3 lines), the item before and after (2 each). */
const WORDING_LINES = 3;
const VALUE_LINES = 2;
/** The scenario header (4 lines and a margin) is shown only on terminals at least this tall. */
const HEADER_FROM_ROWS = 24;
const HEADER_LINES = 5;

/**
 * `geosim run --step`: the timeline revealed one step at a time, with every region's items as
 * they stand after the current step. The frame always fits the terminal's height (ink clears the
 * screen on every frame that does not), so only the last steps up to the current one are shown.
 */
export function StepThrough({ report, speed, columns, rows }: StepThroughProps) {
  const size = useTerminalSize(columns, rows);
  const { exit } = useApp();
  const total = report.trace.length;
  const [index, setIndex] = useState(total > 0 ? 1 : 0);
  const [playing, setPlaying] = useState(false);
  const steps = useMemo(() => report.trace.map(describeStepOrKind), [report]);
  const states = useMemo(() => statesByStep(report.regions, report.trace), [report]);
  const short = useMemo(() => shortRegionNames(report.regions), [report]);

  // A burst of keys (a held space bar, a pasted string, tmux send-keys) arrives as one input
  // string, so printable keys are handled one character at a time.
  useInput((input, key) => {
    const next = (n: number): void => {
      setPlaying(false);
      setIndex((i) => Math.min(total, Math.max(total > 0 ? 1 : 0, i + n)));
    };
    if (key.escape) return exit();
    if (key.rightArrow) return next(1);
    if (key.leftArrow) return next(-1);
    for (const ch of input) {
      if (ch === 'q') return exit();
      if (ch === ' ') next(1);
      else if (ch === 'p') {
        // At the end, play starts over from the first step.
        setIndex((i) => (i >= total ? Math.min(1, total) : i));
        setPlaying((p) => !p);
      }
    }
    return undefined;
  });

  useEffect(() => {
    if (!playing) return undefined;
    if (index >= total) {
      setPlaying(false);
      return undefined;
    }
    const timer = setTimeout(() => setIndex((i) => Math.min(total, i + 1)), 1000 / speed);
    return () => clearTimeout(timer);
  }, [playing, index, total, speed]);

  const wide = size.columns >= SIDE_BY_SIDE;
  // The panel wraps its lines, so it can stay narrow and leave the timeline room for wording.
  const stateWidth = Math.min(60, Math.max(34, Math.floor(size.columns * 0.28)));
  const timelineWidth = wide ? size.columns - stateWidth - 2 : size.columns;
  const timeWidth = useMemo(() => timeColumnWidth(report.trace, true), [report]);
  // Full lanes only when they hold every label whole ("DISCARD ◂use1"); else markers, the label going to the wording.
  const fullLane = useMemo(() => longestFullCell(steps, report.regions, short) + 1, [steps, report, short]);
  const layout = laneLayout(report.regions, timelineWidth, STEP_DETAIL, timeWidth, fullLane);
  const current = index > 0 ? steps[index - 1] : undefined;
  const state = index > 0 ? states[index - 1] : undefined;
  const color = current ? TONE_COLOR[current.tone] : undefined;
  // The panel under the grid spells the current step out in full, wrapped; it keeps the height of
  // the tallest step's so the frame does not jump while stepping.
  const panelWidth = size.columns;
  const panelLines = useMemo(() => panelHeight(steps, panelWidth), [steps, panelWidth]);

  // Height budget: ink clears the whole screen on a frame as tall as the terminal, so stay under.
  const showHeader = size.rows >= HEADER_FROM_ROWS;
  const body = Math.max(4, size.rows - FIXED_LINES - panelLines - (showHeader ? HEADER_LINES : 0));
  const stateLinesBelow = wide ? 0 : Math.max(3, Math.floor(body / 2));
  const windowSize = Math.max(2, wide ? body : body - stateLinesBelow - 2);
  const first = Math.max(0, index - windowSize);
  const visible = steps.slice(first, index);

  const failed = report.assertions.filter((a) => !a.passed).length;
  const timeline = (
    <Box flexDirection="column" width={timelineWidth}>
      <LaneHeader regions={report.regions} layout={layout} />
      {first > 0 ? <Text dimColor>{`${' '.repeat(layout.time)}⋮ ${first} earlier step${first === 1 ? '' : 's'}`}</Text> : null}
      {visible.map((s, i) => (
        <StepRow key={s.seq} step={s} regions={report.regions} short={short} layout={layout} showChange={false} maxLines={1} current={first + i === index - 1} dim={first + i !== index - 1} />
      ))}
      {index < total ? <Text dimColor>{`${' '.repeat(layout.time)}⋮ ${total - index} more`}</Text> : <Text dimColor>{`${' '.repeat(layout.time)}■ end of trace`}</Text>}
    </Box>
  );
  // Under the timeline, the regions sit side by side when each gets a panel's width, the writes in flight below them.
  const columnWidth = Math.floor((size.columns - 2 * (report.regions.length - 1)) / Math.max(1, report.regions.length));
  const regionLines = Math.max(...report.regions.map((region) => regionStateHeight(report.regions, state, columnWidth, { region })));
  const flightLines = Math.max(Math.min(2, stateLinesBelow - 1), stateLinesBelow - regionLines);
  const panel =
    wide || columnWidth < 34 ? (
      <RegionState regions={report.regions} state={state} width={wide ? stateWidth : size.columns} maxLines={wide ? body + 2 : stateLinesBelow} changedColor={color} />
    ) : (
      <>
        <Box columnGap={2}>
          {report.regions.map((region) => (
            <RegionState key={region} regions={report.regions} state={state} width={columnWidth} maxLines={stateLinesBelow - flightLines} changedColor={color} part={{ region }} />
          ))}
        </Box>
        <RegionState regions={report.regions} state={state} width={size.columns} maxLines={flightLines} part="in flight" />
      </>
    );

  return (
    <Box flexDirection="column" width={size.columns}>
      {showHeader ? <Header report={report} width={size.columns} compact /> : null}
      <Box marginTop={showHeader ? 1 : 0} flexDirection={wide ? 'row' : 'column'} columnGap={2}>
        {timeline}
        <Box flexDirection="column" marginTop={wide ? 0 : 1}>
          <Text bold underline wrap="truncate-end">
            {`items after step ${index}${current ? ` · ${formatTime(current.t)}` : ''}`}
          </Text>
          {panel}
        </Box>
      </Box>
      <Box flexDirection="column" marginTop={1} width={size.columns}>
        {current ? (
          <>
            <Text wrap="truncate-end">
              <Text bold>{`step ${index}/${total}`}</Text>
              {`  ${formatTime(current.t)}  `}
              <Text color={color} bold>
                {current.label}
              </Text>
              {current.inFlight ? `  ${current.from} ▸ ${current.region}` : current.region ? `  in ${current.region}${current.from ? ` from ${current.from}` : ''}` : ''}
            </Text>
            {wordingLines(current.text, panelWidth).map((line, i) => (
              <Text key={`w${i}`} wrap="truncate-end" color={color}>{`  ${line}`}</Text>
            ))}
            {current.change ? (
              <>
                {valueLines('before', current.change.before, panelWidth).map((line, i) => (
                  <Text key={`b${i}`} wrap="truncate-end" dimColor>
                    {line}
                  </Text>
                ))}
                {valueLines('after', current.change.after, panelWidth).map((line, i) => (
                  <Text key={`a${i}`} wrap="truncate-end" color={color}>
                    {line}
                  </Text>
                ))}
              </>
            ) : (
              checkLines(report, report.trace[index - 1]!).map((line, i) => (
                <Text key={i} wrap="truncate-end" {...(line.color ? { color: line.color } : {})}>
                  {line.text}
                </Text>
              ))
            )}
            {Array.from({ length: Math.max(0, panelLines - 1 - stepLines(current, panelWidth)) }, (_, i) => (
              <Text key={`pad${i}`}> </Text>
            ))}
          </>
        ) : (
          <Text>{`step 0/${total}: the trace is empty`}</Text>
        )}
        {index >= total ? (
          <Text color={failed === 0 ? 'green' : 'red'} bold>
            {`end: ${escapeControlChars(report.scenario.name)} ${verdictLine(report)}`}
          </Text>
        ) : (
          <Text> </Text>
        )}
        <KeyHelp playing={playing} speed={speed} />
      </Box>
    </Box>
  );
}

/** The current step's wording under the grid, wrapped at spaces to the panel's width. */
function wordingLines(text: string, width: number): string[] {
  const inner = Math.max(8, width - 3);
  return clampLines(fillLines(text, inner), WORDING_LINES, inner);
}

/** `  before {…}` / `  after  {…}`, wrapped under the value. */
function valueLines(name: string, value: string, width: number): string[] {
  const inner = Math.max(8, width - 10);
  return clampLines(fillItemLines(value, inner), VALUE_LINES, inner).map((line, i) => `${i === 0 ? `  ${name.padEnd(7)}` : ' '.repeat(9)}${line}`);
}

/** Lines the panel gives a step under its first line (check lines: 2). */
function stepLines(step: StepView, width: number): number {
  const change = step.change ? valueLines('before', step.change.before, width).length + valueLines('after', step.change.after, width).length : 2;
  return wordingLines(step.text, width).length + change;
}

/** The panel's height: its first line and the most any step needs under it. */
function panelHeight(steps: StepView[], width: number): number {
  const most = 1 + WORDING_LINES + 2 * VALUE_LINES;
  let tallest = 4;
  for (const step of steps) {
    tallest = Math.max(tallest, 1 + stepLines(step, width));
    if (tallest >= most) break;
  }
  return tallest;
}

/** The widest lane cell a full-lane grid would show for these steps (`DISCARD ◂use1`). */
function longestFullCell(steps: StepView[], regions: string[], short: Record<string, string>): number {
  let longest = 0;
  for (const step of steps) for (const cell of laneCells(step, regions, short, false).regions) longest = Math.max(longest, cell.length);
  return longest;
}

/**
 * The two lines under a step without a change: for a scenario check, what it asserted (the
 * report's assertions of that check), else blank so the frame keeps its height.
 */
function checkLines(report: RunReport, event: RunReport['trace'][number]): Array<{ text: string; color?: string }> {
  const lines: Array<{ text: string; color?: string }> = [];
  if (event.kind === 'checkpoint') {
    const results = report.assertions.filter((a) => a.at === event.t && a.source === 'check' && a.check === event.name);
    for (const a of results.slice(0, 2)) {
      const more = results.length > 2 && lines.length === 1 ? ` (+${results.length - 2} more)` : '';
      lines.push({ text: `  ${a.passed ? '✓' : '✗'} ${escapeControlChars(a.name)}: expected ${showValue(a.expected)}, got ${showValue(a.actual, !a.passed)}${more}`, color: a.passed ? 'green' : 'red' });
    }
  }
  while (lines.length < 2) lines.push({ text: ' ' });
  return lines;
}

function useTerminalSize(columns?: number, rows?: number): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = (): { columns: number; rows: number } => ({ columns: columns ?? (stdout.columns || 80), rows: rows ?? (stdout.rows || 24) });
  const [size, setSize] = useState(read);
  useEffect(() => {
    const onResize = (): void => {
      // The terminal re-wraps the old frame when it narrows, leaving pieces ink cannot erase;
      // the stepper owns the screen, so clear what is visible and draw afresh.
      if (stdout.isTTY) stdout.write('\u001B[2J\u001B[H');
      setSize(read());
    };
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, columns, rows]);
  return size;
}
