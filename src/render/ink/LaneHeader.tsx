import { Box, Text } from 'ink';
import { FLIGHT_LANE, shortRegionNames } from '../lanes.js';
import type { LaneLayout } from './layout.js';
import { LaneCell } from './LaneCell.js';
import { TimeCell } from './TimeCell.js';

/** The column titles above the timeline: time, one lane per region, in flight, step. */
export function LaneHeader({ regions, layout }: { regions: string[]; layout: LaneLayout }) {
  const short = shortRegionNames(regions);
  return (
    <Box>
      <TimeCell width={layout.time}>
        <Text dimColor>time</Text>
      </TimeCell>
      {regions.map((r) => (
        <LaneCell key={r} width={layout.lane} bold>
          {layout.compact ? short[r] : r}
        </LaneCell>
      ))}
      <LaneCell width={layout.flight} bold>
        {layout.compact ? 'flight' : FLIGHT_LANE}
      </LaneCell>
      <LaneCell width={layout.detail} bold>
        step
      </LaneCell>
    </Box>
  );
}
