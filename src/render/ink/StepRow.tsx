import { Box, Text } from 'ink';
import type { ReactNode } from 'react';
import type { StepView } from '../describe.js';
import { laneCells } from '../lanes.js';
import type { LaneLayout } from './layout.js';
import { LaneCell } from './LaneCell.js';
import { TimeCell } from './TimeCell.js';
import { TONE_COLOR } from './tone-style.js';

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
  /** Lines the wording may take before it is cut with an ellipsis. */
  maxLines?: number;
}

/** One step of the timeline: its time, its label in the lane it happens in, and its wording. */
export function StepRow({ step, regions, short, layout, showChange = true, current = false, dim = false, maxLines = 2 }: StepRowProps) {
  const color = TONE_COLOR[step.tone];
  const cells = laneCells(step, regions, short, layout.compact);
  const text = layout.compact ? `${step.label} ${step.text}` : step.text;
  const [first = '', ...more] = maxLines <= 1 ? [text] : clampLines(fillLines(text, Math.max(4, layout.detail - 1)), maxLines);
  return (
    <Box flexDirection="column">
      <Box>
        <TimeCell width={layout.time} {...(current ? { color: 'whiteBright', bold: true } : {})}>
          {current ? `▶ ${step.t}ms` : `${step.t}ms`}
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

function ChangeLine({ regions, layout, name, value, color }: { regions: string[]; layout: LaneLayout; name: string; value: string; color?: string }) {
  return (
    <ContinuationLine regions={regions} layout={layout}>
      <Text dimColor>{`  ${name.padEnd(7)}`}</Text>
      <Text {...(color ? { color } : { dimColor: true })}>{value}</Text>
    </ContinuationLine>
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
 * Word-wraps `text` to `width`, but splits a word too long for the room left on a line (ids like
 * IDEMPOTENCY#order-1-shipped are long) instead of leaving the line nearly empty.
 */
function fillLines(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (let word of text.split(' ')) {
    while (word) {
      const room = width - (line ? line.length + 1 : 0);
      if (word.length <= room) {
        line = line ? `${line} ${word}` : word;
        word = '';
      } else if ((room >= 8 && word.length > 16) || !line) {
        const cut = Math.max(1, room);
        lines.push(line ? `${line} ${word.slice(0, cut)}` : word.slice(0, cut));
        line = '';
        word = word.slice(cut);
      } else {
        lines.push(line);
        line = '';
      }
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** At most `max` lines; the last one shown ends in an ellipsis when some were left out. */
function clampLines(lines: string[], max: number): string[] {
  if (lines.length <= max) return lines;
  const kept = lines.slice(0, max);
  kept[max - 1] = `${kept[max - 1]} …`;
  return kept;
}
