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
  let lineWidth = 0;
  for (const whole of text.split(' ')) {
    // each word's characters and widths worked out once: a long value (an item of 400 KB) is
    // broken into its lines in time linear in its length
    const word = measured(whole);
    let start = 0;
    if (line && lineWidth + 1 + word.widthFrom(start) > width) {
      // A word no line can hold starts where it is, if it breaks in the room left.
      const at = word.widthFrom(start) > width ? breakAt(word, start, width - lineWidth - 1) : start;
      lines.push(at > start ? `${line} ${word.text(start, at)}` : line);
      start = at;
      line = '';
      lineWidth = 0;
    }
    while (!line && word.widthFrom(start) > width) {
      // at least one character per line, however narrow
      let at = breakAt(word, start, width);
      if (at === start) at = word.fitEnd(start, width);
      if (at === start) at = start + 1;
      lines.push(word.text(start, at));
      start = at;
    }
    const rest = word.text(start, word.chars.length);
    lineWidth = line ? lineWidth + 1 + word.widthFrom(start) : word.widthFrom(start);
    line = line ? `${line} ${rest}` : rest;
  }
  if (line) lines.push(line);
  return lines;
}

/** A word as its characters (graphemes) and the columns of each of its starts (`ends[k]`: the first k characters'). */
interface MeasuredWord {
  chars: string[];
  ends: number[];
  widthFrom(start: number): number;
  text(from: number, to: number): string;
  /** The end of the longest run of characters from `start` at most `room` columns wide. */
  fitEnd(start: number, room: number): number;
}

function measured(word: string): MeasuredWord {
  const chars = graphemes(word);
  const ends = [0];
  for (const ch of chars) ends.push(ends[ends.length - 1]! + cellWidth(ch));
  return {
    chars,
    ends,
    widthFrom: (start) => ends[chars.length]! - ends[start]!,
    text: (from, to) => chars.slice(from, to).join(''),
    fitEnd: (start, room) => {
      let at = start;
      while (at < chars.length && ends[at + 1]! - ends[start]! <= room) at += 1;
      return at;
    },
  };
}

/**
 * Where the word from character `start` may break to fit `room` columns: after its last `-#@/.`
 * that fits (not its last character); `start` if none does.
 */
function breakAt(word: MeasuredWord, start: number, room: number): number {
  let at = start;
  for (let i = start; i < word.chars.length - 1; i += 1) {
    if (word.ends[i + 1]! - word.ends[start]! > room) break;
    if ('-#@/.'.includes(word.chars[i]!)) at = i + 1;
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
