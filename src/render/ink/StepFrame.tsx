import { Box, Text } from 'ink';
import type { RunReport } from '../../trace/report.js';
import { escapeControlChars } from '../control-chars.js';
import { formatTime } from '../format-time.js';
import { showActual, showValue, verdictLine } from '../text.js';
import { Header } from './Header.js';
import { KeyHelp } from './KeyHelp.js';
import { LaneHeader } from './LaneHeader.js';
import { RegionState } from './RegionState.js';
import { StepRow } from './StepRow.js';
import { stepLines, stepThroughLayout, valueLines, wordingLines, type StepThroughData } from './step-through-layout.js';
import { TONE_COLOR } from './tone-style.js';

export interface StepFrameProps {
  report: RunReport;
  /** stepThroughData(report), kept by the caller across frames. */
  data: StepThroughData;
  /** The current step, from 1 (0 for an empty trace). */
  index: number;
  playing: boolean;
  /** Steps per second when playing, for the key help. */
  speed: number;
  columns: number;
  rows: number;
  /** The step panel's height, when the caller keeps it per width (see stepThroughLayout). */
  panelLines?: number;
}

/**
 * One frame of the stepper: the timeline up to step `index`, every region's items as they stand
 * after it, the step spelled out, the verdict at the end and the keys. No hooks and no input: the
 * same props draw the same frame, so a test can render any step directly.
 */
export function StepFrame({ report, data, index, playing, speed, columns, rows, panelLines }: StepFrameProps) {
  const size = { columns, rows };
  const total = report.trace.length;
  const { steps, states, short } = data;
  const l = stepThroughLayout(report, data, size, index, panelLines);
  const current = index > 0 ? steps[index - 1] : undefined;
  const state = index > 0 ? states[index - 1] : undefined;
  const color = current ? TONE_COLOR[current.tone] : undefined;
  // The panel under the grid spells the current step out in full, wrapped.
  const panelWidth = size.columns;
  const visible = steps.slice(l.first, index);

  const failed = report.assertions.filter((a) => !a.passed).length;
  const timeline = (
    <Box flexDirection="column" width={l.timelineWidth}>
      <LaneHeader regions={report.regions} layout={l.lanes} />
      {l.first > 0 ? <Text dimColor>{`${' '.repeat(l.lanes.time)}⋮ ${l.first} earlier step${l.first === 1 ? '' : 's'}`}</Text> : null}
      {visible.map((s, i) => (
        <StepRow key={s.seq} step={s} regions={report.regions} short={short} layout={l.lanes} showChange={false} maxLines={1} current={l.first + i === index - 1} dim={l.first + i !== index - 1} />
      ))}
      {index < total ? <Text dimColor>{`${' '.repeat(l.lanes.time)}⋮ ${total - index} more`}</Text> : <Text dimColor>{`${' '.repeat(l.lanes.time)}■ end of trace`}</Text>}
    </Box>
  );
  const panel = !l.regionColumns ? (
    <RegionState regions={report.regions} state={state} width={l.wide ? l.stateWidth : size.columns} maxLines={l.wide ? l.body + 2 : l.stateLinesBelow} changedColor={color} isRecord={data.isRecord} />
  ) : (
    <>
      <Box columnGap={2}>
        {report.regions.map((region) => (
          <RegionState key={region} regions={report.regions} state={state} width={l.columnWidth} maxLines={l.stateLinesBelow - l.flightLines} changedColor={color} part={{ region }} isRecord={data.isRecord} />
        ))}
      </Box>
      <RegionState regions={report.regions} state={state} width={size.columns} maxLines={l.flightLines} part="in flight" />
    </>
  );

  return (
    <Box flexDirection="column" width={size.columns}>
      {l.showHeader ? <Header report={report} width={size.columns} compact titleOnly={l.headerTitleOnly} /> : null}
      <Box marginTop={l.showHeader ? 1 : 0} flexDirection={l.wide ? 'row' : 'column'} columnGap={2}>
        {timeline}
        <Box flexDirection="column" marginTop={l.wide ? 0 : 1}>
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
              <Text {...(color ? { color } : {})} bold>
                {current.label}
              </Text>
              {current.inFlight ? `  ${current.from} ▸ ${current.region}` : current.region ? `  in ${current.region}${current.from ? ` from ${current.from}` : ''}` : ''}
            </Text>
            {wordingLines(current.text, panelWidth, l.caps).map((line, i) => (
              <Text key={`w${i}`} wrap="truncate-end" {...(color ? { color } : {})}>{`  ${line}`}</Text>
            ))}
            {current.change ? (
              <>
                {valueLines('before', current.change.before, panelWidth, l.caps).map((line, i) => (
                  <Text key={`b${i}`} wrap="truncate-end" dimColor>
                    {line}
                  </Text>
                ))}
                {valueLines('after', current.change.after, panelWidth, l.caps).map((line, i) => (
                  <Text key={`a${i}`} wrap="truncate-end" {...(color ? { color } : {})}>
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
            {Array.from({ length: Math.max(0, l.panelLines - 1 - stepLines(current, panelWidth, l.caps)) }, (_, i) => (
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
      lines.push({ text: `  ${a.passed ? '✓' : '✗'} ${escapeControlChars(a.name)}: expected ${showValue(a.expected)}, got ${showActual(a)}${more}`, color: a.passed ? 'green' : 'red' });
    }
  }
  while (lines.length < 2) lines.push({ text: ' ' });
  return lines;
}
