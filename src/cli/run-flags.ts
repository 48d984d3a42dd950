// The flags of `geosim run`, apart from their commander wiring (commands/run.ts), so the command's
// action (run-command.ts), which the wiring loads lazily, reads them without importing the wiring back.

import type { RunOptions } from '../pipeline/run-scenario.js';

/** The limits of a run in the model, as every command that runs scenarios takes them (commands/run.ts `withRunLimits`). */
export interface RunLimitFlags {
  /** Virtual-time horizon of each run, in ms (the model only). */
  horizon?: number;
  /** Wall-clock ms one slice of a team's handler may run without yielding (the model only). */
  syncLimit?: number;
  /** Trace-size limit of each run (the model only). */
  maxTraceEvents?: number;
}

/** The run options the limit flags given set. */
export function runLimits(flags: RunLimitFlags): Pick<RunOptions, 'horizon' | 'maxTraceEvents' | 'syncLimitMs'> {
  return {
    ...(flags.horizon !== undefined ? { horizon: flags.horizon } : {}),
    ...(flags.maxTraceEvents !== undefined ? { maxTraceEvents: flags.maxTraceEvents } : {}),
    ...(flags.syncLimit !== undefined ? { syncLimitMs: flags.syncLimit } : {}),
  };
}

export interface RunFlags extends RunLimitFlags {
  seed?: number;
  format?: 'pretty' | 'text' | 'json' | 'perfetto';
  /** Interactive step-through (needs a terminal). */
  step?: boolean;
  /** Steps per second when the stepper plays. */
  speed?: number;
  backend?: 'memory' | 'dynamodb';
  /** `URL` for every region, or `REGION=URL`, repeatable. */
  endpoint?: string[];
  local?: boolean;
  replication?: 'emulate' | 'native';
  timeScale?: number;
  profile?: string;
  /** dynamodb: wall ms one attempt of a request may take. */
  requestTimeout?: number;
  /** Largest scenario file read, in bytes. */
  maxFileSize?: number;
  /** Most bytes `--format json`, `perfetto` or `text` writes to stdout. */
  maxOutputSize?: number;
  /** Where the conflict feed goes (JSON lines; src/trace/conflict-feed.ts). */
  conflicts?: string;
  /** Where a report (HTML) of every failed scenario goes, with an index.html (src/pipeline/report.ts). */
  reportDir?: string;
}

/** Default of --max-output-size: 1 GB, far beyond any readable timeline, short of filling a disk by mistake. */
export const DEFAULT_MAX_OUTPUT_BYTES = 1_073_741_824;
