import { Box, Text } from 'ink';
import { isIdempotencyRecordId } from '../../app/item.js';
import { escapeControlChars } from '../control-chars.js';
import { formatItem } from '../format-item.js';
import { formatTime } from '../format-time.js';
import { shortRegionNames } from '../lanes.js';
import type { StepState } from '../step-state.js';

/**
 * What every region holds after the current step, region under region, plus the writes still in
 * flight. The item the step changed is marked; an item the regions disagree on is flagged.
 */
export function RegionState({ regions, state, width, maxLines, changedColor }: { regions: string[]; state: StepState | undefined; width: number; maxLines: number; changedColor?: string | undefined }) {
  const lines = stateLines(regions, state);
  const shown = lines.length > maxLines ? [...lines.slice(0, Math.max(0, maxLines - 1)), { key: 'more', kind: 'more' as const, text: `… ${lines.length - maxLines + 1} more lines` }] : lines;
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
              <Text key={line.key} wrap="truncate-end" {...(line.changed ? { color: changedColor ?? 'whiteBright' } : {})}>
                {'     '}
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

type Line =
  | { key: string; kind: 'region' | 'flight' | 'more'; text: string }
  | { key: string; kind: 'item'; text: string; changed: boolean; diverged: boolean; record: boolean }
  | { key: string; kind: 'value'; text: string; changed: boolean };

function stateLines(regions: string[], state: StepState | undefined): Line[] {
  const lines: Line[] = [];
  const items = state?.items ?? {};
  for (const region of regions) {
    const held = items[region] ?? {};
    const ids = Object.keys(held);
    lines.push({ key: `r-${region}`, kind: 'region', text: `${region}${ids.length === 0 ? '  (empty)' : ''}` });
    for (const id of ids) {
      const text = formatItem(held[id]);
      const diverged = regions.some((r) => formatItem(items[r]?.[id]) !== text);
      const changed = state?.changed?.region === region && state.changed.itemId === id;
      const record = isIdempotencyRecordId(id);
      lines.push({ key: `i-${region}-${id}`, kind: 'item', text: escapeControlChars(id), changed, diverged, record });
      // A record is fully told by its id; a data item's value goes on its own line to fit a panel.
      if (!record) lines.push({ key: `v-${region}-${id}`, kind: 'value', text, changed });
    }
  }
  const flights = state?.inFlight ?? [];
  lines.push({ key: 'f', kind: 'region', text: `in flight${flights.length === 0 ? '  (none)' : ` (${flights.length})`}` });
  const short = shortRegionNames(regions);
  flights.forEach((f, i) => lines.push({ key: `f-${i}`, kind: 'flight', text: `  ${escapeControlChars(f.itemId)} ${short[f.from] ?? f.from}▸${short[f.to] ?? f.to} at ${formatTime(f.arrivesAt)}` }));
  return lines;
}
