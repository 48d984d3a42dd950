import { Box, Static } from 'ink';
import type { ReactNode } from 'react';
import type { RunReport } from '../../trace/report.js';
import { stepViewOrKind } from '../step-view.js';
import { shortRegionNames } from '../lanes.js';
import { Assertions } from './Assertions.js';
import { FinalItems } from './FinalItems.js';
import { Header } from './Header.js';
import { LaneHeader } from './LaneHeader.js';
import { laneLayout, timeColumnWidth } from './layout.js';
import { StepRow } from './StepRow.js';

/**
 * The whole run as the terminal shows it: header, lane grid with one row per step, final items
 * and assertions. Every block is `<Static>`: ink writes it once and never redraws it, so a long
 * scenario scrolls like ordinary output instead of flickering or clearing the screen.
 */
export function RunView({ report, columns }: { report: RunReport; columns: number }) {
  return <Static items={runBlocks(report, columns)}>{(block) => <Box key={block.key}>{block.node}</Box>}</Static>;
}

interface Block {
  key: string;
  node: ReactNode;
}

/** The view as a list of blocks, in order; exported so other views can reuse parts of it. */
export function runBlocks(report: RunReport, columns: number): Block[] {
  const width = Math.max(20, columns);
  const layout = laneLayout(report.regions, width, 36, timeColumnWidth(report.trace, false));
  const short = shortRegionNames(report.regions);
  return [
    { key: 'header', node: <Header report={report} width={width} /> },
    {
      key: 'lanes',
      node: (
        <Box marginTop={1}>
          <LaneHeader regions={report.regions} layout={layout} />
        </Box>
      ),
    },
    ...report.trace.map((e) => ({
      key: `step-${e.seq}`,
      node: <StepRow step={stepViewOrKind(e)} regions={report.regions} short={short} layout={layout} />,
    })),
    { key: 'final', node: <FinalItems report={report} width={width} /> },
    { key: 'assertions', node: <Assertions report={report} width={width} /> },
  ];
}
