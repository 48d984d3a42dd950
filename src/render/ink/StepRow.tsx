import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { StepView } from '../step-view.js';
import { formatTime } from '../format-time.js';
import { laneCells } from '../lanes.js';
import type { LaneLayout } from './layout.js';
import { LaneCell } from './LaneCell.js';
import { TimeCell } from './TimeCell.js';
import { TONE_COLOR } from './tone-style.js';
import { cellWidth, fitIndex, graphemes } from './cells.js';

export interface StepRowProps {
  step: StepView;
  regions: string[];
  short: Record<string, string>;
  layout: LaneLayout;
  /** Show the changed item's before and after under the row. */
  showChange?: boolean;
  /** The step the stepper is on: marked in the time column. */
  current?: boolean;
  /** Steps before the current one in the stepper are dimmed a little. */
  dim?: boolean;
  /** Lines the wording may take before it is cut with an ellipsis; by default 2, 3 on compact lanes. */
  maxLines?: number;
}

/** One step of the timeline: its time, its label in the lane it happens in, and its wording. */
export function StepRow({ step, regions, short, layout, showChange = true, current = false, dim = false, maxLines = layout.compact ? 3 : 2 }: StepRowProps) {
  const color = TONE_COLOR[step.tone];
  const cells = laneCells(step, regions, short, layout.compact);
  const text = layout.compact ? `${step.label} ${step.text}` : step.text;
  const width = Math.max(4, layout.detail - 1);
  const [first = '', ...more] = maxLines <= 1 ? [cutLine(text, width)] : clampLines(fillLines(text, width), maxLines, width);
  return (
    <Box flexDirection="column">
      <Box>
        <TimeCell width={layout.time} {...(current ? { color: 'whiteBright', bold: true } : {})}>
          {current ? `▶ ${formatTime(step.t)}` : formatTime(step.t)}
        </TimeCell>
        {cells.regions.map((cell, i) => (
          <LaneCell key={regions[i]} width={layout.lane} color={color} bold>
            {cell}
          </LaneCell>
        ))}
        <LaneCell width={layout.flight} color={color} bold>
          {cells.flight}
        </LaneCell>
        <LaneCell width={layout.detail} color={color} bold={current} dim={dim}>
          {first}
        </LaneCell>
      </Box>
      {more.map((line, i) => (
        <ContinuationLine key={i} regions={regions} layout={layout}>
          <Text color={color} dimColor={dim}>
            {line}
          </Text>
        </ContinuationLine>
      ))}
      {showChange && step.change ? (
        <>
          <ChangeLine regions={regions} layout={layout} name="before" value={step.change.before} />
          <ChangeLine regions={regions} layout={layout} name="after" value={step.change.after} color={color} />
        </>
      ) : null}
    </Box>
  );
}

/** The item before or after a step; on compact lanes it wraps to a second line rather than being cut. */
function ChangeLine({ regions, layout, name, value, color }: { regions: string[]; layout: LaneLayout; name: string; value: string; color?: string }) {
  const width = Math.max(4, layout.detail - 10);
  const lines = layout.compact ? clampLines(fillLines(value, width), 2, width) : [value];
  return (
    <>
      {lines.map((line, i) => (
        <ContinuationLine key={i} regions={regions} layout={layout}>
          <Text dimColor>{i === 0 ? `  ${name.padEnd(7)}` : ' '.repeat(9)}</Text>
          <Text {...(color ? { color } : { dimColor: true })}>{line}</Text>
        </ContinuationLine>
      ))}
    </>
  );
}

/** A further line of a step: the lanes run on empty so the grid stays unbroken. */
function ContinuationLine({ regions, layout, children }: { regions: string[]; layout: LaneLayout; children: ReactNode }) {
  return (
    <Box>
      <TimeCell width={layout.time} />
      {regions.map((r) => (
        <LaneCell key={r} width={layout.lane} />
      ))}
      <LaneCell width={layout.flight} />
      <LaneCell width={layout.detail}>{children}</LaneCell>
    </Box>
  );
}

/**
 * Word-wraps `text` to `width` columns at spaces; a word is split only when it is longer than a
 * whole line, and then after a `-`, `#`, `@`, `/` or `.` where it has one (`IDEMPOTENCY#` /
 * `order-1-shipped`), so ids and version stamps that fit a line are never cut in two. Widths are
 * terminal columns (a CJK character or an emoji takes two) and no character is split.
 */
export function fillLines(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (let word of text.split(' ')) {
    if (line && cellWidth(line) + 1 + cellWidth(word) > width) {
      // A word no line can hold starts where it is, if it breaks in the room left.
      const at = cellWidth(word) > width ? breakAt(word, width - cellWidth(line) - 1) : 0;
      lines.push(at > 0 ? `${line} ${word.slice(0, at)}` : line);
      word = word.slice(at);
      line = '';
    }
    while (!line && cellWidth(word) > width) {
      // at least one character per line, however narrow
      const at = breakAt(word, width) || fitIndex(word, width) || graphemes(word)[0]!.length;
      lines.push(word.slice(0, at));
      word = word.slice(at);
    }
    line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** Where a word may break to fit `room` columns: after its last `-#@/.` that fits (not its last character), 0 if none does. */
function breakAt(word: string, room: number): number {
  const chars = graphemes(word);
  let at = 0;
  let used = 0;
  let end = 0;
  for (const ch of chars.slice(0, -1)) {
    used += cellWidth(ch);
    if (used > room) break;
    end += ch.length;
    if ('-#@/.'.includes(ch)) at = end;
  }
  return at;
}

/**
 * One line of at most `width` columns, cut with an ellipsis as ink's `truncate-end` would, but
 * between characters and counting a wide one as two columns (ink's cut could leave a line one
 * column too wide, which the terminal then wraps).
 */
export function cutLine(text: string, width: number): string {
  return cellWidth(text) <= width ? text : `${text.slice(0, fitIndex(text, Math.max(0, width - 1)))}…`;
}

/**
 * At most `max` lines; the last one shown ends in an ellipsis when some were left out, cut back
 * to a space if the ellipsis would not fit in `width`.
 */
export function clampLines(lines: string[], max: number, width: number): string[] {
  if (lines.length <= max) return lines;
  const kept = lines.slice(0, max);
  let last = kept[max - 1]!;
  if (cellWidth(last) + 2 > width) {
    const fits = fitIndex(last, Math.max(0, width - 2));
    const space = last.lastIndexOf(' ', fits);
    last = space > 0 ? last.slice(0, space) : last.slice(0, fits);
  }
  kept[max - 1] = `${last} …`;
  return kept;
}
