import { UserError } from '../errors.js';

/** The CLI's bounds (src/cli/commands/run.ts), for the same options given to `run()` as numbers. */
const DAY_MS = 24 * 60 * 60 * 1000;
const BOUNDS = {
  /** `--sync-limit`: 100 ms to 10 minutes of wall-clock time. */
  syncLimitMs: { min: 100, max: 600_000, integer: false, what: 'a wall-clock time in ms from 100 to 600000 that one slice of your handler may run without yielding' },
  /** `--horizon`: more than 0, at most 36,500 days of virtual time. */
  horizon: { min: Number.MIN_VALUE, max: 36_500 * DAY_MS, integer: false, what: 'a virtual time in ms more than 0 and at most 36500 days' },
  /** `--max-trace-events`. */
  maxTraceEvents: { min: 1, max: 100_000_000, integer: true, what: 'a whole number of trace events from 1 to 100000000' },
  /** `--seed`. */
  seed: { min: 0, max: Number.MAX_SAFE_INTEGER, integer: true, what: 'a whole number from 0 to 2^53 - 1' },
  /** `--max-file-size`. */
  maxFileBytes: { min: 1, max: Number.MAX_SAFE_INTEGER, integer: true, what: 'a whole number of bytes, at least 1' },
} as const;

/**
 * Refuses, before anything runs, a `run()` option the CLI would refuse as a flag: a value a test
 * passes wrong (`syncLimitMs: -5`, `horizon: '1d'`) is said as what it is, instead of a run that
 * stops at once, an option silently ignored, or an error from deep inside a run that had already
 * put virtual time in place of the process's clock.
 */
export function checkLibraryRunOptions(scenario: unknown, options: Record<string, unknown>): void {
  if (scenario === null || (typeof scenario !== 'string' && typeof scenario !== 'object') || Array.isArray(scenario)) {
    throw new UserError(`geosim: run() takes a scenario file's path or the object its YAML parses to; got ${describe(scenario)}`);
  }
  for (const [name, bound] of Object.entries(BOUNDS)) {
    const value = options[name];
    if (value === undefined) continue;
    const ok = typeof value === 'number' && Number.isFinite(value) && value >= bound.min && value <= bound.max && (!bound.integer || Number.isInteger(value));
    if (!ok) throw new UserError(`geosim: run(): ${name} must be ${bound.what}; got ${describe(value)}`);
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return `a ${typeof value}`;
}
