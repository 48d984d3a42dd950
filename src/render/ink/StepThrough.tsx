import { useMemo } from 'react';
import type { RunReport } from '../../trace/report.js';
import { StepFrame } from './StepFrame.js';
import { panelCaps, panelHeight, stepThroughData } from './step-through-layout.js';
import { useStepper } from './use-stepper.js';
import { useTerminalSize } from './use-terminal-size.js';

export interface StepThroughProps {
  report: RunReport;
  /** Steps per second when playing. */
  speed: number;
  /** Fixed size for tests; a live terminal's size (and resizes) is used otherwise. */
  columns?: number;
  rows?: number;
  /** Ctrl-Z: stop the process as a shell's job (render-pretty.tsx); ignored when absent. */
  onSuspend?: () => void;
}

/**
 * `geosim run --step`: the timeline revealed one step at a time, with every region's items as
 * they stand after the current step. The keys and the play timer move the stepper (useStepper);
 * each position draws as a StepFrame, laid out to fit the terminal (stepThroughLayout).
 */
export function StepThrough({ report, speed, columns, rows, onSuspend }: StepThroughProps) {
  const size = useTerminalSize(columns, rows);
  const { index, playing } = useStepper(report.trace.length, speed, onSuspend);
  const data = useMemo(() => stepThroughData(report), [report]);
  // The panel keeps the height of the tallest step's at this width; worked out once per width.
  const caps = panelCaps(size.rows);
  const panelLines = useMemo(() => panelHeight(data.steps, size.columns, caps), [data, size.columns, caps]);
  return <StepFrame report={report} data={data} index={index} playing={playing} speed={speed} columns={size.columns} rows={size.rows} panelLines={panelLines} />;
}
