import { Box, Text } from 'ink';
import { isIdempotencyRecordId } from '../../trace/item.js';
import { escapeControlChars } from '../control-chars.js';
import { formatItem } from '../format-item.js';
import { formatTime } from '../format-time.js';
import { shortRegionNames } from '../lanes.js';
import type { StepState } from '../step-state.js';
import { fillLines } from './StepRow.js';

/**
 * What every region holds after the current step, region under region, plus the writes still in
 * flight. The item the step changed is marked; an item the regions disagree on is flagged. A
 * line too long for the panel wraps (at spaces, like the timeline's wording) instead of being cut.
 */
export function RegionState({ regions, state, width, maxLines, changedColor, part, isRecord = isIdempotencyRecordId }: { regions: string[]; state: StepState | undefined; width: number; maxLines: number; changedColor?: string | undefined; part?: { region: string } | 'in flight'; isRecord?: (id: string) => boolean }) {
  const lines = stateLines(regions, state, width, part, isRecord);
  const shown = lines.length <= maxLines ? lines : cut(lines, maxLines, part !== undefined);
  return (
    <Box flexDirection="column" width={width}>
      {shown.map((line) => {
        switch (line.kind) {
          case 'region':
            return (
              <Text key={line.key} bold wrap="truncate-end">
                {line.text}
              </Text>
            );
          case 'item':
            return (
              <Text key={line.key} wrap="truncate-end">
                <Text color={changedColor ?? 'whiteBright'} bold>
                  {line.changed ? '▸' : ' '}
                </Text>
                <Text color="yellow" bold>
                  {line.diverged ? '≠' : ' '}
                </Text>{' '}
                <Text {...(line.changed ? { color: changedColor ?? 'whiteBright' } : {})} bold={line.changed} dimColor={line.record && !line.changed}>
                  {line.text}
                </Text>
              </Text>
            );
          case 'value':
            return (
              <Text key={line.key} wrap="truncate-end" {...(line.changed ? { color: changedColor ?? 'whiteBright' } : {})} dimColor={line.record && !line.changed}>
                {line.text}
              </Text>
            );
          case 'flight':
            return (
              <Text key={line.key} color="blue" wrap="truncate-end">
                {line.text}
              </Text>
            );
          case 'more':
            return (
              <Text key={line.key} dimColor wrap="truncate-end">
                {line.text}
              </Text>
            );
        }
      })}
    </Box>
  );
}

/**
 * The first `maxLines` lines and a count of what is left out. For one part of the panel (a
 * region's column, the writes in flight) the count goes on its heading (`us-east-1  … 6 more
 * lines`): a bare count on a line of its own does not say whose lines it left out, and takes a
 * line from the little a short panel shows. The whole panel ends with the count.
 */
function cut(lines: Line[], maxLines: number, onePart: boolean): Line[] {
  const [heading, ...rest] = lines;
  if (heading === undefined) return [];
  if (onePart || maxLines <= 1) {
    const shown = rest.slice(0, Math.max(0, maxLines - 1));
    return [{ key: heading.key, kind: 'region', text: `${heading.text}  … ${moreLines(rest.length - shown.length)}` }, ...shown];
  }
  return [...lines.slice(0, maxLines - 1), { key: 'more', kind: 'more', text: `… ${moreLines(lines.length - maxLines + 1)}` }];
}

function moreLines(n: number): string {
  return `${n} more line${n === 1 ? '' : 's'}`;
}

/**
 * An item's summary wrapped to `width`, never between `by` or `ts` and what follows, so a
 * wrapped line does not end in a bare `ts` (`ts 00:00:04.000` stays whole).
 */
export function fillItemLines(text: string, width: number): string[] {
  return fillLines(text.replace(/\b(by|ts) (?=\S)/g, '$1\u00a0'), width).map((line) => line.replaceAll('\u00a0', ' '));
}

/** How many lines the panel (or a `part` of it) takes at `width`, before any cut. */
export function regionStateHeight(regions: string[], state: StepState | undefined, width: number, part?: { region: string } | 'in flight', isRecord: (id: string) => boolean = isIdempotencyRecordId): number {
  return stateLines(regions, state, width, part, isRecord).length;
}

type Line =
  | { key: string; kind: 'region' | 'flight' | 'more'; text: string }
  | { key: string; kind: 'item'; text: string; changed: boolean; diverged: boolean; record: boolean }
  | { key: string; kind: 'value'; text: string; changed: boolean; record: boolean };

/** Indents: an item's id after its two markers, its value under the id, a flight's wrapped part. */
const ID_INDENT = 3;
const VALUE_INDENT = 5;
const FLIGHT_INDENT = 4;

/** The panel's lines: every region's items and the writes in flight, or one `part` of them. */
function stateLines(regions: string[], state: StepState | undefined, width: number, part: { region: string } | 'in flight' | undefined, isRecord: (id: string) => boolean): Line[] {
  const lines: Line[] = [];
  const wrap = (text: string, indent: number): string[] => fillLines(text, Math.max(8, width - indent));
  const items = state?.items ?? {};
  for (const region of part === 'in flight' ? [] : part ? [part.region] : regions) {
    const held = items[region] ?? {};
    // Data items first: the records, each fully told by its id, are what a short panel cuts.
    const ids = Object.keys(held).sort((a, b) => Number(isRecord(a)) - Number(isRecord(b)));
    lines.push({ key: `r-${region}`, kind: 'region', text: `${region}${ids.length === 0 ? '  (empty)' : ''}` });
    for (const id of ids) {
      const text = formatItem(held[id]);
      const diverged = regions.some((r) => formatItem(items[r]?.[id]) !== text);
      const changed = state?.changed?.region === region && state.changed.itemId === id;
      const record = isRecord(id);
      const [first = '', ...rest] = wrap(escapeControlChars(id), ID_INDENT);
      lines.push({ key: `i-${region}-${id}`, kind: 'item', text: first, changed, diverged, record });
      rest.forEach((part, i) => lines.push({ key: `j-${region}-${id}-${i}`, kind: 'value', text: `${' '.repeat(ID_INDENT)}${part}`, changed, record }));
      // A record is fully told by its id; a data item's value goes on lines of its own to fit a panel.
      if (!record) fillItemLines(text, Math.max(8, width - VALUE_INDENT)).forEach((part, i) => lines.push({ key: `v-${region}-${id}-${i}`, kind: 'value', text: `${' '.repeat(VALUE_INDENT)}${part}`, changed, record }));
    }
  }
  if (part !== undefined && part !== 'in flight') return lines;
  const flights = state?.inFlight ?? [];
  lines.push({ key: 'f', kind: 'region', text: `in flight${flights.length === 0 ? '  (none)' : ` (${flights.length})`}` });
  const short = shortRegionNames(regions);
  flights.forEach((f, i) =>
    wrap(`${escapeControlChars(f.itemId)} ${short[f.from] ?? f.from}▸${short[f.to] ?? f.to} at ${formatTime(f.arrivesAt)}`, FLIGHT_INDENT).forEach((part, j) =>
      lines.push({ key: `f-${i}-${j}`, kind: 'flight', text: `${' '.repeat(j === 0 ? 2 : FLIGHT_INDENT)}${part}` }),
    ),
  );
  return lines;
}
